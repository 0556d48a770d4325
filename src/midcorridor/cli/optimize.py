"""``midcorridor optimize``: the Caspian crossing optimizer, and ``optimize generate``."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from midcorridor.cli import common
from midcorridor.cli.common import DataOption, ScenarioOption, TableOrJson
from midcorridor.crossing import (
    CrossingPlan,
    GeneratorParams,
    generate_instance,
    load_instance,
    optimize_crossing,
    write_instance,
)
from midcorridor.crossing.result import PLAN_FIFO_VOYAGES
from midcorridor.errors import InputError

optimize_app = typer.Typer(
    help="Caspian crossing: assign bookings to sailings or plan vessel rotations (HiGHS), "
    "side by side with first come, first served.",
    invoke_without_command=True,
)


class Mode(StrEnum):
    """What the crossing optimizer decides: cargo on fixed sailings, or the sailings too."""

    assignment = "assignment"
    rotation = "rotation"


def plan_table(plan: CrossingPlan) -> Table:
    """Optimized and FIFO figures side by side."""
    table = Table(title=f"Caspian crossing, {plan.mode} mode: {plan.status}")
    table.add_column("figure", style="bold")
    table.add_column("optimized", justify="right")
    table.add_column("FIFO", justify="right")
    f, b = plan.figures, plan.fifo
    table.add_row("objective (priority-weighted h)", f"{plan.objective:,.1f}",
                  f"{b.objective:,.1f}")
    table.add_row("mean wait (h)", f"{f.mean_wait_hours:.1f}", f"{b.mean_wait_hours:.1f}")
    table.add_row("p95 wait (h)", f"{f.p95_wait_hours:.1f}", f"{b.p95_wait_hours:.1f}")
    table.add_row("units carried", f"{f.assigned_units:,}", f"{b.assigned_units:,}")
    table.add_row("units left behind", f"{f.left_behind_units:,}", f"{b.left_behind_units:,}")
    table.add_row("sailings", f"{f.sailings:,}", f"{b.sailings:,}")
    gap = f"{plan.gap:.2%}" if math.isfinite(plan.gap) else "unknown (no bound in time)"
    table.add_row("bound / gap", f"{plan.bound:,.1f} / {gap}", "")
    table.add_row("solve time (s)", f"{plan.seconds:.1f}", "")
    if plan.extra.get("plan") == "fifo":
        table.add_row("plan shown", "FIFO's (the solver found nothing better)", "")
    elif plan.extra.get("plan") == PLAN_FIFO_VOYAGES:
        table.add_row("plan shown", "FIFO's voyages, the cargo loaded by the optimizer", "")
    elif plan.extra.get("fifo_routes"):
        routes = plan.extra["fifo_routes"]
        table.add_row("plan shown", f"FIFO's on {len(routes)} route{'s' * (len(routes) > 1)} "
                      f"({', '.join(routes)}), the optimizer's elsewhere", "")
    return table


@optimize_app.callback()
def optimize_command(
    ctx: typer.Context,
    bookings: Annotated[Path | None, typer.Option("--bookings", dir_okay=False,
                                                  help="bookings.csv")] = None,
    fleet: Annotated[Path | None, typer.Option("--fleet", dir_okay=False,
                                               help="fleet.yaml")] = None,
    mode: Annotated[Mode, typer.Option("--mode")] = Mode.assignment,
    time_limit: Annotated[float, typer.Option("--time-limit", help="seconds")] = 60.0,
    mip_gap: Annotated[float, typer.Option("--mip-gap", help="relative gap to stop at")] = 1e-3,
    step_h: Annotated[float, typer.Option("--step-h", help="rotation time step, hours")] = 6.0,
    sailing_cost: Annotated[float | None, typer.Option(
        "--sailing-cost", help="rotation: waiting hours one sailing's fuel is worth")] = None,
    format: Annotated[TableOrJson, typer.Option("--format", "-f")] = TableOrJson.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False,
                                                help="write the plan as CSV")] = None,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Optimize the crossing for --bookings and --fleet (or use `optimize generate`)."""
    if ctx.invoked_subcommand is not None:
        return
    if bookings is None or fleet is None:
        raise InputError("give --bookings FILE and --fleet FILE (make an example with "
                         "`midcorridor optimize generate -o DIR`)")
    network = common.open_network(data, scenario)
    instance = load_instance(bookings, fleet, network, mode=mode.value)
    if sailing_cost is not None:
        if sailing_cost < 0:
            raise InputError("--sailing-cost must be >= 0")
        from dataclasses import replace
        instance = replace(instance, costs=replace(instance.costs, sailing_h=sailing_cost))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=common.err_console, transient=True) as progress:
        progress.add_task(f"solving {len(instance.bookings)} bookings with HiGHS "
                          f"({mode.value} mode, limit {time_limit:g} s)", total=None)
        plan = optimize_crossing(instance, mode=mode.value, time_limit=time_limit,
                                 mip_gap=mip_gap, step_h=step_h)
    if output is not None:
        common.write_text(output, common.csv_text(plan.records(instance), ["booking"]))
        common.err_console.print(f"wrote {output}")
    if format is TableOrJson.json:
        common.print_json(plan.to_dict())
    else:
        common.console.print(plan_table(plan))


@optimize_app.command("generate")
def generate_command(
    output: Annotated[Path, typer.Option("--output", "-o", file_okay=False,
                                         help="folder for bookings.csv and fleet.yaml")],
    days: Annotated[float, typer.Option("--days", min=1)] = 14.0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    bookings: Annotated[int | None, typer.Option("--bookings", min=1,
                                                 help="about this many bookings")] = None,
    volume_scale: Annotated[float, typer.Option("--volume-scale", min=0.01)] = 1.0,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Write a realistic instance from the data set's Caspian fleet and published volumes."""
    network = common.open_network(data, scenario)
    params = GeneratorParams(days=days, seed=seed, volume_scale=volume_scale, bookings=bookings)
    instance = generate_instance(network, params)
    b, f = write_instance(instance, output)
    common.console.print(f"{len(instance.bookings)} bookings ({instance.total_units:,} units), "
                  f"{len(instance.vessels)} vessels, {len(instance.sailings)} sailings over "
                  f"{days:g} days: {b}, {f}")


def register(app: typer.Typer) -> None:
    """Add the ``optimize`` commands to the command line."""
    app.add_typer(optimize_app, name="optimize")
