"""Re-solving parts of a rotation plan: pairs of vessel classes, plans found elsewhere, and
the LP relaxation's neighbourhood of a plan."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from helpers.crossing_strategies import START
from helpers.rotation_oracle import STEP, brute_force
from midcorridor.crossing import Booking, Capacity, CrossingInstance, Port, Vessel
from midcorridor.crossing.model import UnitType
from midcorridor.crossing.rotation import (
    RotationModel,
    build_model,
    cpu_spent,
    improve,
    optimize_rotation,
    relaxation_start,
)
from midcorridor.crossing.solver import solve
from midcorridor.crossing.timegrid import TimeGrid, make_grid
from midcorridor.network.model import VesselKind

RAIL = UnitType.RAILCAR


def _plan(built: RotationModel, voyages: set[str]) -> np.ndarray:
    """The plan making exactly ``voyages`` (class voyage ids), its cargo loaded at best."""
    z = np.array(list(built.flow.z_of.values()), dtype=np.int64)
    made = np.array([1.0 if v in voyages else 0.0 for v in built.flow.z_of], dtype=float)
    assert made.sum() == len(voyages)
    out = solve(built.model.to_lp(fixed=z, fixed_values=made,
                                  continuous=built.cargo.divisible()), time_limit=10.0)
    assert out.values is not None
    return out.values


def _feasible(built: RotationModel, values: np.ndarray) -> bool:
    every = np.arange(built.model.num_col)
    return solve(built.model.to_lp(fixed=every, fixed_values=values,
                                   continuous=built.cargo.divisible()),
                 time_limit=10.0).status == "Optimal"


def _swap_instance() -> tuple[CrossingInstance, TimeGrid, RotationModel]:
    """Two ferries at A (one berth, 6 h calls, 12 h crossings), X with 10 railcars of deck
    and Y with 20; 20 railcars for B and 10 for C ready at 0 h; a truck-only ship Z at C
    that cannot help (a third class). Horizon 36 h."""
    ports = {p: Port(p, p, berths=1, handling_h=6.0) for p in ("A", "B", "C")}
    vessels = (
        Vessel("X", "X", VesselKind.RAIL_FERRY, Capacity(railcar=10), 12.0, "A", 0.0),
        Vessel("Y", "Y", VesselKind.RAIL_FERRY, Capacity(railcar=20), 12.0, "A", 0.0),
        Vessel("Z", "Z", VesselKind.RO_RO, Capacity(truck=5), 12.0, "C", 0.0))
    bookings = (Booking("b", 20, RAIL, "A", "B", 0.0), Booking("c", 10, RAIL, "A", "C", 0.0))
    dist = {("A", "B"): 144.0, ("A", "C"): 144.0, ("B", "C"): 144.0}
    inst = CrossingInstance(START, 36.0, bookings, vessels, ports, (), dist)
    grid = make_grid(inst, STEP)
    return inst, grid, build_model(inst, grid)


def _voyage(built: RotationModel, vessel: str, destination: str, departure: int) -> str:
    (vid,) = [v.id for v in built.flow.voyages
              if v.vessel.endswith(f"|{vessel}") and v.origin == "A"
              and v.destination == destination and v.departure == departure]
    return vid


def test_a_pair_of_classes_swaps_routes_that_one_class_alone_cannot():
    """By hand: the start sends X to B (leaving 6 h, 10 of b) and Y to C (leaving 12 h, the
    10 of c); 10 of b stay behind (36 + 72 h each): 60 + 120 + 1,080 + 2 = 1,262. Moving X
    alone (Y keeps the berth 6-12 h) or Y alone (X keeps it 0-6 h) gives nothing better,
    nor does any one-step window; moving both, Y takes all of b at 6 h and X the c at 12 h:
    120 + 120 + 2 = 242, the optimum (the brute force agrees)."""
    inst, grid, built = _swap_instance()
    assert len(built.classes) == 3
    start = _plan(built, {_voyage(built, "X", "B", 1), _voyage(built, "Y", "C", 2)})
    assert built.model.value(start) == pytest.approx(1262.0)
    assert brute_force(inst) == pytest.approx(242.0)
    better = improve(built, grid, start, time.perf_counter() + 30.0, window_h=STEP)
    assert built.model.value(better) == pytest.approx(242.0)
    assert _feasible(built, better)


def test_improve_takes_a_better_plan_found_elsewhere(one_ferry_rotation):
    """One ferry, one class: FIFO's plan leaves A at 30 h (301), and one-step windows cannot
    move a voyage earlier, so on its own improve keeps 301. A plan handed in through
    ``fetch`` (the optimum, 61: leaving at 6 h) is taken."""
    grid = make_grid(one_ferry_rotation, STEP)
    built = build_model(one_ferry_rotation, grid)
    fifo = _plan(built, {next(v.id for v in built.flow.voyages
                         if v.origin == "A" and v.departure == 5)})
    best = _plan(built, {next(v.id for v in built.flow.voyages
                         if v.origin == "A" and v.departure == 1)})
    assert built.model.value(fifo) == pytest.approx(301.0)
    assert built.model.value(best) == pytest.approx(61.0)
    alone = improve(built, grid, fifo, time.perf_counter() + 30.0, window_h=STEP)
    assert built.model.value(alone) == pytest.approx(301.0)
    handed: list[np.ndarray] = []

    def fetch() -> np.ndarray | None:
        if handed:
            return None
        handed.append(best)
        return best

    taken = improve(built, grid, fifo, time.perf_counter() + 30.0, window_h=STEP,
                    fetch=fetch, stop=lambda: bool(handed))
    assert handed
    assert built.model.value(taken) == pytest.approx(61.0)
    assert _feasible(built, taken)


def _one_ferry_plans(instance: CrossingInstance) -> tuple[RotationModel, np.ndarray,
                                                           np.ndarray, np.ndarray]:
    """The model, FIFO's plan (leaving A at 30 h: 301), the optimum (at 6 h: 61) and the LP
    relaxation's solution (solved here, not made from the optimum)."""
    built = build_model(instance, make_grid(instance, STEP))
    fifo = _plan(built, {next(v.id for v in built.flow.voyages
                         if v.origin == "A" and v.departure == 5)})
    best = _plan(built, {next(v.id for v in built.flow.voyages
                         if v.origin == "A" and v.departure == 1)})
    lp = solve(built.model.to_lp(relax=True), time_limit=10.0)
    assert lp.values is not None
    return built, fifo, best, lp.values


