"""``midcorridor corridor state``: the live corridor from the local database or a service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from midcorridor.cli.common import TableOrJson, console, print_json
from midcorridor.cli.service import DatabaseOption
from midcorridor.errors import InputError

corridor_app = typer.Typer(help="The live corridor: queues at the Caspian ports, vessels.",
                           no_args_is_help=True)

UrlOption = Annotated[
    str | None,
    typer.Option("--url", envvar="MIDCORRIDOR_URL",
                 help="Ask a running service (e.g. http://127.0.0.1:8000) instead of the "
                      "local database."),
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", envvar="MIDCORRIDOR_TOKEN",
                 help="API token for --url (coordinator, admin or operator)."),
]


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at {text!r} is not an ISO 8601 time, e.g. "
                         "2026-03-02T12:00:00+00:00") from None
    if value.tzinfo is None:
        raise InputError(f"--at {text!r} needs a time zone, e.g. {text}+00:00")
    return value


def fetch(url: str, path: str, token: str | None, params: dict[str, str]) -> Any:
    """GET a JSON document from the service; errors as one readable line."""
    import httpx

    if not token:
        raise InputError("--url needs --token (or MIDCORRIDOR_TOKEN)")
    try:
        r = httpx.get(url.rstrip("/") + path, params=params, timeout=30,
                      headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise InputError(f"cannot reach {url}: {exc}") from None
    if r.status_code != 200:
        try:
            detail = r.json().get("detail", r.text)
        except ValueError:
            detail = r.text
        raise InputError(f"{url}{path} answered {r.status_code}: {detail}")
    return r.json()


def _local_state(at: datetime | None, database_url: str | None) -> Any:
    from midcorridor.cli.service import _database
    from midcorridor.service import corridor
    from midcorridor.service.planning import network
    from midcorridor.service.public import corridor_state_public

    db = _database(database_url)
    now = datetime.now(UTC)
    with db.read() as session:
        state = corridor.state(session, now=now, at=at if at is not None and at < now else None)
        nodes = network(db.settings.data).nodes
        return corridor_state_public(state, nodes).model_dump(mode="json")


@corridor_app.command("state")
def state_command(
    at: Annotated[str | None, typer.Option(help="The moment, ISO 8601 with a time zone "
                                           "(default now).")] = None,
    url: UrlOption = None,
    token: TokenOption = None,
    output: Annotated[TableOrJson, typer.Option("--format", help="table or json.")] =
    TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """Units waiting at each Caspian port by type, due within 72 h, and each vessel's status."""
    moment = _moment(at)
    if url:
        params = {"at": moment.isoformat()} if moment is not None else {}
        doc = fetch(url, "/corridor/state", token, params)
    else:
        doc = _local_state(moment, database_url)
    if output is TableOrJson.json:
        print_json(doc)
        return
    ports = Table(title=f"Caspian ports at {doc['as_of']}")
    for column in ("port", "waiting railcars", "TEU", "trucks", "shipments",
                   "oldest wait h", "due in 72 h (railcars/TEU/trucks)"):
        ports.add_column(column, justify="left" if column == "port" else "right")
    for p in doc["ports"]:
        w, a = p["waiting"], p["arriving_next_72h"]
        oldest = "" if p["oldest_wait_h"] is None else f"{p['oldest_wait_h']:.1f}"
        ports.add_row(f"{p['name']} ({p['place']})", str(w["railcar"]), str(w["teu"]),
                      str(w["truck"]), str(len(p["shipments"])), oldest,
                      f"{a['railcar']}/{a['teu']}/{a['truck']}")
    console.print(ports)
    vessels = Table(title="Vessels (last known status)")
    for column in ("vessel", "id", "status", "place", "since"):
        vessels.add_column(column)
    for v in doc["vessels"]:
        vessels.add_row(v["name"], v["id"], v["status"].replace("_", " "), v["place"],
                        v["since"] or "")
    console.print(vessels)


def register(app: typer.Typer) -> None:
    """Add the ``corridor`` commands to the command line."""
    app.add_typer(corridor_app, name="corridor")
