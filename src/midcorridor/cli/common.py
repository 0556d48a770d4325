"""What every command shares: consoles, output formats, loading the network."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from midcorridor.network import Network, load_network

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

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


def csv_text(rows: Sequence[Mapping[str, Any]], empty_header: Sequence[str] = ()) -> str:
    """``rows`` as CSV with a header of the first row's keys (``empty_header`` when none)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else list(empty_header))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def remote_job(url: str, path: str, body: dict[str, Any], token: str | None,
               label: str) -> dict[str, Any]:
    """POST ``body`` to a service route that answers 202 with a job, follow the job with a
    progress bar and return its result; every failure as one readable line.
    """
    import time

    import httpx
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from midcorridor.errors import InputError

    if not token:
        raise InputError("--url needs --token (or MIDCORRIDOR_TOKEN)")
    headers = {"Authorization": f"Bearer {token}"}
    base = url.rstrip("/")
    try:
        r = httpx.post(base + path, json=body, headers=headers, timeout=30)
        if r.status_code != 202:
            raise InputError(f"{base}{path} answered {r.status_code}: {r.text[:300]}")
        job = r.json()["url"]
        columns = (TextColumn(f"[bold]{label}"), BarColumn(), TextColumn("{task.description}"),
                   TimeElapsedColumn())
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task("queued", total=1.0)
            while True:
                state = httpx.get(base + job, headers=headers, timeout=30).json()
                bar.update(task, completed=state.get("progress", 0.0),
                           description=state.get("progress_message") or state["status"])
                if state["status"] == "succeeded":
                    return dict(state["result"])
                if state["status"] == "failed":
                    raise InputError(f"the {label} job failed: {state.get('error')}")
                time.sleep(1.0)
    except httpx.HTTPError as exc:
        raise InputError(f"cannot reach {url}: {exc}") from None
