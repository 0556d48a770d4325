"""The conditional median: futures of one simulated state, and the gain it bounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from midcorridor.live.calibration import Forecast
from midcorridor.live.oracle import conditional_medians, moments, oracle_gains
from midcorridor.live.position import ARRIVAL_CODES
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.simulate import BASELINE, prepare

if TYPE_CHECKING:
    from midcorridor.network import Network
    from midcorridor.sim.model import SimModel

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def model(corridor: Network) -> SimModel:
    """Forty days of the baseline from an empty corridor."""
    return replace(prepare(BASELINE, network=corridor), horizon_h=40 * 24.0, warmup_h=0.0)


def _forecasts(model: SimModel, at_h: float) -> list[Forecast]:
    """A forecast at ``at_h`` (all its estimates the deterministic one, a day late) for every
    consignment of seed 3 under way then that arrived, with its true arrival."""
    run = simulate_replication(model, 3, 0, trace=True)
    ends = {s.name: s.destination for s in model.streams}
    out = []
    for t in run.traces:
        arrived = [h for h, code, place, *_ in t.milestones
                   if code in ARRIVAL_CODES and place == ends[t.stream]]
        if t.delivered_h is None or not arrived or not t.created_h < at_h < t.delivered_h:
            continue
        arrival = START + timedelta(hours=max(arrived))
        late = arrival + timedelta(hours=24)
        out.append(Forecast(f"SIM-{t.id:06d}", "Aktau", START + timedelta(hours=at_h),
                            late, late, late, late, arrival))
    return out


def test_the_median_of_futures_after_the_arrival_is_the_arrival(model: SimModel) -> None:
    """Futures diverging after every forecast's shipment arrived all repeat its arrival, so
    the conditional median is exact and gains 100% over an ETA a day off; futures diverging
    while they are under way differ from what happened for some of them."""
    at_h = 10 * 24.0
    forecasts = _forecasts(model, at_h)
    assert len(forecasts) > 5
    last = max(f.arrival for f in forecasts) + timedelta(hours=1)
    medians = conditional_medians(model, 3, [(last, forecasts)], start=START, futures=3)
    assert all(abs(medians[f.reference, "Aktau"] - f.arrival) < timedelta(seconds=1)
               for f in forecasts)
    (gain,) = oracle_gains(forecasts, medians, ["Aktau", "Alat"])
    assert gain.n == len(forecasts)
    assert (gain.oracle_gain, gain.p50_gain) == (pytest.approx(1.0), pytest.approx(0.0))
    now = START + timedelta(hours=at_h)
    medians = conditional_medians(model, 3, [(now, forecasts)], start=START, futures=3)
    assert any(abs(medians[f.reference, "Aktau"] - f.arrival) > timedelta(hours=1)
               for f in forecasts if (f.reference, "Aktau") in medians)


def test_moments_are_spread_and_hold_the_forecasts_just_before() -> None:
    forecasts = [Forecast(f"SIM-{i:06d}", "Alat", START + timedelta(hours=i), START, START,
                          START, START, START) for i in range(100)]
    groups = moments(forecasts, 10, 5.0)
    assert len(groups) == 10
    for at, group in groups:
        assert len(group) == 5
        assert all(at - timedelta(hours=5) < f.at <= at for f in group)
    assert all(b[0] - a[0] >= timedelta(hours=5) for a, b in zip(groups, groups[1:], strict=False))
