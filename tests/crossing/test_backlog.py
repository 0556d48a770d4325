"""Backlog cuts: valid for whole voyages, violated by fractional ones, never above the optimum."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.crossing_strategies import (
    SETTINGS,
    START,
    rotation_instances,
    twin_rotation_instances,
)
from helpers.rotation_oracle import STEP, brute_force, random_instance
from midcorridor.crossing import Booking, Capacity, CrossingInstance, Port, Vessel
from midcorridor.crossing.backlog import (
    Series,
    best_chain,
    mir_coefficient,
    separate,
    separate_mixing,
)
from midcorridor.crossing.model import UnitType
from midcorridor.crossing.rotation import build_model, tightened_relaxation
from midcorridor.crossing.solver import solve
from midcorridor.crossing.timegrid import make_grid
from midcorridor.network.model import VesselKind


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


@settings(max_examples=150, deadline=None)
@given(demands=st.lists(st.integers(1, 45), min_size=2, max_size=3),
       shortfall=st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3))
def test_mixing_row_holds_at_every_whole_point(demands: list[int],
                                               shortfall: list[float]) -> None:
    """For ``s + y_t >= beta_t`` (s >= 0, each ``y_t`` whole, decks of 10) the chain
    ``best_chain`` picks at a fractional point gives ``s >= sum (f_k - f_(k-1)) *
    (ceil(beta_k) - y_k)``, met at every whole point (by enumeration)."""
    beta = np.array(demands, dtype=float) / 10.0
    f = beta - np.floor(beta)
    need = np.ceil(beta - 1e-9)
    short = need - np.array(shortfall[: len(beta)])  # a point short of every window
    windows = np.nonzero((f > 1e-3) & (short > 1e-6))[0]
    if len(windows) < 2:
        return
    chain, gain = best_chain(f[windows], short[windows])
    picked = windows[chain]
    rise = np.diff(np.concatenate([[0.0], f[picked]]))
    assert np.all(rise >= 0.0)
    assert gain == pytest.approx(float(rise @ short[picked]))
    for ys in itertools.product(range(7), repeat=len(beta)):
        s = max(0.0, float(np.max(beta - np.array(ys))))
        assert s >= float(rise @ (need[picked] - np.array(ys)[picked])) - 1e-9


def _two_windows() -> tuple[Series, np.ndarray]:
    """3 units ready for the first departure, 14 for the second, decks of 10. The LP sails
    0.3 vessels first and 1.4 second and takes 0.9, then 13.7, units: it meets every MIR
    cut (backlog 2.1 after the first, 2.4 after the second)."""
    s = Series(x=np.array([0, 1]), x_mult=np.ones(2), x_pos=np.array([0, 1]),
               ready=np.array([3.0, 14.0]), z=np.array([2, 3]), z_cap=np.full(2, 10.0),
               z_pos=np.array([0, 1]))
    return s, np.array([0.9, 13.7, 0.3, 1.4])


def test_hand_worked_mixing_cut() -> None:
    """The two windows ending at the second departure need 1.7 and 1.4 decks: f = 0.7 and
    0.4, two decks each. Mixing: backlog / 10 >= 0.4 (2 - z1) + 0.3 (2 - z0 - z1), i.e.
    ``left by 1 <= 3 + 3 z0 + 7 z1``; the LP has 14.6 against 13.7: violated by 0.9. Whole
    voyages meet it (one vessel first takes the 3, one second 10 of the 14)."""
    s, values = _two_windows()
    assert not separate([s], values)
    (cut,) = separate_mixing([s], values)
    assert cut.violation == pytest.approx(0.9)
    assert dict(zip(cut.columns.tolist(), cut.coefs.tolist(), strict=True)) == \
        pytest.approx({0: 1.0, 1: 1.0, 2: -3.0, 3: -7.0})
    assert cut.upper == pytest.approx(3.0)
    for z0, z1 in itertools.product(range(3), repeat=2):
        first = min(3.0, 10.0 * z0)  # the most that can leave by each departure
        carried = first + min(17.0 - first, 10.0 * z1)
        assert carried <= cut.upper + 3.0 * z0 + 7.0 * z1 + 1e-9


def _hand_instance() -> CrossingInstance:
    """Two ferries of 10 railcars at A, a 6 h crossing to B, 6 h calls, two berths at each
    port, 60 h. From A: 7 railcars ready at 18 h, 5 at 24 h; from B: 4 ready at 24 h at
    priority 3.

    By hand: one ferry leaves A empty at 6 h, loads at B from 18 h and leaves with the 4 at
    24 h (no wait), returns to A and leaves at 36 h; the other leaves A at 18 h with the 7.
    The 5 ready at 24 h wait 12 h for the 36 h departure (60) and the four voyages cost 1
    each: 64. Anything else costs more: without a ferry at B by 18 h the 4 wait at least
    6 h (72); with one, only the other leaves A before 36 h, at 18 h with the 7 (as above)
    or at 24 h with 10 of the 12 (42, and 24 for the 2 waiting until 36 h: 70 in all).
    """
    ports = {p: Port(p, p, berths=2, handling_h=6.0) for p in "AB"}
    vessels = tuple(Vessel(f"V{i}", f"V{i}", VesselKind.RAIL_FERRY, Capacity(railcar=10),
                           12.0, "A", 0.0) for i in range(2))
    bookings = (Booking("b0", 5, UnitType.RAILCAR, "A", "B", 24.0, None, 1.0),
                Booking("b1", 4, UnitType.RAILCAR, "B", "A", 24.0, None, 3.0),
                Booking("b2", 7, UnitType.RAILCAR, "A", "B", 18.0, None, 1.0))
    return CrossingInstance(START, 60.0, bookings, vessels, ports, (), {("A", "B"): 72.0})


def test_mixing_cuts_raise_the_bound_to_the_hand_worked_optimum() -> None:
    """The LP with MIR cuts alone stays below the optimum (64, by hand and by the brute
    force); with the mixing cuts it reaches it and not beyond."""
    inst = _hand_instance()
    grid = make_grid(inst, STEP)
    optimum = brute_force(inst)
    assert optimum == pytest.approx(64.0)
    mir, _ = tightened_relaxation(build_model(inst, grid), 30.0, mixing=False)
    both, _ = tightened_relaxation(build_model(inst, grid), 30.0)
    assert mir.status == both.status == "Optimal"
    assert mir.bound < optimum - 5.0
    assert mir.bound + 5.0 < both.bound <= optimum + 1e-6
