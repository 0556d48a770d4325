"""Cargo conversions, the timetable, tariff files and the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app
from midcorridor.errors import DataError, InputError
from midcorridor.network.model import Departures
from midcorridor.routing import Cargo, load_tariffs
from midcorridor.routing.timetable import schedule_of, to_hours

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def test_cargo_conversions() -> None:
    """FEU is 2 TEU; 120 t is 10 TEU at 12 t per TEU."""
    assert Cargo.from_feu(20).teu == 40
    assert Cargo.from_tonnes(120).teu == pytest.approx(10)
    assert Cargo(40).tonnes == 480
    with pytest.raises(InputError):
        Cargo(0)


def test_weekly_departure_in_local_time() -> None:
    """Mon/Thu 20:00 at UTC+4 is 16:00 UTC; from Tuesday the next one is Thursday 16:00."""
    sched = schedule_of(Departures(weekdays=(0, 3), time="20:00", utc_offset="+04:00"))
    tuesday = to_hours(datetime(2026, 12, 1, tzinfo=UTC))
    assert sched.next_departure(tuesday) == to_hours(datetime(2026, 12, 3, 16, tzinfo=UTC))
    monday_16 = to_hours(datetime(2026, 11, 30, 16, tzinfo=UTC))
    assert sched.next_departure(monday_16) == monday_16


def test_tariff_file_overrides_and_errors(tmp_path: Path) -> None:
    """A CSV override replaces a rate; a bad row is reported as file:row:field."""
    good = tmp_path / "t.csv"
    good.write_text("key,usd,source\nhandling,99,assumption: my quote\nrail_km:GE,1.2,S001\n")
    assert load_tariffs(good).rates["handling"].usd == 99
    bad = tmp_path / "bad.csv"
    bad.write_text("key,usd,source\nhandling,cheap,S1\nplane_km,1,S1\n")
    with pytest.raises(DataError) as info:
        load_tariffs(bad)
    text = str(info.value)
    assert "bad.csv:2:usd" in text
    assert "bad.csv:3:key" in text
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("tariffs:\n  handling: {usd: -5, source: S1}\n  rail_km: {usd: 1}\n"
                        "  plane_km: {usd: 1, source: S1}\n  border: 7\n")
    with pytest.raises(DataError) as info:
        load_tariffs(bad_yaml)
    assert [(p.row, p.field) for p in info.value.problems] == [
        ("handling", "usd"), ("rail_km", "source"), ("plane_km", "key"), ("border", "usd")]


def test_cli_json_on_fixture(corridor_minimal_dir: Path) -> None:
    """`route --format json` prints options with the contract fields and legs."""
    result = CliRunner().invoke(app, [
        "route", "Alashankou", "Poti", "--depart", "2026-12-01", "--teu", "40",
        "--format", "json", "--data", str(corridor_minimal_dir)], env={"MIDCORRIDOR_DATA": ""})
    if "packaged" in result.output:  # pragma: no cover - defensive
        pytest.skip("packaged data missing")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    option = payload["options"][0]
    for key in ("corridor", "total_hours", "cost_usd", "co2e_kg", "transshipments", "borders"):
        assert key in option
    assert {"from", "to", "mode", "depart", "arrive", "distance_km", "co2e_kg"} <= set(
        option["legs"][0])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["Xian", "Atlantis"], "unknown place"),
        (["Xian", "Istanbul", "--depart", "1 Dec"], "YYYY-MM-DD"),
        (["Xian", "Istanbul", "--teu", "2", "--tonnes", "5"], "only one"),
    ],
)
def test_cli_errors_are_one_line(
    args: list[str], needle: str, one_line_error: Callable[[Any, str], None]
) -> None:
    """Bad input gives a one-line error and exit status 1, never an escaped exception."""
    one_line_error(CliRunner().invoke(app, ["route", *args]), needle)
