"""``midcorridor run``: the main job on the packaged data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from midcorridor.cli.common import console, open_network, write_text
from midcorridor.cli.network import summary_table
from midcorridor.network import summarize, to_geojson


def run_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for result files.")] = Path("out"),
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Then start the service with demo data.")
    ] = True,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the service.")] = 8000,
) -> None:
    """Summarize the network, compare routes for a sample shipment, then start the service."""
    from midcorridor.cli.route import show_sample_routes
    from midcorridor.cli.service import serve_command

    network = open_network()
    console.print(summary_table(summarize(network)))
    path = out / "corridor.geojson"
    write_text(path, json.dumps(to_geojson(network), ensure_ascii=False))
    console.print(f"corridor map (GeoJSON): {path}")
    show_sample_routes(network, out)
    if serve:
        serve_command(host="127.0.0.1", port=port, demo=True, database_url=None)


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the command line."""
    app.command("run")(run_command)
