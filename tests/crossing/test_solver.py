"""The sparse model: a copy takes rows of its own."""

from __future__ import annotations

import numpy as np
import pytest

from midcorridor.crossing.solver import INF, SparseModel, solve


def test_rows_added_to_a_copy_stay_its_own():
    """max x + y with x + y <= 4, x and y whole in 0..3: 4. A copy with x <= 1 and y <= 2
    added: 3, while the original keeps its one row and its 4."""
    model = SparseModel()
    cols = model.add_columns(np.array([-1.0, -1.0]), 0.0, 3.0)
    row = model.add_rows(-INF, 4.0, 1)
    model.add_entries(np.array([row[0], row[0]]), cols, 1.0)
    other = model.copy()
    for col in cols:
        r = other.add_rows(-INF, 1.0 if col == cols[0] else 2.0, 1)
        other.add_entries(r, np.array([col]), 1.0)
    assert model.num_row == 1
    assert other.num_row == 3
    assert solve(model.to_lp()).objective == pytest.approx(-4.0)
    assert solve(other.to_lp()).objective == pytest.approx(-3.0)


def test_each_better_incumbent_is_reported_feasible_and_the_last_is_the_answer():
    """max 5x + 4y + 3w with 2x + 3y + w <= 5, 4x + y + 2w <= 11, 3x + 4y + 2w <= 8, whole
    and non-negative (Chvatal's example): optimum 13 at (2, 0, 1). Started from 0, every
    solution HiGHS reports as better meets the rows, each beats the one before, and the
    last is the one it returns."""
    model = SparseModel()
    cols = model.add_columns(np.array([-5.0, -4.0, -3.0]), 0.0, 10.0)
    rows = model.add_rows(-INF, np.array([5.0, 11.0, 8.0]), 3)
    a = np.array([[2.0, 3.0, 1.0], [4.0, 1.0, 2.0], [3.0, 4.0, 2.0]])
    r, c = np.nonzero(a)
    model.add_entries(rows[r], cols[c], a[r, c])
    found: list[np.ndarray] = []
    out = solve(model.to_lp(), start=np.zeros(3), mip_gap=0.0, found=found.append)
    assert out.objective == pytest.approx(-13.0)
    assert found
    for values in found:
        assert len(values) == 3
        assert np.all(a @ values <= np.array([5.0, 11.0, 8.0]) + 1e-6)
        assert np.allclose(values, np.rint(values))
    objectives = [model.value(v) for v in found]
    assert all(b < a_ for a_, b in zip(objectives, objectives[1:], strict=False))
    assert objectives[-1] == pytest.approx(out.objective)


def test_a_solve_stops_when_asked_and_keeps_its_start():
    """A knapsack with 40 whole items in 0..3 (weights 7..46, values weight + 1..5, room
    500): HiGHS needs a search for it. Asked to stop at its first chance, it stops, says so
    and keeps the start it was given (nothing packed: 0); not asked, it packs something."""
    rng = np.random.default_rng(3)
    weights = rng.integers(7, 47, 40).astype(float)
    values = weights + rng.integers(1, 6, 40)
    model = SparseModel()
    cols = model.add_columns(-values, 0.0, 3.0)
    row = model.add_rows(-INF, 500.0, 1)
    model.add_entries(np.full(40, row[0]), cols, weights)
    asked: list[bool] = []

    def interrupt() -> bool:
        asked.append(True)
        return True

    stopped = solve(model.to_lp(), start=np.zeros(40), mip_gap=0.0, interrupt=interrupt)
    assert asked
    assert stopped.status == "Interrupted by user"
    assert stopped.objective == pytest.approx(0.0)
    full = solve(model.to_lp(), start=np.zeros(40), mip_gap=0.0, interrupt=lambda: False)
    assert full.status == "Optimal"
    assert full.objective < -400.0
