"""Backlog cuts: valid for whole voyages, violated by fractional ones, never above the optimum."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.crossing_strategies import SETTINGS, rotation_instances, twin_rotation_instances
from helpers.rotation_oracle import STEP, brute_force, random_instance
from midcorridor.crossing.backlog import Series, mir_coefficient, separate
from midcorridor.crossing.rotation import build_model, tightened_relaxation
from midcorridor.crossing.solver import solve
from midcorridor.crossing.timegrid import make_grid

if TYPE_CHECKING:
    from midcorridor.crossing import CrossingInstance


@settings(max_examples=150, deadline=None)
@given(decks=st.lists(st.integers(4, 60), min_size=1, max_size=2),
       demand=st.integers(1, 150), divisor=st.integers(0, 1))
def test_mir_row_holds_at_every_whole_point(decks: list[int], demand: int,
                                            divisor: int) -> None:
    """For ``s + sum a_k y_k >= b`` (s >= 0, y whole) every point with the least ``s`` meets
    ``s / delta + sum F(a_k / delta) y_k >= f * ceil(b / delta)``; checked by enumeration."""
    delta = float(decks[divisor % len(decks)])
    beta = demand / delta
    f = beta - math.floor(beta)
    most = math.ceil(demand / min(decks)) + 1
    slack = []
    for ys in itertools.product(range(most + 1), repeat=len(decks)):
        s = max(0.0, demand - sum(a * y for a, y in zip(decks, ys, strict=True)))
        lhs = s / delta + sum(mir_coefficient(a / delta, f) * y
                              for a, y in zip(decks, ys, strict=True))
        slack.append(lhs - f * math.ceil(beta))
    assert min(slack) >= -1e-9
    assert min(slack) == pytest.approx(0.0, abs=1e-9)  # tight: no weaker than it must be
    # and a fractional number of vessels of the divisor's deck, carrying it all, violates it
    if f > 1e-6:
        assert mir_coefficient(1.0, f) * beta < f * math.ceil(beta) - 1e-9


def test_mir_coefficient_by_hand() -> None:
    """F(a) = f * floor(a) + min(frac(a), f)."""
    assert mir_coefficient(1.3, 0.5) == pytest.approx(0.8)
    assert mir_coefficient(1.7, 0.5) == pytest.approx(1.0)
    assert mir_coefficient(0.4, 0.25) == pytest.approx(0.25)
    assert mir_coefficient(2.0, 0.6) == pytest.approx(1.2)


def test_hand_worked_cut() -> None:
    """15 units ready for the first of three departures, decks of 10, the LP sails 1.5
    vessels at once and takes all 15. Whole vessels: with one, 5 wait; the cut is
    ``left by 0 <= 5 + 5 z0`` (D = 15, delta = 10, f = 0.5, ceil = 2), violated by 2.5 units."""
    s = Series(x=np.array([0, 1, 2]), x_mult=np.ones(3), x_pos=np.array([0, 1, 2]),
               ready=np.array([15.0, 0.0, 0.0]), z=np.array([3, 4, 5]),
               z_cap=np.full(3, 10.0), z_pos=np.array([0, 1, 2]))
    values = np.array([15.0, 0.0, 0.0, 1.5, 0.0, 0.0])
    (cut,) = [c for c in separate([s], values) if 0 in c.columns and 1 not in c.columns]
    assert cut.violation == pytest.approx(2.5)
    assert dict(zip(cut.columns.tolist(), cut.coefs.tolist(), strict=True)) == \
        pytest.approx({0: 1.0, 3: -5.0})
    assert cut.upper == pytest.approx(5.0)
    # whole voyages meet it: one vessel carries 10, two carry all 15
    for z0, carried in ((0, 0.0), (1, 10.0), (2, 15.0)):
        assert carried <= cut.upper + 5.0 * z0
    assert not separate([s], np.array([10.0, 5.0, 0.0, 1.0, 1.0, 0.0]))


def test_cuts_raise_the_lp_bound_but_never_above_the_brute_force_optimum() -> None:
    """On the oracle's random small instances: plain LP <= LP with cuts <= optimum, and the
    cuts close at least half of the plain LP's gap on several of them."""
    closed = 0
    for seed in range(12):
        inst = random_instance(seed)
        grid = make_grid(inst, STEP)
        plain = solve(build_model(inst, grid).model.to_lp(relax=True)).objective
        tightened, _ = tightened_relaxation(build_model(inst, grid), 30.0)
        best = brute_force(inst)
        assert tightened.status == "Optimal"
        assert plain - 1e-6 <= tightened.bound <= best + 1e-6 * max(1.0, best), seed
        if best - plain > 1e-6 and tightened.bound - plain >= 0.5 * (best - plain):
            closed += 1
    assert closed >= 3


def test_the_first_round_of_cuts_runs_when_the_rounds_have_no_time_left() -> None:
    """No time for rounds (``time_limit`` 0), but time for the first LP: one round of cuts
    still runs, and it raises the plain LP's bound on some of the oracle's instances
    (never above what all the rounds reach)."""
    raised = 0
    for seed in range(12):
        inst = random_instance(seed)
        grid = make_grid(inst, STEP)
        plain = solve(build_model(inst, grid).model.to_lp(relax=True)).objective
        first, added = tightened_relaxation(build_model(inst, grid), 0.0, first_limit=30.0)
        every, _ = tightened_relaxation(build_model(inst, grid), 30.0)
        assert first.status == "Optimal"
        assert plain - 1e-6 <= first.bound <= every.bound + 1e-6 * max(1.0, every.bound), seed
        if added and first.bound > plain + 1e-6:
            raised += 1
    assert raised >= 3


def _cuts_hold_at_the_milp_optimum(instance: CrossingInstance) -> None:
    """The MILP solved exactly without cuts (HiGHS, every column whole): its optimum meets every
    cut the LP rounds add, and the bound with the cuts is no higher than that optimum."""
    grid = make_grid(instance, STEP)
    exact = solve(build_model(instance, grid).model.to_lp(), mip_gap=0.0, time_limit=60.0)
    assert exact.status == "Optimal"
    assert exact.values is not None
    built = build_model(instance, grid)
    tightened, added = tightened_relaxation(built, 30.0)
    assert tightened.bound <= exact.objective + 1e-6 * max(1.0, abs(exact.objective))
    if added:  # the cut rows are the model's last rows: the optimum meets each one
        out = solve(built.model.to_lp(fixed=np.arange(built.model.num_col),
                                      fixed_values=exact.values), time_limit=10.0)
        assert out.status == "Optimal"


MANY = settings(SETTINGS, max_examples=100)


@MANY
@given(rotation_instances())
def test_cuts_never_cut_off_the_exact_optimum(instance: CrossingInstance) -> None:
    """Mixed decks, dangerous goods, whole bookings, closures (the plan invariants' instances)."""
    _cuts_hold_at_the_milp_optimum(instance)


@MANY
@given(twin_rotation_instances())
def test_cuts_never_cut_off_the_exact_optimum_of_identical_vessels(
        instance: CrossingInstance) -> None:
    _cuts_hold_at_the_milp_optimum(instance)
