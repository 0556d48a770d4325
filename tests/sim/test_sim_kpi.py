"""Typed KPIs: estimates and their printing, the stationarity check, paired differences."""

from __future__ import annotations

import pytest

from midcorridor.sim.kpi import (
    Estimate,
    compare,
    estimate,
    growing_queues,
    replication_kpis,
    summarize,
)
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.run import run


def test_estimate_is_a_mean_with_a_t_interval() -> None:
    """Three values 1, 2, 3: mean 2, half-width t(2) * 1 / sqrt(3) = 2.484 (by hand)."""
    e = estimate([1.0, 2.0, 3.0, float("nan")])
    assert e.mean == pytest.approx(2.0)
    assert e.n == 3
    assert e.low == pytest.approx(2.0 - 2.484, abs=1e-3)
    assert e.high == pytest.approx(2.0 + 2.484, abs=1e-3)
    assert estimate([]).to_dict() == {"mean": None, "ci95": [None, None], "n": 0}
    assert estimate([5.0]).to_dict() == {"mean": 5.0, "ci95": [None, None], "n": 1}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Estimate(-1.6, -3.2, 0.0001, 5), "\u22121.6 h (\u22123.2 to 0.0)"),
        (Estimate(2.04, 1.0, 3.0, 5), "+2.0 h (1.0 to 3.0)"),
        (Estimate(-0.04, -1.0, 1.0, 5), "0.0 h (\u22121.0 to 1.0)"),
        (Estimate(3.0, n=1), "+3.0 h"),
        (Estimate(None), "-"),
    ],
)
def test_differences_read_as_people_write_them(value: Estimate, text: str) -> None:
    """A difference prints with its sign, unit and interval: "−1.6 h (−3.2 to 0.0)"."""
    assert value.format(1, "h", signed=True) == text


def test_a_queue_that_outgrows_the_fleet_is_reported(make_model) -> None:
    """One small ferry for demand it cannot carry: the Aktau queue grows all run long and the
    summary says so, in its warnings and its JSON."""
    model = make_model(ships=1, teu_per_year=60_000, days=200)
    result = run(model, replications=3, seed=2)
    growing = growing_queues(result)
    assert "KZAAU" in {t.place for t in growing}
    trend = next(t for t in growing if t.place == "KZAAU")
    assert trend.end > 2 * trend.start
    summary = summarize(result)
    assert any("Aktau" in w and "grows" in w for w in summary.warnings)
    assert summary.to_dict()["warnings"] == list(summary.warnings)


def test_a_stable_queue_is_not_reported(make_model) -> None:
    """Two ferries at moderate demand, storms included: queues swing but do not grow."""
    model = make_model(ships=2, teu_per_year=12_000, days=300, storms=4.0)
    result = run(model, replications=4, seed=3)
    assert growing_queues(result) == []
    assert summarize(result).warnings == ()


def test_compare_gives_paired_differences(make_model) -> None:
    """With common random numbers, a second ferry cuts the Caspian wait in every replication,
    so the whole interval of the difference lies below zero."""
    one = run(make_model(ships=1, teu_per_year=20_000, days=150), replications=4, seed=5)
    two = run(make_model(ships=2, teu_per_year=20_000, days=150), replications=4, seed=5)
    doc = compare([one, two])
    diff = doc.differences[0]
    assert diff.against == one.model.name
    assert diff.caspian_wait_hours.high is not None
    assert diff.caspian_wait_hours.high < 0
    assert doc.to_dict()["differences"][0]["caspian_wait_hours"]["n"] == 4


def test_the_caspian_wait_by_variant_adds_up_to_the_caspian_wait(make_model) -> None:
    """Weighted by its consignments, each variant's Caspian wait gives the overall one, and
    container trains and wagon groups are told apart."""
    model = make_model(ships=2, teu_per_year=20_000)
    r = simulate_replication(model, 3, 0)
    k = replication_kpis(model, r)
    counted = [d for d in r.deliveries if d[3] >= r.warmup_h]
    n = {label: sum(1 for d in counted if d[2] == label) for label in k["caspian_by_variant"]}
    assert len(n) == 2
    assert all(n.values())
    weighted = sum(k["caspian_by_variant"][v] * n[v] for v in n) / sum(n.values())
    assert weighted == pytest.approx(k["caspian_wait_hours"])
