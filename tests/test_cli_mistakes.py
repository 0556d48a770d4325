"""The command line tried as a new user would: every mistake is one line and exit status 1,
checked on the installed command (a real process) and under CliRunner via result.exception."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app

if TYPE_CHECKING:
    from collections.abc import Callable

runner = CliRunner()
SCRIPT = Path(sys.executable).with_name("midcorridor")


@pytest.fixture
def unwritable(tmp_path: Path) -> Path:
    """A path under a regular file: no user, root included, can create it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    return blocker / "out"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})))


def _one_line(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert needle in lines[0]
    assert "Traceback" not in done.stderr


def test_unwritable_output_paths_are_one_line(
    unwritable: Path, tmp_path: Path, one_line_error: Callable[[Any, str], None]
) -> None:
    """route -o, optimize generate -o and simulate --report into an impossible path."""
    one_line_error(runner.invoke(app, ["route", "Aktau", "Baku", "--format", "json", "-o",
                                       str(unwritable / "r.json")]), str(unwritable))
    one_line_error(runner.invoke(app, ["optimize", "generate", "--days", "2", "-o",
                                       str(unwritable)]), str(unwritable))
    base = Path(__file__).resolve().parents[1] / "experiments" / "baseline.yaml"
    experiment = tmp_path / "short.yaml"
    experiment.write_text(f"name: short\nbase: {base}\nhorizon_days: 20\nwarmup_days: 5\n",
                        encoding="utf-8")
    # The report folder is checked before the simulation runs, not after.
    one_line_error(runner.invoke(app, ["simulate", str(experiment), "-n", "1",
                                       "--report", str(unwritable)]), str(unwritable))


def test_unwritable_output_from_the_installed_command(unwritable: Path) -> None:
    """The same through the console script: one line on stderr, exit 1."""
    _one_line(_run("route", "Aktau", "Baku", "--format", "json", "-o",
                   str(unwritable / "r.json")), "Not a directory")


def test_unreachable_database_is_one_line_without_the_password() -> None:
    """db upgrade against a PostgreSQL that is not there names the URL, never the password."""
    url = "postgresql+psycopg://probe:s3cret-pw@127.0.0.1:9/nowhere"
    for args in (["db", "upgrade"], ["serve", "--port", "8999"]):
        done = _run(*args, env={"MIDCORRIDOR_DATABASE_URL": url})
        _one_line(done, "cannot use the database postgresql+psycopg://probe:***@127.0.0.1:9")
        assert "s3cret-pw" not in done.stderr + done.stdout


def test_revoke_token_stops_the_token(tmp_path: Path) -> None:
    """admin revoke-token revokes; the token no longer authenticates; unknown ids are one line."""
    import json

    from midcorridor.service import accounts
    from midcorridor.service.db.engine import Database
    from midcorridor.service.settings import Settings

    env = {"MIDCORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite"}
    org = json.loads(runner.invoke(app, ["admin", "create-org", "Port", "--kind", "operator"],
                                   env=env).stdout)
    user = json.loads(runner.invoke(app, ["admin", "create-user", "a@p.example", "--org",
                                          str(org["id"])], env=env).stdout)
    token = json.loads(runner.invoke(app, ["admin", "create-token", "--user", str(user["id"])],
                                     env=env).stdout)
    revoked = runner.invoke(app, ["admin", "revoke-token", str(token["id"])], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert json.loads(revoked.stdout)["revoked_at"]
    db = Database(Settings(database_url=env["MIDCORRIDOR_DATABASE_URL"]))
    with db.read() as session:
        assert accounts.user_for_token(session=session, token=token["token"]) is None
    db.dispose()
    missing = runner.invoke(app, ["admin", "revoke-token", "999"], env=env)
    assert missing.exit_code == 1
    assert isinstance(missing.exception, SystemExit)
    assert "no token 999" in missing.stderr
