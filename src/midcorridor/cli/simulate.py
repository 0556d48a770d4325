"""``midcorridor simulate``: run an experiment, or ``simulate compare A.yaml B.yaml ...``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from midcorridor.cli.common import DataOption, TableOrJson, console, err_console, print_json
from midcorridor.errors import InputError
from midcorridor.network import load_network
from midcorridor.sim.feed import event_stream, write_events
from midcorridor.sim.kpi import compare, summarize
from midcorridor.sim.report import write_report
from midcorridor.sim.run import RunResult, run
from midcorridor.sim.simulate import prepare
from midcorridor.sim.summary import DEFINITIONS, Comparison, Difference, Summary

HELP = """Simulate EXPERIMENT.yaml (replications with a seed), or compare several experiments:

  midcorridor simulate experiments/baseline.yaml -n 20 --seed 1

  midcorridor simulate compare experiments/baseline.yaml experiments/more_ferries.yaml
"""


def _run_one(
    path: Path,
    data: Path | None,
    replications: int,
    seed: int,
    workers: int,
    dask: str | None,
    trace: bool = False,
) -> RunResult:
    network = load_network(data)
    model = prepare(path, network=network)
    columns = (
        TextColumn(f"[bold]{model.name}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replications"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("simulate", total=replications)
        return run(
            model,
            replications=replications,
            seed=seed,
            workers=workers,
            dask=dask,
            progress=lambda done: bar.update(task, completed=done),
            trace=trace,
        )


def kpi_table(summary: Summary) -> Table:
    """The headline KPIs of one experiment with 95% confidence intervals, and any warnings."""
    k = summary.kpis
    table = Table(
        title=f"{summary.experiment}: {summary.replications} replications, "
        f"seed {summary.seed} (mean, 95% CI)",
        caption="\n".join(f"warning: {w}" for w in summary.warnings) or None,
        caption_style="bold yellow",
    )
    table.add_column("KPI", style="bold")
    table.add_column("value")
    table.add_column("what it measures", style="dim")
    d = DEFINITIONS
    table.add_row("door-to-door days, mean", k.transit_days.mean.format(), d["transit_days"])
    table.add_row("door-to-door days, p50", k.transit_days.p50.format(), "")
    table.add_row("door-to-door days, p95", k.transit_days.p95.format(), "")
    table.add_row("Caspian wait for a vessel, h", k.caspian_wait_hours.format(),
                  d["caspian_wait_hours"])
    table.add_row("throughput, TEU/year", k.throughput_teu.format(0), d["throughput_teu"])
    table.add_row("cargo in the corridor, TEU", k.cargo_in_system_teu.format(0),
                  d["cargo_in_system_teu"])
    for label, v in k.transit_days_by_variant.items():
        table.add_row(f"  {label}: days mean / p95", f"{v.mean.format()} / {v.p95.format()}", "")
    for label, w in k.caspian_wait_by_variant.items():
        table.add_row(f"  {label}: Caspian wait, h", w.format(), "")
    for warning in summary.warnings:
        table.add_row("[yellow]warning", f"[yellow]{warning}", "")
    return table


def bottleneck_table(summary: Summary, top: int = 8) -> Table:
    """Places ranked by the waiting they add per TEU delivered."""
    table = Table(title="bottlenecks: hours of waiting at the place per TEU delivered "
                  "(queues, dwell), and how busy its berths or servers are")
    for col in ("rank", "place", "kind", "h per TEU", "utilization"):
        table.add_column(col)
    for b in summary.bottlenecks[:top]:
        util = b.utilization
        table.add_row(
            str(b.rank),
            b.name,
            b.kind,
            b.delay_hours_per_teu.format(),
            "-" if util is None else f"{util:.0%}",
        )
    return table


def compare_table(doc: Comparison) -> Table:
    """Experiments side by side, with paired differences to the first."""
    table = Table(
        title=f"compare: {doc.replications} replications, seed {doc.seed}, "
        "common random numbers (differences against the first, 95% CI)"
    )
    table.add_column("KPI", style="bold")
    for s in doc.experiments:
        table.add_column(s.experiment)
    rows: list[tuple[str, Callable[[Summary], str]]] = [
        ("door-to-door days, mean", lambda s: s.kpis.transit_days.mean.format()),
        ("door-to-door days, p95", lambda s: s.kpis.transit_days.p95.format()),
        ("Caspian wait for a vessel, h", lambda s: s.kpis.caspian_wait_hours.format()),
        ("throughput, TEU/year", lambda s: s.kpis.throughput_teu.format(0)),
        ("top bottleneck", lambda s: s.bottlenecks[0].name if s.bottlenecks else "-"),
    ]
    for name, get in rows:
        table.add_row(name, *(get(s) for s in doc.experiments))
    diffs = {d.experiment: d for d in doc.differences}
    changes: list[tuple[str, Callable[[Difference], str]]] = [
        ("change in days, mean", lambda d: d.transit_days_mean.format(1, "d", signed=True)),
        ("change in days, p95", lambda d: d.transit_days_p95.format(1, "d", signed=True)),
        ("change in Caspian wait", lambda d: d.caspian_wait_hours.format(1, "h", signed=True)),
        ("change in TEU/year", lambda d: d.throughput_teu.format(0, signed=True)),
    ]
    for name, show in changes:
        table.add_row(name, "", *(show(diffs[s.experiment]) for s in doc.experiments[1:]))
    for s in doc.experiments:
        for warning in s.warnings:
            table.add_row("[yellow]warning", *(f"[yellow]{warning}" if o is s else ""
                                               for o in doc.experiments))
    return table


ExperimentsArgument = Annotated[
    list[str],
    typer.Argument(
        help="EXPERIMENT.yaml, or 'compare' followed by two or more experiment files.",
        metavar="EXPERIMENT.yaml | compare A.yaml B.yaml ...",
    ),
]
ReplicationsOption = Annotated[int, typer.Option("--replications", "-n", min=1)]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Seed of replication 0; same seed, same result.")
]
WorkersOption = Annotated[
    int, typer.Option("--workers", "-w", min=1, help="Local processes for the replications.")
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786."),
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report", file_okay=False, help="Folder for CSV/Parquet records and PNG plots."
    ),
]
EventsOption = Annotated[
    Path | None,
    typer.Option(
        "--events",
        dir_okay=False,
        help="Write the shipments and DCSA-shaped events of replication 0 to FILE.jsonl "
        "(dated so the run ends now); post them with 'midcorridor replay'.",
    ),
]
UntilOption = Annotated[
    datetime | None,
    typer.Option("--until", help="With --events: the date the run ends (default: now, UTC)."),
]
TrucksOption = Annotated[
    bool,
    typer.Option(
        "--trucks/--no-trucks",
        help="With --events: also write the single trucks on the Ro-Ro decks (plate as the "
        "vehicle, trailer as the equipment).",
    ),
]
MovementsOption = Annotated[
    bool,
    typer.Option(
        "--movements/--no-movements",
        help="With --events: also write the Caspian vessels' own calls, laden or empty "
        "(arrival at anchorage, berthing, sailing: no shipment, the vessel as vehicle).",
    ),
]


def simulate_command(
    experiments: ExperimentsArgument,
    replications: ReplicationsOption = 10,
    seed: SeedOption = 0,
    workers: WorkersOption = 1,
    dask: DaskOption = None,
    format: Annotated[TableOrJson, typer.Option("--format", "-f")] = TableOrJson.table,
    report: ReportOption = None,
    events: EventsOption = None,
    until: UntilOption = None,
    trucks: TrucksOption = True,
    movements: MovementsOption = True,
    data: DataOption = None,
) -> None:
    """Simulate an experiment (or compare experiments): replications, confidence intervals."""
    comparing = experiments[0] == "compare"
    paths = _experiment_paths(experiments[1:] if comparing else experiments, comparing)
    if events is not None and comparing:
        raise InputError("--events works with one experiment, not with simulate compare")
    if report is not None:  # before the simulation: an unwritable folder fails in a second
        report.mkdir(parents=True, exist_ok=True)
    results = [_run_one(p, data, replications, seed, workers, dask, events is not None)
               for p in paths]
    if events is not None:
        _write_events(results[0], events, until, seed, trucks, movements)
    doc: Summary | Comparison
    if comparing:
        doc = compare(results)
        summaries = list(doc.experiments)
    else:
        doc = summarize(results[0])
        summaries = [doc]
    if report is not None:
        for result, summary in zip(results, summaries, strict=True):
            folder = report / summary.experiment if comparing else report
            written = write_report(result, summary, folder)
            err_console.print(f"wrote {len(written)} files to {folder}")
    if format is TableOrJson.json:
        print_json(doc.to_dict())
    elif isinstance(doc, Comparison):
        console.print(compare_table(doc))
    else:
        console.print(kpi_table(doc))
        console.print(bottleneck_table(doc))


def _experiment_paths(names: list[str], comparing: bool) -> list[Path]:
    """The experiment files named, once checked: one, or two or more to compare."""
    paths = [Path(p) for p in names]
    if comparing and len(paths) < 2:
        raise InputError("simulate compare needs two or more experiment files (A.yaml B.yaml ...)")
    if not comparing and len(paths) != 1:
        raise InputError("give one experiment file, or use: simulate compare A.yaml B.yaml ...")
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such experiment file")
    return paths


def _write_events(result: RunResult, events: Path, until: datetime | None, seed: int,
                  trucks: bool, movements: bool) -> None:
    """The shipments, closure notices and events of the run's replication 0 (with the
    vessels' own calls when ``movements``), dated to end at ``until``.
    """
    end = until if until is None or until.tzinfo else until.replace(tzinfo=UTC)
    first = result.replications[0]
    stream = event_stream(result.model, first.traces, end=end, seed=seed, trucks=trucks,
                          closures=first.closures,
                          movements=first.movements if movements else ())
    shipments, closures, count = write_events(events, stream)
    err_console.print(f"wrote {shipments} shipments, {closures} closure notices and {count} "
                      f"events to {events}")


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the command line."""
    app.command("simulate", help=HELP)(simulate_command)
