"""``midcorridor whatif CHANGES.yaml``: the live corridor simulated with and without a change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from midcorridor.cli.common import TableOrJson, console, err_console, print_json, remote_job
from midcorridor.cli.service import DatabaseOption
from midcorridor.errors import InputError
from midcorridor.sim.estimate import Estimate

HELP = """Simulate DAYS from the corridor as it is now, with CHANGES.yaml and without, and print
what the change does (95% intervals over replications with common random numbers):

  midcorridor whatif closure.yaml --days 7 -n 10

CHANGES.yaml, e.g. the whole Caspian closed for 48 hours from now:

  closures: [{place: caspian, hours: 48}]

Also: vessels_out: [names], vessels_added: [{line, name, railcars|teu|trucks}],
berths: {Aktau: 4}, handling_h: {Alat: 12}, border_dwell_h: {Dostyk-Alashankou: 10}.
"""


def _changes(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path}: no such changes file")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping of changes (closures:, vessels_out:, ...)")
    return doc.get("changes", doc)


def _local(body: Any, database_url: str | None) -> dict[str, Any]:
    from midcorridor.cli.service import _database
    from midcorridor.service import whatif
    from midcorridor.service.settings import Settings

    whatif.check(body, Settings.from_env().data)
    db = _database(database_url)
    columns = (TextColumn("[bold]what if"), BarColumn(), TextColumn("{task.description}"),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console) as bar, db.read() as session:
        task = bar.add_task("starting", total=1.0)
        return whatif.answer(session, body, now=datetime.now(UTC),
                             progress=lambda f, m: bar.update(task, completed=f, description=m))


def _est(d: dict[str, Any], digits: int = 1, unit: str = "", signed: bool = False) -> str:
    low, high = d["ci95"]
    return Estimate(d["mean"], low, high, d["n"]).format(digits, unit, signed)


def _hours(h: float | None) -> str:
    return "after the horizon" if h is None else f"{h:,.0f} h"


def tables(doc: dict[str, Any]) -> list[Table]:
    """The KPI deltas and the shipments whose median arrival moves most."""
    kpis = Table(title=f"what if: {doc['days']:g} days from {doc.get('as_of', 'now')[:16]}, "
                 f"{doc['replications']} replications against doing nothing (95% CI)")
    for col in ("KPI", "as it is", "with the change", "difference", "what it measures"):
        kpis.add_column(col, style="dim" if col == "what it measures" else None)
    for k in doc["kpis"]:
        kpis.add_row(k["kpi"], _est(k["base"]), _est(k["changed"]),
                     _est(k["delta"], signed=True), k["measures"])
    moved = Table(title="shipments whose median (P50) arrival moves most, hours from now")
    for col in ("shipment", "as it is", "with the change", "shift"):
        moved.add_column(col)
    for s in doc["shipments"]:
        shift = s["shift_h"]
        moved.add_row(s.get("reference") or str(s["shipment"]), _hours(s["base_p50_h"]),
                      _hours(s["changed_p50_h"]), "-" if shift is None else
                      Estimate(shift).format(1, "h", signed=True))
    return [kpis, moved]


def whatif_command(
    changes: Annotated[Path, typer.Argument(help="CHANGES.yaml", dir_okay=False)],
    days: Annotated[float, typer.Option("--days", min=0.1, max=30)] = 7.0,
    replications: Annotated[int, typer.Option("--replications", "-n", min=2, max=100)] = 10,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    url: Annotated[str | None, typer.Option(
        "--url", envvar="MIDCORRIDOR_URL",
        help="Ask a running service (coordinator or admin token) instead of the local "
             "database.")] = None,
    token: Annotated[str | None, typer.Option("--token", envvar="MIDCORRIDOR_TOKEN")] = None,
    format: Annotated[TableOrJson, typer.Option("--format", "-f")] = TableOrJson.table,
    database_url: DatabaseOption = None,
) -> None:
    """What a change does to the corridor from now: KPI deltas and the shipments it moves."""
    from pydantic import ValidationError

    from midcorridor.service.schemas import WhatIfRequest, first_problem

    try:
        body = WhatIfRequest(days=days, replications=replications, seed=seed,
                             changes=_changes(changes))
    except ValidationError as exc:
        where, what = first_problem(exc)
        raise InputError(f"{where}: {what}") from None
    doc = (remote_job(url, "/scenarios/whatif", body.model_dump(mode="json"), token, "what-if")
           if url else _local(body, database_url))
    if format is TableOrJson.json:
        print_json(doc)
        return
    for table in tables(doc):
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``whatif`` command to the command line."""
    app.command("whatif", help=HELP)(whatif_command)
