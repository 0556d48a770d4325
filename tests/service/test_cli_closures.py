"""midcorridor corridor close / closures / reopen against the local database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from helpers.service_factories import World
from midcorridor.cli import app


def test_close_list_and_reopen(client: TestClient, world: World, database_url: str,
                               one_line_error) -> None:
    """A closure posted from the command line is the service's (listed, shown on the port);
    listed as a table; cancelled once; bad values are one line naming the option or field."""
    until = (datetime.now(UTC) + timedelta(hours=30)).replace(microsecond=0).isoformat()
    runner = CliRunner()
    db = ["--database-url", database_url]
    made = runner.invoke(app, ["corridor", "close", "kzaau", "--until", until, "--reason",
                               "storm warning", "--format", "json", *db])
    assert made.exception is None, made.output
    posted = json.loads(made.stdout)
    assert (posted["place"], posted["status"]) == ("KZAAU", "current")
    assert datetime.fromisoformat(posted["end"]) == datetime.fromisoformat(until)
    listed = client.get("/crossing/closures", headers=world.auth("coordinator")).json()
    assert [c["id"] for c in listed] == [posted["id"]]
    ports = {p["place"]: p for p in client.get(
        "/corridor/state", headers=world.auth("coordinator")).json()["ports"]}
    assert ports["KZAAU"]["closure"]["reason"] == "storm warning"

    table = runner.invoke(app, ["corridor", "closures", *db])
    assert table.exception is None, table.output
    assert "storm warning" in table.stdout
    assert "Aktau" in table.stdout

    cancelled = runner.invoke(app, ["corridor", "reopen", str(posted["id"]), "--format", "json",
                                    *db])
    assert cancelled.exception is None, cancelled.output
    assert json.loads(cancelled.stdout)["status"] == "cancelled"
    assert client.get("/crossing/closures", headers=world.auth("coordinator")).json() == []

    one_line_error(runner.invoke(app, ["corridor", "reopen", str(posted["id"]), *db]),
                   "cancelled already")
    one_line_error(runner.invoke(app, ["corridor", "reopen", "999999", *db]), "no closure 999999")
    one_line_error(runner.invoke(app, ["corridor", "close", "XXAAA", "--until", until,
                                       "--reason", "x", *db]),
                   "place: 'XXAAA' is not a Caspian port")
    one_line_error(runner.invoke(app, ["corridor", "close", "KZAAU", "--until", "tomorrow",
                                       "--reason", "x", *db]), "--until")
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    one_line_error(runner.invoke(app, ["corridor", "close", "KZAAU", "--until", past,
                                       "--reason", "x", *db]), "end: ")
