"""Three-point durations: PERT draws stay in range and average (min + 4 typ + max) / 6."""

from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midcorridor.sim.draw import draw
from midcorridor.sim.model import Dist

spreads = st.tuples(
    st.floats(0.0, 100.0), st.floats(0.0, 1.0), st.floats(0.1, 200.0)
).map(lambda t: (t[0], t[0] + t[1] * t[2], t[0] + t[2]))


# Derandomized: a 3-standard-error check fails by chance in 0.3 % of draws, so 40 fresh examples
# a run would fail about one run in ten; fixed examples keep the check sharp and the run repeatable.
@settings(max_examples=40, deadline=None, derandomize=True)
@given(spread=spreads, seed=st.integers(0, 2**32 - 1))
def test_pert_draws_lie_in_range_and_average_the_pert_mean(spread, seed) -> None:
    """Every draw lies in [min, max]; 4,000 draws average within 3 standard errors of the
    PERT mean, worked out here from the beta distribution's own moments."""
    low, mode, high = spread
    rng = random.Random(seed)
    xs = [draw(rng, Dist(low, mode, high)) for _ in range(4000)]
    assert all(low <= x <= high for x in xs)
    span = high - low
    a = 1 + 4 * (mode - low) / span
    b = 1 + 4 * (high - mode) / span
    mean = low + span * a / (a + b)
    sd = span * (a * b / ((a + b) ** 2 * (a + b + 1))) ** 0.5
    assert abs(statistics.fmean(xs) - mean) <= 3 * sd / 4000**0.5 + 1e-9
    assert Dist(low, mode, high).mean == pytest.approx(mean, rel=1e-9, abs=1e-9)


def test_a_long_slow_tail_moves_the_pert_mean_less_than_the_triangular() -> None:
    """A border with a typical 12 h and a worst reported 75 h: PERT averages 21.2 h, the
    triangular reading 30.3 h."""
    pert, tri = Dist(4, 12, 75), Dist(4, 12, 75, "triangular")
    rng = random.Random(1)
    assert statistics.fmean(draw(rng, pert) for _ in range(20000)) == pytest.approx(21.17, abs=0.3)
    assert statistics.fmean(draw(rng, tri) for _ in range(20000)) == pytest.approx(30.33, abs=0.4)


def test_a_degenerate_spread_is_its_value_and_draws_nothing() -> None:
    """(22, 22, 22) is 22 h every time, without touching the stream."""
    rng = random.Random(5)
    state = rng.getstate()
    assert draw(rng, Dist(22, 22, 22)) == 22
    assert rng.getstate() == state
