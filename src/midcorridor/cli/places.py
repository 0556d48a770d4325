"""``midcorridor places``: find places by name, alias or code."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from midcorridor.cli.common import DataOption, TableOrJson, console, open_network, print_json
from midcorridor.network import node_record, search_places
from midcorridor.network.model import Node


def places_command(
    query: Annotated[str | None, typer.Argument(help="Part of a name, alias or code.")] = None,
    data: DataOption = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    format: Annotated[TableOrJson, typer.Option("--format", "-f")] = TableOrJson.table,
) -> None:
    """List the places of the network, or those that match QUERY."""
    network = open_network(data)
    if query:
        matches = search_places(network, query, limit=limit)
        nodes: list[Node] = [m.node for m in matches]
        if not nodes:
            console.print(f"no place matches {query!r}")
            raise typer.Exit(1)
    else:
        nodes = sorted(network.nodes.values(), key=lambda n: (n.country, n.name))
    if format is TableOrJson.json:
        print_json([node_record(n) for n in nodes])
        return
    table = Table(title=f"{len(nodes)} place(s)")
    for column in ("id", "name", "country", "kind", "gauge", "lat", "lon", "also known as"):
        table.add_column(column)
    for node in nodes:
        table.add_row(
            node.id,
            node.name,
            node.country,
            node.kind.value,
            "/".join(str(g) for g in sorted(node.gauges)),
            f"{node.lat:.3f}",
            f"{node.lon:.3f}",
            ", ".join(node.aliases),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``places`` command to the command line."""
    app.command("places")(places_command)
