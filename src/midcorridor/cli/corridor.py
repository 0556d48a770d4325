"""``midcorridor corridor``: the live corridor (state, crossing plans, closures of the Caspian
ports) from the local database or a service.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from midcorridor.cli.common import TableOrJson, console, err_console, print_json, remote_job
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

FormatOption = Annotated[TableOrJson, typer.Option("--format", help="table or json.")]


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
    return send(url, "GET", path, token, None, 200, params=params)


def send(url: str, method: str, path: str, token: str | None, body: Any, expect: int, *,
         params: dict[str, str] | None = None) -> Any:
    """Send a request to the service; an answer other than ``expect`` as one readable line."""
    import httpx

    if not token:
        raise InputError("--url needs --token (or MIDCORRIDOR_TOKEN)")
    try:
        r = httpx.request(method, url.rstrip("/") + path, json=body, params=params, timeout=60,
                          headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise InputError(f"cannot reach {url}: {exc}") from None
    if r.status_code != expect:
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
    output: FormatOption = TableOrJson.table,
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


def _closure(text: str) -> dict[str, Any]:
    place, sep, hours = text.partition(":")
    try:
        value = float(hours)
    except ValueError:
        value = -1.0
    if not sep or not place or value <= 0:
        raise InputError(f"--close {text!r}: give PLACE:HOURS, e.g. KZAAU:24 or caspian:48")
    return {"place": place, "hours": value}


def _request(horizon_days: float, mode: str, time_limit: float, close: list[str],
             out_of_service: list[str]) -> Any:
    from midcorridor.service.schemas import CrossingPlanRequest

    body = {"horizon_days": horizon_days, "mode": mode, "time_limit_s": time_limit,
            "closures": [_closure(c) for c in close],
            "fleet": {"out_of_service": out_of_service}}
    return _validated(CrossingPlanRequest, body, {
        "horizon_days": "--horizon-days", "mode": "--mode", "time_limit_s": "--time-limit",
        "closures": "--close", "fleet": "--out-of-service"})


def _validated(schema: Any, body: dict[str, Any], options: dict[str, str]) -> Any:
    """``body`` validated by the service's ``schema``; a problem names the option it came from
    (``options`` maps each top-level field to its option).
    """
    from pydantic import ValidationError

    from midcorridor.service.schemas import first_problem

    try:
        return schema.model_validate(body)
    except ValidationError as exc:
        field, message = first_problem(exc)
        top = field.split(".")[0]
        raise InputError(f"{options.get(top, top)}: {message}") from None


def _coordinator_org(session: Any) -> int:
    from sqlalchemy import select

    from midcorridor.service.db.models import Organization

    org = session.scalar(select(Organization.id).where(Organization.kind == "coordinator")
                         .order_by(Organization.id).limit(1))
    if org is None:
        raise InputError("the database has no coordinator organization to file the plan "
                         "under; create one (midcorridor admin) or load midcorridor demo-data")
    return int(org)


def _local_plan(request: Any, database_url: str | None, latest: bool) -> dict[str, Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from midcorridor.cli.service import _database
    from midcorridor.service import crossing_plans
    from midcorridor.service.db.models import CrossingPlanRecord

    db = _database(database_url)
    if not latest:
        now = datetime.now(UTC)
        with db.read() as session:
            org = _coordinator_org(session)
            crossing_plans.build_instance(session, request, now=now)  # bad input: one line
        columns = (TextColumn("[bold]crossing plan"), BarColumn(),
                   TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task("starting", total=1.0)
            crossing_plans.make_plan(
                db, request, now=now, org_id=org, user_id=None,
                progress=lambda f, m: bar.update(task, completed=f, description=m))
    with db.read() as session:
        plan_id = crossing_plans.latest_id(session)
        if plan_id is None:
            raise InputError("no crossing plan yet; make one with: midcorridor corridor plan")
        record = session.get(CrossingPlanRecord, plan_id)
        assert record is not None
        return json.loads(json.dumps(crossing_plans.document_of(record), default=str))


def _plan_tables(doc: dict[str, Any]) -> list[Table]:
    head = Table(title=f"Crossing plan {doc['id']} ({doc.get('mode', '')}), from "
                       f"{doc['start']} for {doc['horizon_h'] / 24:g} days, made "
                       f"{doc['created_at']}")
    for column in ("", "plan", "FIFO"):
        head.add_column(column, justify="left" if not column else "right")
    fifo = doc.get("fifo") or {}
    for key, label in (("mean_wait_hours", "mean wait h"), ("p95_wait_hours", "p95 wait h"),
                       ("left_behind_units", "units left behind")):
        mine, theirs = doc.get(key), fifo.get(key)
        head.add_row(label, "-" if mine is None else f"{mine:.1f}" if isinstance(mine, float)
                     else str(mine),
                     "-" if theirs is None else f"{theirs:.1f}" if isinstance(theirs, float)
                     else str(theirs))
    head.caption = (f"solver {doc.get('solver')}, status {doc.get('status')}, gap "
                    f"{doc.get('gap')}")
    carried: dict[str, int] = {}
    for a in doc.get("assignments", []):
        carried[a["sailing"]] = carried.get(a["sailing"], 0) + a["units"]
    sailings = Table(title="Sailings")
    for column in ("sailing", "vessel", "from", "to", "departs", "arrives", "units"):
        sailings.add_column(column, justify="right" if column == "units" else "left")
    for s in doc.get("sailings", []):
        sailings.add_row(s["id"], s.get("vessel_name") or s["vessel"], s["origin"],
                         s["destination"], str(s["departure"]), str(s["arrival"]),
                         str(carried.get(s["id"], 0)))
    return [head, sailings]


@corridor_app.command("plan")
def plan_command(
    horizon_days: Annotated[float, typer.Option(help="Plan the cargo waiting and due within "
                                                "this many days (0.5 to 14).")] = 3.0,
    mode: Annotated[str, typer.Option(help="assignment (cargo onto the timetable's sailings) "
                                      "or rotation (vessels' rotations too).")] = "assignment",
    time_limit: Annotated[float, typer.Option(help="Seconds the solver may take.")] = 20.0,
    close: Annotated[list[str] | None, typer.Option(
        help="A closure PLACE:HOURS from now (a Caspian port id or caspian); repeatable.")
    ] = None,
    out_of_service: Annotated[list[str] | None, typer.Option(
        help="A vessel (id or name) that will not sail; repeatable.")] = None,
    latest: Annotated[bool, typer.Option("--latest", help="Show the latest plan, make none.")
                      ] = False,
    url: UrlOption = None,
    token: TokenOption = None,
    output: FormatOption = TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """Plan the Caspian sailings for the cargo waiting and due (HiGHS, beside FIFO), publish
    it onto the shipments' legs and ETAs, and show it; --latest shows the latest plan.
    """
    request = _request(horizon_days, mode, time_limit, close or [], out_of_service or [])
    if url:
        if latest:
            doc = fetch(url, "/crossing/plans/latest", token, {})
        else:
            done = remote_job(url, "/crossing/plans", request.model_dump(mode="json"), token,
                              "crossing plan")
            doc = fetch(url, str(done["url"]), token, {})
    else:
        doc = _local_plan(request, database_url, latest)
    if output is TableOrJson.json:
        print_json(doc)
        return
    for table in _plan_tables(doc):
        console.print(table)


def _closure_body(place: str, start: str | None, until: str, reason: str) -> Any:
    from midcorridor.service.schemas import PortClosurePost

    body = {"place": place, "end": until, "reason": reason}
    if start is not None:
        body["start"] = start
    return _validated(PortClosurePost, body, {
        "place": "PLACE", "start": "--from", "end": "--until", "reason": "--reason"})


def _closures_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for column in ("id", "place", "from", "until", "status", "reason"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for c in rows:
        table.add_row(str(c["id"]), f"{c['name']} ({c['place']})", str(c["start"]),
                      str(c["end"]), c["status"], c["reason"])
    return table


def _local_closures(action: str, database_url: str | None, body: Any = None,
                    closure_id: int = 0) -> list[dict[str, Any]]:
    """List, post (``body``) or cancel (``closure_id``) closures in the local database."""
    from midcorridor.cli.service import _database
    from midcorridor.service import closures, corridor, ingest
    from midcorridor.service.db.models import PortClosureRecord
    from midcorridor.service.planning import network
    from midcorridor.service.public import port_closure_public

    db = _database(database_url)
    now = datetime.now(UTC)
    nodes = network(db.settings.data).nodes
    with db.write() as session:
        if action == "list":
            records = closures.current_and_upcoming(session, now)
        elif action == "close":
            ports = corridor.caspian_ports(db.settings.data)
            record = closures.post(session, body, now=now, ports=ports,
                                   org_id=_coordinator_org(session), user_id=None)
            ingest.refresh_closed(session, record, now=now)
            records = [record]
        else:
            found = session.get(PortClosureRecord, closure_id)
            if found is None:
                raise InputError(f"no closure {closure_id}; list them with: midcorridor "
                                 "corridor closures")
            try:
                closures.cancel(session, found, now=now, user_id=None)
            except closures.ClosureStateError as exc:
                raise InputError(str(exc)) from None
            ingest.refresh_closed(session, found, now=now)
            records = [found]
        return [port_closure_public(r, nodes, now).model_dump(mode="json") for r in records]


@corridor_app.command("closures")
def closures_command(
    url: UrlOption = None,
    token: TokenOption = None,
    output: FormatOption = TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """The posted closures of the Caspian ports in force now or still to come."""
    rows = (send(url, "GET", "/crossing/closures", token, None, 200) if url
            else _local_closures("list", database_url))
    if output is TableOrJson.json:
        print_json(rows)
        return
    console.print(_closures_table(rows, "Closures of the Caspian ports, current and to come"))


@corridor_app.command("close")
def close_command(
    place: Annotated[str, typer.Argument(help="A Caspian port's id (e.g. KZAAU) or caspian "
                                         "for the whole sea.")],
    until: Annotated[str, typer.Option("--until", help="When it reopens, ISO 8601 with a "
                                       "time zone.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. storm warning).")],
    start: Annotated[str | None, typer.Option("--from", help="When it closes, ISO 8601 with "
                                              "a time zone (default now).")] = None,
    url: UrlOption = None,
    token: TokenOption = None,
    output: FormatOption = TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """Post a closure of a Caspian port (or the whole sea): plans sail around it, the
    corridor state shows the port closed, cargo waiting there waits it out in its ETA.
    """
    body = _closure_body(place, start, until, reason)
    rows = ([send(url, "POST", "/crossing/closures", token, body.model_dump(mode="json"), 201)]
            if url else _local_closures("close", database_url, body=body))
    if output is TableOrJson.json:
        print_json(rows[0])
        return
    console.print(_closures_table(rows, "Closure posted"))


@corridor_app.command("reopen")
def reopen_command(
    closure_id: Annotated[int, typer.Argument(help="The closure's id (see: corridor "
                                              "closures).", min=1)],
    url: UrlOption = None,
    token: TokenOption = None,
    output: FormatOption = TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """Cancel a posted closure (it stays on record as cancelled)."""
    rows = ([send(url, "DELETE", f"/crossing/closures/{closure_id}", token, None, 200)]
            if url else _local_closures("cancel", database_url, closure_id=closure_id))
    if output is TableOrJson.json:
        print_json(rows[0])
        return
    console.print(_closures_table(rows, "Closure cancelled"))


def register(app: typer.Typer) -> None:
    """Add the ``corridor`` commands to the command line."""
    app.add_typer(corridor_app, name="corridor")
