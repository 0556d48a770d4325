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
) -> None:
    """Summarize the corridor network and write its map as GeoJSON."""
    network = open_network()
    console.print(summary_table(summarize(network)))
    path = out / "corridor.geojson"
    write_text(path, json.dumps(to_geojson(network), ensure_ascii=False))
    console.print(f"corridor map (GeoJSON): {path}")
    from midcorridor.cli.route import show_sample_routes

    show_sample_routes(network, out)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
