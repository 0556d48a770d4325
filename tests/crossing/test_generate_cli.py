"""The generator on the packaged data set, the round trip through files, and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app
from midcorridor.crossing import GeneratorParams, generate_instance, load_instance
from midcorridor.crossing.generate import write_instance
from midcorridor.crossing.model import UnitType
from midcorridor.network import find_place, is_caspian_port


def test_generated_instance_is_realistic(corridor):
    """A 14-day instance uses Caspian ports only and carries about the published volumes."""
    inst = generate_instance(corridor, GeneratorParams(days=14, seed=1))
    aktau = find_place(corridor, "Aktau").id
    assert aktau in inst.ports
    assert all(is_caspian_port(corridor.nodes[p]) for p in inst.ports)
    teu = sum(b.units for b in inst.bookings if b.unit_type is UnitType.TEU)
    # 77,000 TEU a year -> ~2,950 TEU in 14 days (Poisson trains of 57 TEU)
    assert 1_500 < teu < 4_500
    assert len(inst.sailings) > 50
    assert len(inst.vessels) >= 8


def test_generator_is_seeded(corridor):
    """The same seed gives the same instance; another seed another one."""
    a = generate_instance(corridor, GeneratorParams(days=7, seed=5))
    b = generate_instance(corridor, GeneratorParams(days=7, seed=5))
    c = generate_instance(corridor, GeneratorParams(days=7, seed=6))
    assert a.bookings == b.bookings
    assert a.sailings == b.sailings
    assert a.bookings != c.bookings


def test_round_trip_through_files(corridor, tmp_path):
    """write_instance then load_instance gives back the same bookings and sailings."""
    inst = generate_instance(corridor, GeneratorParams(days=7, seed=2))
    back = load_instance(*write_instance(inst, tmp_path), corridor)
    assert back.bookings == inst.bookings
    assert [(s.id, s.departure) for s in back.sailings] == [
        (s.id, s.departure) for s in inst.sailings]
    assert back.ports == inst.ports


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    result = CliRunner().invoke(app, ["optimize", "generate", "--days", "7", "--seed", "4",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_cli_json_has_the_documented_keys(generated, tmp_path):
    """`optimize --format json` prints the plan with FIFO beside it and writes the CSV."""
    plan_csv = tmp_path / "plan.csv"
    result = CliRunner().invoke(app, [
        "optimize", "--bookings", str(generated / "bookings.csv"), "--fleet",
        str(generated / "fleet.yaml"), "--time-limit", "20", "--format", "json",
        "-o", str(plan_csv)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{"):])
    assert data["solver"] == "highs"
    assert data["objective"] <= data["fifo"]["objective"]
    for key in ("status", "bound", "gap", "mean_wait_hours", "p95_wait_hours",
                "left_behind_units", "assignments"):
        assert key in data
    lines = plan_csv.read_text().splitlines()
    assert lines[0].startswith("booking,sailing,vessel")
    units = sum(int(line.split(",")[5]) for line in lines[1:])
    assert units == data["assigned_units"] + data["left_behind_units"]


def test_cli_rotation_table(generated):
    """Rotation mode prints a table with the optimized and FIFO columns."""
    result = CliRunner().invoke(app, [
        "optimize", "--bookings", str(generated / "bookings.csv"), "--fleet",
        str(generated / "fleet.yaml"), "--mode", "rotation", "--step-h", "12",
        "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "FIFO" in result.stdout
    assert "mean wait" in result.stdout


def test_cli_bad_input_fails_with_the_row(tmp_path, generated):
    """A booking from Poti fails with the file, row and field named, non-zero exit."""
    bad = tmp_path / "bookings.csv"
    text = (generated / "bookings.csv").read_text().splitlines()
    row = text[1].split(",")
    row[3] = "Poti"
    bad.write_text("\n".join([text[0], ",".join(row)]) + "\n")
    result = CliRunner().invoke(app, ["optimize", "--bookings", str(bad), "--fleet",
                                      str(generated / "fleet.yaml")])
    assert result.exit_code != 0
    assert "bookings.csv:2:origin: Poti (GEPTI) is not a Caspian port" in result.output


def test_cli_needs_both_files():
    """Without --bookings and --fleet the command says what to give."""
    result = CliRunner().invoke(app, ["optimize"])
    assert result.exit_code != 0
    assert "give --bookings FILE and --fleet FILE" in result.output


def test_plan_table_says_when_fifo_is_shown_and_when_the_gap_is_unknown():
    """A fallback plan with no bound proved: the table names FIFO and shows no made-up gap."""
    from dataclasses import replace

    from rich.console import Console

    from midcorridor.cli.optimize import plan_table
    from midcorridor.crossing.result import CrossingPlan, PlanFigures

    figures = PlanFigures(100.0, 10.0, 20.0, 0, 10, 1)
    plan = CrossingPlan("rotation", "Time limit reached", 100.0, -float("inf"), float("inf"),
                        figures, figures, (), (), extra={"plan": "fifo"})
    console = Console(width=200, record=True)
    console.print(plan_table(plan))
    text = console.export_text()
    assert "FIFO's (the solver found nothing better)" in text
    assert "unknown (no bound in time)" in text
    assert plan.to_dict()["gap"] is None
    assert plan.to_dict()["bound"] is None
    assert plan.to_dict()["plan_from"] == "fifo"
    console = Console(width=200, record=True)
    console.print(plan_table(replace(plan, bound=90.0, gap=0.1, extra={"plan": "optimizer"})))
    text = console.export_text()
    assert "FIFO's" not in text
    assert "10.00%" in text
    console = Console(width=200, record=True)
    console.print(plan_table(replace(plan, extra={"plan": "fifo_voyages"})))
    assert "FIFO's voyages, the cargo loaded by the optimizer" in console.export_text()
