"""The service commands: db upgrade, admin create-org|create-user|create-token, demo-data."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from midcorridor.cli import app
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event, Shipment
from midcorridor.service.settings import Settings

runner = CliRunner()


def test_admin_commands_create_a_working_token(tmp_path: Path) -> None:
    """create-org, create-user and create-token chain into a token the API accepts."""
    env = {"MIDCORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite"}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    org = runner.invoke(app, ["admin", "create-org", "Port of Aktau", "--kind", "operator",
                              "--place", "KZAAU"], env=env)
    assert org.exit_code == 0, org.output
    org_id = json.loads(org.stdout)["id"]
    user = runner.invoke(app, ["admin", "create-user", "ops@aktau.example", "--org",
                               str(org_id)], env=env)
    token = runner.invoke(app, ["admin", "create-token", "--user",
                                str(json.loads(user.stdout)["id"])], env=env)
    assert json.loads(token.stdout)["token"].startswith("mct_")


def test_bad_input_is_one_line_error(tmp_path: Path) -> None:
    """An unknown kind or organization gives a one-line error naming the field, exit 1."""
    env = {"MIDCORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite"}
    bad = runner.invoke(app, ["admin", "create-org", "X", "--kind", "pirate"], env=env)
    assert bad.exit_code == 1
    assert "kind:" in bad.output
    bad = runner.invoke(app, ["admin", "create-user", "a@b.example", "--org", "99"], env=env)
    assert bad.exit_code == 1
    assert "org_id: no organization 99" in bad.output


def test_demo_data_seeds_shipments_and_events(tmp_path: Path) -> None:
    """demo-data creates organizations, shipments and a stream of events, with tokens."""
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    result = runner.invoke(app, ["demo-data", "--shipments", "6"],
                           env={"MIDCORRIDOR_DATABASE_URL": url, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "6 shipments" in result.output
    assert "mct_" in result.output
    db = Database(Settings(database_url=url))
    with db.read() as session:
        assert session.scalar(select(func.count(Shipment.id))) == 6
        assert (session.scalar(select(func.count(Event.id))) or 0) > 6
    db.dispose()
    again = runner.invoke(app, ["demo-data"], env={"MIDCORRIDOR_DATABASE_URL": url})
    assert again.exit_code == 1
    assert "already loaded" in again.output
