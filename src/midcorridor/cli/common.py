"""What every command shares: consoles, output formats, loading the network."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from midcorridor.network import Network, load_network

# Piped output (make run, CI logs, files) gets wide tables instead of rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160
console = Console(width=_WIDTH)
err_console = Console(stderr=True)


class TableOrJson(StrEnum):
    """How a command prints its answer: a table for people or JSON for programs."""

    table = "table"
    json = "json"


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A folder whose data files extend or override the packaged data set.",
        envvar="MIDCORRIDOR_DATA",
        file_okay=False,
    ),
]

ScenarioOption = Annotated[
    list[str] | None,
    typer.Option("--scenario", help="Switch on a scenario from the data set (repeatable)."),
]


def open_network(data: Path | None = None, scenarios: list[str] | None = None) -> Network:
    """Load the network for a command, with the user's data folder and scenarios."""
    return load_network(data, scenarios=scenarios or ())


def print_json(payload: Any) -> None:
    """Print a JSON document to standard output (plain, for pipes)."""
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def write_text(path: Path, text: str) -> None:
    """Write a result file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
