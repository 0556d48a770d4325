"""`midcorridor route`: every format to a file, legs with place names, --all."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app

if TYPE_CHECKING:
    from pathlib import Path

ARGS = ["route", "Aktau", "Baku", "--depart", "2026-12-01"]


def _run(*extra: str) -> str:
    result = CliRunner().invoke(app, [*ARGS, *extra], env={"MIDCORRIDOR_DATA": ""})
    assert result.exception is None, result.output
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "geojson", "csv"])
def test_every_format_writes_its_file(tmp_path: Path, fmt: str) -> None:
    """-o FILE writes the chosen format, and what it writes is that format."""
    out = tmp_path / "sub" / f"routes.{fmt}"
    _run("--format", fmt, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    if fmt == "table":
        assert "Option 1: Middle via Aktau–Alat" in text
        assert "Aktau (KZAAU)" in text
        assert "Alat (AZALT)" in text
        assert "\x1b[" not in text  # plain text, no terminal colour codes
    elif fmt == "json":
        payload = json.loads(text)
        assert payload["origin"] == "KZAAU"
        assert payload["options"]
        assert {"alternatives", "legs"} <= set(payload["options"][0])
    elif fmt == "geojson":
        payload = json.loads(text)
        assert payload["type"] == "FeatureCollection"
        assert payload["features"]
    else:
        rows = list(csv.DictReader(text.splitlines()))
        assert rows
        assert rows[0]["rank"] == "1"
        assert rows[0]["corridor"].startswith("Middle via Aktau–Alat")
        assert rows[0]["places"].startswith("Aktau (KZAAU) > Alat (AZALT)")
        assert float(rows[0]["days"]) > 0


def test_table_prints_the_legs_of_every_option_with_names() -> None:
    """Each option shown gets its own legs table, with names beside the codes."""
    output = _run()
    count = output.count("│ 1 │") + sum(output.count(f"│ {i} │") for i in range(2, 10))
    assert count >= 1
    for i in range(1, count + 1):
        assert f"Option {i}:" in output
    assert "Aktau (KZAAU)" in output
    assert "Baku (AZBAK)" in output


def test_all_lists_at_least_as_many_options() -> None:
    """--all gives every Pareto option: never fewer rows than the folded default."""
    folded = json.loads(_run("--format", "json"))
    every = json.loads(_run("--format", "json", "--all"))
    assert len(every["options"]) >= len(folded["options"])
    assert len(every["options"]) == len(folded["options"]) + sum(
        o["alternatives"] for o in folded["options"]) + folded["hidden"]
    assert all(o["alternatives"] == 0 for o in every["options"])


def test_a_past_depart_date_is_warned_about_on_stderr() -> None:
    """A ready date before today still plans, and says on stderr that it is in the past."""
    args = ["route", "Aktau", "Baku", "--format", "json"]
    past = CliRunner().invoke(app, [*args, "--depart", "2020-01-06"], env={"MIDCORRIDOR_DATA": ""})
    assert past.exception is None, past.output
    assert past.exit_code == 0, past.output
    assert "2020-01-06 is in the past" in past.stderr
    assert json.loads(past.stdout)["options"]
    today = CliRunner().invoke(app, args, env={"MIDCORRIDOR_DATA": ""})
    assert today.exit_code == 0
    assert "in the past" not in today.stderr


def test_places_sharing_a_name_are_told_apart() -> None:
    """Two places whose names differ only in brackets keep the bracket in their labels; other
    places show the name without it."""
    from midcorridor.cli.route import place_label
    from midcorridor.network import load_network

    net = load_network()
    assert place_label(net, "TRAM0") == "Istanbul Ambarlı (TRAM0)"
    assert place_label(net, "TRIST") == "Istanbul Halkalı (TRIST)"
    assert place_label(net, "KZMNG") == "Mangistau (KZMNG)"
    assert place_label(None, "KZMNG") == "KZMNG"


def test_a_run_of_legs_never_ends_where_it_started() -> None:
    """A truck to a via place on a spur and back is printed as two runs, to the via place and
    on from it, so no row goes from a place to itself (Xi'an to Istanbul via Baku turns back
    at Baku, reached from Alat only)."""
    from datetime import UTC, datetime

    from midcorridor.cli.route import stretches
    from midcorridor.network import load_network
    from midcorridor.routing import Cargo, plan

    result = plan(load_network(), "Xi'an", "Istanbul", cargo=Cargo(1), via=["Baku"],
                  depart=datetime(2026, 12, 1, tzinfo=UTC))
    ends = [(run[0].origin, run[-1].destination)
            for option in result.comparison() for run in stretches(option)]
    assert ("AZALT", "AZBAK") in ends
    assert all(a != b for a, b in ends)
    for option in result.comparison():
        legs = [leg for run in stretches(option) for leg in run]
        assert legs == list(option.legs)