def test_the_lp_neighbourhood_of_fifo_reaches_the_optimum(one_ferry_rotation):
    """The example above: windows keep FIFO's 301. The LP makes the 6 h voyage (it costs
    61, as the LP's optimum), FIFO the 30 h one; every other voyage is fixed at 0, those
    two are free, and the MILP on them reaches the optimum, 61."""
    built, fifo, best, lp = _one_ferry_plans(one_ferry_rotation)
    assert built.model.value(fifo) == pytest.approx(301.0)
    plan = relaxation_start(built, fifo, lp, time.perf_counter() + 30.0)
    assert plan is not None
    assert built.model.value(plan) == pytest.approx(61.0)
    assert _feasible(built, plan)
    assert brute_force(one_ferry_rotation) == pytest.approx(61.0)


def test_the_lp_neighbourhood_gives_only_a_plan_better_than_the_one_at_hand(
        one_ferry_rotation):
    """From the optimum there is nothing better: no plan. From FIFO's, the optimum (61)
    comes only when the plan at hand is worse than it, so the caller keeps its own."""
    built, fifo, best, lp = _one_ferry_plans(one_ferry_rotation)
    assert relaxation_start(built, best, lp, time.perf_counter() + 30.0) is None
    assert relaxation_start(built, fifo, lp, time.perf_counter() + 30.0,
                            better_than=61.0) is None
    plan = relaxation_start(built, fifo, lp, time.perf_counter() + 30.0, better_than=100.0)
    assert plan is not None
    assert built.model.value(plan) == pytest.approx(61.0)


def test_the_whole_solve_reaches_the_optimum_through_either_start(one_ferry_rotation):
    """The whole solve's first plan is the rolling horizon's or the LP neighbourhood's of
    FIFO's, whichever is better; either way it ends at the optimum."""
    plan = optimize_rotation(one_ferry_rotation, step_h=STEP, time_limit=20.0)
    assert plan.extra["start"].startswith(("rolling horizon", "the LP relaxation's"))
    assert plan.objective == pytest.approx(61.0)


def test_each_phase_s_plan_is_reported_in_the_order_they_ran(one_ferry_rotation):
    """FIFO's plan (301), then the first core's phases, ending at the optimum (61); no
    phase reports a plan better than the optimum."""
    plan = optimize_rotation(one_ferry_rotation, step_h=STEP, time_limit=20.0)
    phases = plan.extra["phases"]
    assert list(phases) == ["first come, first served", "rolling horizon",
                            "LP neighbourhood", "improved", "whole MILP"]
    assert phases["first come, first served"] == pytest.approx(301.0)
    assert phases["improved"] == pytest.approx(61.0)
    assert all(value is None or value >= 61.0 - 1e-6 for value in phases.values())


def test_each_phase_s_end_is_clocked_in_seconds_and_its_core_s_cpu_seconds(one_ferry_rotation):
    """The first core's phases end in the order they ran, the second core's LP before its
    MILP, all within the solve; a core's CPU seconds never exceed the seconds it ran."""
    plan = optimize_rotation(one_ferry_rotation, step_h=STEP, time_limit=20.0)
    clock = plan.extra["phase_clock"]
    first = ["first come, first served", "rolling horizon", "LP neighbourhood", "improved"]
    assert set(clock) == {*first, "LP with backlog cuts", "whole MILP"}
    walls = [clock[name][0] for name in first]
    assert walls == sorted(walls)
    assert clock["LP with backlog cuts"][0] <= clock["whole MILP"][0] <= plan.seconds
    assert walls[-1] <= plan.seconds
    for wall, cpu in clock.values():
        assert 0.0 <= cpu <= wall + 0.05


def test_the_give_up_clock_counts_the_thread_s_own_work_not_the_wall_nor_other_threads():
    """Waiting (as a search starved by other processes does) and another thread's work
    leave it still; its own work moves it."""
    spent = cpu_spent()
    busy = threading.Thread(target=lambda: sum(range(20_000_000)))
    busy.start()
    time.sleep(0.5)
    busy.join()
    assert spent() < 0.1
    before = spent()
    sum(range(5_000_000))
    assert spent() > before
