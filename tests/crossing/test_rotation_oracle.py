"""Rotation mode against an independent brute force on small random instances.

The oracle enumerates every rotation of every vessel on the time grid (the rules written out
again here from the model's description: a voyage is one port call of one handling time at
its origin, then the crossing; no two calls beyond a port's berths at once; departures inside
the horizon), keeps the combinations that respect the berths, and loads the cargo of each
combination optimally as a min-cost flow with networkx. The optimizer's own plan (never
FIFO's; its voyages may be FIFO's when they are optimal, the cargo then loaded by the
optimizer, and the plan says so) must reach the oracle's optimum, its bound must not
exceed it, and the plan it returns must be one the oracle accepts: vessels that follow the
rules and decks not overfilled.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers.rotation_oracle import STEP, brute_force, check_plan, random_instance
from midcorridor.crossing.rotation import build_model, optimize_rotation, rolling_start
from midcorridor.crossing.solver import solve
from midcorridor.crossing.timegrid import make_grid

OWN = ("optimizer", "fifo_voyages")  # the plans the optimizer made, not FIFO's kept


@pytest.mark.parametrize("seed", range(12))
def test_optimizer_reaches_the_brute_force_optimum(seed: int) -> None:
    inst = random_instance(seed)
    best = brute_force(inst)
    plan = optimize_rotation(inst, step_h=STEP, mip_gap=0.0, time_limit=60.0)
    assert plan.extra["plan"] in OWN, plan.notes
    assert plan.objective == pytest.approx(best, abs=1e-6)
    assert check_plan(inst, plan) == pytest.approx(plan.objective, abs=1e-6)
    assert plan.bound <= best + 1e-6 * max(1.0, abs(best))
    assert plan.gap == pytest.approx(max(0.0, plan.objective - plan.bound) / plan.objective)


@pytest.mark.parametrize("seed", range(8))
def test_vessels_of_different_speeds_reach_the_brute_force_optimum(seed: int) -> None:
    """A fast and a slow vessel leaving together arrive apart, and every booking is due:
    the model must cost each unit with the arrival of the vessel it takes, so the plan it
    publishes costs what the MILP said and its bound stays below the oracle's optimum."""
    inst = random_instance(seed, mixed_speeds=True)
    best = brute_force(inst)
    plan = optimize_rotation(inst, step_h=STEP, mip_gap=0.0, time_limit=60.0)
    assert plan.extra["plan"] in OWN, plan.notes
    assert plan.bound <= best + 1e-6 * max(1.0, abs(best))
    assert plan.objective == pytest.approx(best, abs=1e-6)
    assert plan.extra["milp_objective"] == pytest.approx(plan.objective, abs=1e-6)
    assert check_plan(inst, plan) == pytest.approx(plan.objective, abs=1e-6)
    assert plan.status == "Optimal"  # within the gap asked for (0), as published


@pytest.mark.parametrize("seed", range(6))
def test_rolling_start_is_a_feasible_plan_no_better_than_the_optimum(seed: int) -> None:
    """Short windows (one step, one step of look-ahead): many windows on a small instance."""
    inst = random_instance(seed)
    grid = make_grid(inst, STEP)
    built = build_model(inst, grid)
    start = rolling_start(built, grid, time.perf_counter() + 30.0, window_h=STEP,
                          lookahead_h=STEP)
    assert start is not None
    every = np.arange(built.model.num_col)
    fixed = solve(built.model.to_lp(fixed=every, fixed_values=start,
                                    continuous=built.cargo.divisible()), time_limit=10.0)
    assert fixed.status == "Optimal"  # every row holds with every column at the start
    assert built.model.value(start) >= brute_force(inst) - 1e-6
