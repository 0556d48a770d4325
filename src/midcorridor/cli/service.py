"""``midcorridor serve``, ``worker``, ``db upgrade``, ``admin create-org|create-user|create-token``,
``demo-data``: run and administer the transit operations service.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from midcorridor.cli.common import console, err_console, print_json
from midcorridor.errors import InputError

if TYPE_CHECKING:
    from midcorridor.service.demo import DemoResult

db_app = typer.Typer(help="The service database.", no_args_is_help=True)
admin_app = typer.Typer(help="Organizations, users and API tokens.", no_args_is_help=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="MIDCORRIDOR_DATABASE_URL",
                 help="SQLAlchemy URL (default: SQLite file .midcorridor/service.sqlite)."),
]


def _database(url: str | None):  # type: ignore[no-untyped-def]
    """The database at ``url`` (or from the environment), migrated; a one-line error when it
    cannot be reached.
    """
    from sqlalchemy.exc import DBAPIError

    from midcorridor.service.db.engine import Database, safe_url
    from midcorridor.service.migrations import upgrade
    from midcorridor.service.settings import Settings

    settings = Settings.from_env()
    db = Database(settings.replace(database_url=url) if url else settings)
    try:
        upgrade(db.engine, settings=db.settings)
    except DBAPIError as exc:
        db.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise InputError(f"cannot use the database {safe_url(db.settings.database_url)}: "
                         f"{reason}") from None
    return db


def _now() -> datetime:
    return datetime.now(UTC)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Seed demo data first if empty.")] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core "
                                         "is a good start).")] = 1,
    database_url: DatabaseOption = None,
) -> None:
    """Start the service (migrations are applied at start) and print its URL."""
    import uvicorn

    from midcorridor.service.main import create_app
    from midcorridor.service.settings import Settings

    settings = Settings.from_env()
    if database_url:
        settings = settings.replace(database_url=database_url)
    if demo:
        _seed_if_empty(database_url)
    from midcorridor.service.db.engine import safe_url

    console.print(f"midcorridor web app on http://{host}:{port}/  (API docs: /docs)  "
                  f"database: {safe_url(settings.database_url)}  workers: {workers}  "
                  f"job workers: {settings.job_workers if settings.background else 0}")
    db = _database(settings.database_url)  # migrate once, before any process starts
    db.dispose()
    env = {"MIDCORRIDOR_DATABASE_URL": settings.database_url,
           "MIDCORRIDOR_MIGRATE_ON_START": "false"}
    queue_workers = _start_queue_workers(env) if settings.background else None
    try:
        if workers == 1:
            uvicorn.run(create_app(settings.replace(migrate_on_start=False)), host=host,
                        port=port, log_level="warning")
        else:
            os.environ.update(env)
            uvicorn.run("midcorridor.service.main:create_app", factory=True, host=host,
                        port=port, workers=workers, log_level="warning")
    finally:
        if queue_workers is not None:
            _stop_queue_workers(queue_workers)


def _start_queue_workers(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``midcorridor worker`` beside the server (jobs and deliveries never run in it), in
    its own process group, told to stop if this process disappears.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "midcorridor.cli", "worker", "--parent-pid", str(os.getpid())],
        env={**os.environ, **env}, start_new_session=True)


def _stop_queue_workers(process: subprocess.Popen[bytes]) -> None:
    for signum, wait_s in ((signal.SIGINT, 30), (signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        # SIGINT lets running jobs finish; SIGTERM gives them back to the queue.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait_s)


def worker_command(
    queue: Annotated[
        str, typer.Option(help="Which queue to consume: jobs, deliveries or all.")] = "all",
    database_url: DatabaseOption = None,
    parent_pid: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run the job and delivery workers until Ctrl-C (``MIDCORRIDOR_JOB_WORKERS`` jobs at
    once, ``MIDCORRIDOR_DELIVERY_WORKERS`` delivery threads).
    """
    from midcorridor.service.queue import QUEUE_NAMES, run_workers

    if queue != "all" and queue not in QUEUE_NAMES:
        raise InputError(f"--queue must be jobs, deliveries or all, not {queue!r}")
    db = _database(database_url)
    settings = db.settings
    db.dispose()
    queues = QUEUE_NAMES if queue == "all" else (queue,)
    console.print(f"midcorridor worker: {', '.join(queues)}  database: {settings.database_url}"
                  f"  job workers: {settings.job_workers}  delivery threads: "
                  f"{settings.delivery_workers}")
    raise typer.Exit(run_workers(settings, queues, parent_pid))


def _seed_if_empty(database_url: str | None) -> None:
    from sqlalchemy import func, select

    from midcorridor.service.db.models import Organization
    from midcorridor.service.demo import seed

    db = _database(database_url)
    with db.write() as session:
        if session.scalar(select(func.count(Organization.id))):
            console.print("demo: database already has data; not seeding")
            return
        result = seed(session, now=_now())
    _print_demo(result)


def _print_demo(result: DemoResult) -> None:
    from midcorridor.service.demo import DEMO_PASSWORD

    tokens = result.tokens
    console.print(f"demo data: {result.organizations} organizations, {result.shipments} "
                  f"shipments, {result.events} events")
    console.print(f"web app sign-in, one user per role (password: {DEMO_PASSWORD}):")
    for role, (email, org) in result.users.items():
        typer.echo(f"  {role:<12} {email:<20} {org}")
    console.print("demo API tokens (send as 'Authorization: Bearer <token>'):")
    width = max(len(name) for name in tokens)
    for name, token in tokens.items():
        typer.echo(f"  {name:<{width}}  {token}")  # plain, so tokens are never cut


