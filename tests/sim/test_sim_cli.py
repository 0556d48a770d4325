"""`midcorridor simulate` and `simulate compare` on the packaged data set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app

if TYPE_CHECKING:
    from collections.abc import Callable

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"
runner = CliRunner()


def _short(tmp_path: Path, name: str, base: str = "baseline.yaml", extra: str = "") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nbase: {EXPERIMENTS / base}\nhorizon_days: 70\nwarmup_days: 10\n{extra}"
    )
    return path


def _invoke(*args: str):  # noqa: ANN202 - click's Result
    return runner.invoke(app, ["simulate", *args])


@pytest.fixture(scope="module")
def short_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The baseline experiment cut to 70 days."""
    return _short(tmp_path_factory.mktemp("scen"), "short")


def test_json_has_the_documented_keys(short_baseline: Path) -> None:
    """`simulate X.yaml --format json` gives kpis with CIs, bottlenecks, replications and seed."""
    result = _invoke(str(short_baseline), "-n", "3", "--seed", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["replications"] == 3
    assert doc["seed"] == 5
    transit = doc["kpis"]["transit_days"]
    for key in ("mean", "p50", "p95"):
        assert transit[key]["mean"] > 0
        assert len(transit[key]["ci95"]) == 2
    assert doc["kpis"]["caspian_wait_hours"]["mean"] >= 0
    assert doc["kpis"]["throughput_teu"]["mean"] > 10_000
    assert doc["bottlenecks"][0]["rank"] == 1
    assert doc["conservation"]["holds"]


def test_workers_give_the_same_numbers(short_baseline: Path) -> None:
    """Two local processes give the same KPIs as one for the same seed."""
    one = _invoke(str(short_baseline), "-n", "2", "--seed", "3", "-f", "json")
    two = _invoke(str(short_baseline), "-n", "2", "--seed", "3", "-f", "json", "--workers", "2")
    assert one.exit_code == two.exit_code == 0, two.output
    assert json.loads(one.stdout)["kpis"] == json.loads(two.stdout)["kpis"]


def test_table_and_report_files(short_baseline: Path, tmp_path: Path) -> None:
    """The table names the bottlenecks; --report writes CSV, Parquet, JSON and PNG plots."""
    out = tmp_path / "report"
    result = _invoke(str(short_baseline), "-n", "2", "--report", str(out))
    assert result.exit_code == 0, result.output
    assert "bottlenecks" in result.stdout
    assert "door-to-door" in result.stdout
    names = {p.name for p in out.iterdir()}
    for name in (
        "deliveries.csv",
        "deliveries.parquet",
        "waits.parquet",
        "kpis.json",
        "transit_days.png",
        "queues.png",
        "utilization.png",
    ):
        assert name in names
    assert (out / "transit_days.png").stat().st_size > 5_000


def test_compare_shows_paired_differences(short_baseline: Path, tmp_path: Path) -> None:
    """`simulate compare A B` runs both with common random numbers and reports the difference."""
    hub = _short(tmp_path, "hub", "aktau_hub.yaml")
    result = _invoke("compare", str(short_baseline), str(hub), "-n", "3", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["experiment"] for s in doc["experiments"]] == ["short", "hub"]
    diff = doc["differences"][0]
    assert diff["against"] == "short"
    assert diff["caspian_wait_hours"]["mean"] is not None
    table = _invoke("compare", str(short_baseline), str(hub), "-n", "2")
    assert table.exit_code == 0
    assert "common random numbers" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "no such experiment file"),
        (["compare", "only-one.yaml"], "two or more experiment files"),
    ],
)
def test_bad_input_is_one_line_error(
    args: list[str], message: str, one_line_error: Callable[[Any, str], None]
) -> None:
    """Missing files and a lonely compare give one error line and exit status 1."""
    one_line_error(_invoke(*args), message)


def test_bad_field_names_file_and_field(tmp_path: Path) -> None:
    """An experiment with a bad value names the file and the field."""
    bad = _short(tmp_path, "bad", extra="storms: {per_year: lots}\n")
    result = _invoke(str(bad))
    assert result.exit_code == 1
    assert "bad.yaml:-:storms.per_year: 'lots' is not a number" in result.output
