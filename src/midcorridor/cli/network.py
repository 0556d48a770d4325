"""``midcorridor network``: summary, validate, export."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from midcorridor.cli.common import (
    DataOption,
    ScenarioOption,
    TableOrJson,
    console,
    csv_text,
    err_console,
    open_network,
    print_json,
    write_text,
)
from midcorridor.network import check_data, link_record, node_record, summarize, to_geojson
from midcorridor.network.summary import NetworkSummary

network_app = typer.Typer(
    help="The corridor network: summary, validation and export.", no_args_is_help=True
)


class ExportFormat(StrEnum):
    """The file format of ``network export``."""

    geojson = "geojson"
    csv = "csv"


class ExportTable(StrEnum):
    """Which table ``network export`` writes as CSV."""

    nodes = "nodes"
    links = "links"


def summary_table(summary: NetworkSummary) -> Table:
    """The summary as a two-column table for people."""
    table = Table(title=f"Corridor network (data {summary.version})", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row(
        "nodes",
        f"{summary.nodes}  "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(summary.nodes_by_kind.items())),
    )
    table.add_row(
        "links",
        f"{summary.links}  "
        + ", ".join(f"{mode} {km:,.0f} km" for mode, km in summary.km_by_mode.items()),
    )
    table.add_row("services", str(summary.services))
    table.add_row("scenarios", str(summary.scenarios))
    table.add_row("countries", f"{len(summary.countries)}  {' '.join(summary.countries)}")
    table.add_row("sources", str(summary.sources))
    table.add_row(
        "figures",
        f"{summary.figures}: {summary.figures_published} published "
        f"({summary.published_share:.0%}), {summary.figures_derived} derived "
        f"({summary.derived_share:.0%}), {summary.figures_assumed} assumptions",
    )
    if summary.active_scenarios:
        table.add_row("scenarios on", ", ".join(summary.active_scenarios))
    return table


@network_app.command("summary")
def summary_command(
    data: DataOption = None,
    scenario: ScenarioOption = None,
    format: Annotated[TableOrJson, typer.Option("--format", "-f")] = TableOrJson.table,
) -> None:
    """Size and coverage of the network, and how much of it is sourced."""
    summary = summarize(open_network(data, scenario))
    if format is TableOrJson.json:
        print_json(summary.to_dict())
    else:
        console.print(summary_table(summary))


@network_app.command("validate")
def validate_command(data: DataOption = None) -> None:
    """Check the data set; list every problem as file:row:field: message."""
    problems = check_data(data)
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        err_console.print(f"{len(problems)} problem(s) found", style="bold red")
        raise typer.Exit(1)
    console.print("data set is valid", style="green")


@network_app.command("export")
def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.geojson,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False)] = None,
    table: Annotated[
        ExportTable, typer.Option("--table", help="For CSV: which table to write.")
    ] = ExportTable.links,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Export the network as GeoJSON (nodes and links) or as a CSV table."""
    network = open_network(data, scenario)
    if format is ExportFormat.geojson:
        text = json.dumps(to_geojson(network), ensure_ascii=False)
    else:
        records = (
            [node_record(n) for n in network.nodes.values()]
            if table is ExportTable.nodes
            else [link_record(lk) for lk in network.links]
        )
        text = csv_text(records)
    if output is None:
        typer.echo(text)
    else:
        write_text(output, text)
        err_console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add the ``network`` commands to the command line."""
    app.add_typer(network_app, name="network")