def demo_data_command(
    shipments: Annotated[int | None, typer.Option(
        min=1, max=10_000, help="Keep at most this many shipments (default: all of the window).")
    ] = None,
    days: Annotated[float, typer.Option(
        min=1, max=120, help="Days of simulated corridor before now.")] = 30.0,
    seed_: Annotated[int, typer.Option("--seed", help="Random seed.")] = 7,
    experiment: Annotated[Path | None, typer.Option(
        "--experiment", dir_okay=False, help="Simulation experiment file (default: the baseline).")
    ] = None,
    tokens_out: Annotated[Path | None, typer.Option(
        "--tokens-out", dir_okay=False,
        help="Also write the tokens as JSON {organization: token} (for replay --tokens).")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Simulate the corridor up to now and store its shipments and events, with tokens."""
    from midcorridor.service.demo import seed

    db = _database(database_url)
    with db.write() as session:
        result = seed(session, now=_now(), shipments=shipments, seed=seed_, days=days,
                      experiment=experiment)
    _print_demo(result)
    if tokens_out is not None:
        tokens_out.parent.mkdir(parents=True, exist_ok=True)
        tokens_out.write_text(json.dumps(result.tokens, indent=2, ensure_ascii=False),
                              encoding="utf-8")
        err_console.print(f"wrote the tokens to {tokens_out}")


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOption = None) -> None:
    """Apply the database migrations (creates the SQLite file when needed)."""
    db = _database(database_url)
    err_console.print(f"database is up to date: {db.settings.database_url}")


@admin_app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="Organization name.")],
    kind: Annotated[str, typer.Option(help="shipper, forwarder, operator or coordinator.")],
    place: Annotated[list[str] | None, typer.Option(
        "--place", help="A place id of an operator's segment (repeatable).")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create an organization."""
    from pydantic import ValidationError

    from midcorridor.service import accounts
    from midcorridor.service.schemas import OrganizationCreate

    try:
        body = OrganizationCreate(name=name, kind=kind, places=place or [])  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InputError(_first_error(exc)) from None
    with _database(database_url).write() as session:
        org = accounts.create_org(session=session, name=body.name, kind=body.kind.value,
                                  places=body.places, now=_now())
        print_json({"id": org.id, "name": org.name, "kind": org.kind, "places": org.place_ids})


@admin_app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="E-mail address (the login name).")],
    org_id: Annotated[int, typer.Option("--org", help="Organization id.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="Platform administrator.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Create a user in an organization."""
    from midcorridor.service import accounts

    with _database(database_url).write() as session:
        user = accounts.create_user(session=session, org_id=org_id, email=email, name=name,
                                    is_admin=admin, now=_now())
        print_json({"id": user.id, "email": user.email, "org_id": user.org_id,
                    "is_admin": user.is_admin})


@admin_app.command("create-token")
def create_token(
    user_id: Annotated[int, typer.Option("--user", help="User id.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
    database_url: DatabaseOption = None,
) -> None:
    """Issue an API token; the secret is printed once."""
    from midcorridor.service import accounts

    with _database(database_url).write() as session:
        token, secret = accounts.create_token(session=session, user_id=user_id, name=name,
                                              now=_now())
        print_json({"id": token.id, "user_id": token.user_id, "token": secret})


@admin_app.command("set-password")
def set_password(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    password: Annotated[str, typer.Option(
        prompt=True, confirmation_prompt=True, hide_input=True, envvar="MIDCORRIDOR_PASSWORD",
        help="At least 8 characters (asked when not given).")],
    database_url: DatabaseOption = None,
) -> None:
    """Let a user sign in to the web app with a password (stored as an argon2 hash)."""
    from midcorridor.service import signin

    with _database(database_url).write() as session:
        user = signin.set_password(session=session, email=email, password=password)
        print_json({"id": user.id, "email": user.email, "password": "set"})


@admin_app.command("revoke-token")
def revoke_token(
    token_id: Annotated[int, typer.Argument(help="Token id (from create-token or "
                                            "GET /admin/tokens).")],
    database_url: DatabaseOption = None,
) -> None:
    """Revoke an API token; running servers stop accepting it within the token cache TTL."""
    from midcorridor.service import accounts

    with _database(database_url).write() as session:
        token = accounts.revoke_token(session=session, token_id=token_id, now=_now())
        if token is None:
            raise InputError(f"no token {token_id}; list them with GET /admin/tokens")
        print_json({"id": token.id, "user_id": token.user_id,
                    "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None})


def _first_error(exc: object) -> str:
    errors = exc.errors()  # type: ignore[attr-defined]
    first = errors[0]
    field = ".".join(str(p) for p in first["loc"]) or "value"
    return f"{field}: {first['msg']}"


def register(app: typer.Typer) -> None:
    """Add the service's commands (``serve``, ``worker``, ``demo-data``) to the command line."""
    app.command("serve")(serve_command)
    app.command("worker")(worker_command)
    app.command("demo-data")(demo_data_command)
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")
