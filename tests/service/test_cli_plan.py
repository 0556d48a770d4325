"""midcorridor corridor plan: a plan from the local database, shown; the latest one again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from helpers.service_factories import World, event, shipment_body
from midcorridor.cli import app

BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=130)
AT_AKTAU = BASE + timedelta(hours=118)


def test_plan_from_the_local_database(client: TestClient, world: World, database_url: str,
                                      one_line_error) -> None:
    """The plan assigns the cargo waiting at Aktau and is published (the shipment's wait
    names its vessel); --latest shows the same plan without making another; options out
    of range name the option."""
    r = client.post("/shipments", json=shipment_body(BASE), headers=world.auth("shipper"))
    sid = r.json()["id"]
    r = client.post("/events", json=event("w", sid, "ARRI", "KZAAU", AT_AKTAU),
                    headers=world.auth("operator"))
    assert r.status_code == 201, r.text
    runner = CliRunner()
    made = runner.invoke(app, ["corridor", "plan", "--horizon-days", "2", "--time-limit", "10",
                               "--format", "json", "--database-url", database_url])
    assert made.exception is None, made.output
    plan = json.loads(made.stdout)
    assert sid in {a["shipment_id"] for a in plan["assignments"]}
    [assigned] = [a for a in plan["assignments"] if a["shipment_id"] == sid]
    [sailing] = [s for s in plan["sailings"] if s["id"] == assigned["sailing"]]
    spread = client.get(f"/shipments/{sid}/eta", headers=world.auth("shipper")).json()
    assert sailing["vessel_name"] in spread["segments"][0]["reason"]  # published

    again = runner.invoke(app, ["corridor", "plan", "--latest", "--format", "json",
                                "--database-url", database_url])
    assert again.exception is None, again.output
    assert json.loads(again.stdout)["id"] == plan["id"]
    table = runner.invoke(app, ["corridor", "plan", "--latest", "--database-url", database_url])
    assert table.exception is None
    assert f"Crossing plan {plan['id']}" in table.stdout

    one_line_error(runner.invoke(app, ["corridor", "plan", "--horizon-days", "99",
                                       "--database-url", database_url]), "--horizon-days")
    one_line_error(runner.invoke(app, ["corridor", "plan", "--close", "KZAAU",
                                       "--database-url", database_url]), "--close 'KZAAU'")
    one_line_error(runner.invoke(app, ["corridor", "plan", "--out-of-service", "Titanic",
                                       "--database-url", database_url]),
                   "fleet.out_of_service[0]: unknown vessel 'Titanic'")
