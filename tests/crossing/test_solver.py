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
