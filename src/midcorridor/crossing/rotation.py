"""Rotation mode: decide the sailings (which vessel leaves which port when) and the loading.

Identical vessels form a class (:mod:`fleet`); each class is an integer flow through the
time-expanded network of :mod:`timegrid`: at every reachable (port, step) what comes in goes
out, by waiting a step or by a voyage (an integer column: how many of the class make it).
Berths limit how many vessels are in a port call (one handling time, unloading and loading
together: see :mod:`timegrid`) at a port in a step. The cargo part
(:mod:`cargo`) is shared with assignment mode, with each voyage's deck opened only as many
times as vessels make it.

The solve runs on two cores. On the first, a rolling horizon builds a plan: window after
window of ``WINDOW_H`` hours, the voyages starting in the window are integer, those in the
following ``LOOKAHEAD_H`` hours are relaxed and later ones are not allowed; each window's
voyages are then fixed. Then, once the second core has solved the LP relaxation, a plan
from the LP's neighbourhood of FIFO's plan replaces it if better: the voyages on which the
two agree are fixed, nearly every voyage neither makes, and the rest are one MILP (given
up once it has spent ``RINS_GIVE_UP`` of the time limit in CPU seconds of its own without a
plan better than FIFO's, so that it gets as much work under load as idle). Parts of the
best plan are re-solved with every other voyage fixed while it gets better: windows of
time, each vessel class, each pair of classes; a better plan of the second core replaces
it as it comes. On the second, the LP relaxation, by interior point
and tightened by backlog cuts (:mod:`backlog`: whole voyages carry whole decks, so cargo
ready over a stretch of departures that needs a part of a deck more than the voyages give
waits) and by mixing cuts (the stretches ending at the same departure share that waiting
cargo, and their parts of a deck add up in it: cargo waits for the shortfall of every
stretch, not only the worst one), gives a first bound; then the whole MILP with the cuts
as rows (voyages integer, divisible cargo relaxed, which improves the bound) searches from
the FIFO plan and takes each better plan of the first core as it comes. The better of the
two plans gets its cargo in whole units (its voyages fixed). The class flows are split back
into one rotation per vessel and each voyage's cargo packed onto its vessels' decks.

The bound is the better of the two relaxations' own bounds, never adjusted to the plan;
FIFO's plan is kept (and said so) whenever the optimizer's is not better.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from midcorridor.crossing.backlog import Cut, separate, separate_mixing, series_of
from midcorridor.crossing.baseline import Deck
from midcorridor.crossing.fifo_rotation import fifo_rotation, voyage_sailing
from midcorridor.crossing.fleet import VesselClass, decompose, pack, vessel_classes
from midcorridor.crossing.loading import CargoColumns, Carrier, Slot, add_cargo
from midcorridor.crossing.result import (
    PLAN_FIFO,
    PLAN_FIFO_VOYAGES,
    PLAN_OPTIMIZER,
    Assignment,
    CrossingPlan,
    evaluate,
)
from midcorridor.crossing.solver import INF, Outcome, Relaxation, SparseModel, solve
from midcorridor.crossing.timegrid import TimeGrid, Voyage, berth_steps, make_grid, voyages_from

if TYPE_CHECKING:
    from collections.abc import Callable

    from midcorridor.crossing.model import CrossingInstance, Sailing

Node = tuple[str, int]


def _reachable(instance: CrossingInstance, grid: TimeGrid, cls: VesselClass
               ) -> tuple[list[Node], list[Voyage]]:
    """The (port, step) nodes a class can reach from where its vessels start, and its voyages."""
    seen = set(cls.starts(grid))
    todo = deque(sorted(seen, key=lambda n: (n[1], n[0])))
    voyages: list[Voyage] = []
    while todo:
        port, t = todo.popleft()
        nxt = [(port, t + 1)] if t + 1 < grid.steps else []
        for v in voyages_from(instance, grid, cls.head, port, t):
            voyages.append(replace(v, vessel=cls.id))
            if v.free < grid.steps:
                nxt.append((v.destination, v.free))
        for node in nxt:
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return sorted(seen, key=lambda n: (n[1], n[0])), voyages


WINDOW_H = 48.0  # rolling horizon: voyages decided per window
LOOKAHEAD_H = 72.0  # ... looking this far beyond it with voyages relaxed
LP_SHARE = 0.4  # the LP relaxation and its cuts end by this share of the time limit ...
LP_FLOOR_S = 10.0  # ... but may take this long (or half a short limit): no bound, no gap
CUT_ROUNDS = 10  # rounds of backlog cuts on the LP relaxation, while they raise it
CUT_GAIN = 2e-4  # a round that raises the LP by less than this share is the last
ROLLING_SHARE = 0.45  # the rolling horizon ends by this share of the time limit ...
RINS_UNTIL = 0.8  # the LP's neighbourhood of FIFO's plan by this share ...
RINS_GIVE_UP = 0.15  # ... given up if it has nothing better than FIFO's after this share
# (in CPU seconds of its own: see ``cpu_spent``)
IMPROVE_SHARE = 0.92  # ... and re-solving parts of its plan by this share
SEARCH_SHARE = 0.93  # the whole MILP ends by this share; the rest loads whole units
IMPROVE_WINDOW_H = 96.0  # the windows re-solved, ``IMPROVE_WINDOW_H / 2`` apart
# the whole MILP's plans come mostly from HiGHS's heuristics (its sub-MIPs), its bound from
# the root: six times HiGHS's default effort on them found better plans with the same CPU
# time on 14-day instances (seeds 2 and 5; as good on 4 and 7) and the same bounds
SEARCH_HEURISTIC_EFFORT = 0.3


def optimize_rotation(instance: CrossingInstance, *, step_h: float = 6.0,
                      time_limit: float = 60.0, mip_gap: float = 1e-3,
                      fifo_dwell_h: float = 24.0) -> CrossingPlan:
    """Plan vessel rotations and loading for ``instance`` over its horizon.

    The plan's ``bound`` is a lower bound on the best objective of any plan on the time grid
    of ``step_h`` hours, as the solver proved it; ``gap`` compares the plan with it.
    ``extra["plan"]`` says whose the plan is: ``"optimizer"``, ``"fifo"`` (FIFO's plan,
    kept when the optimizer found nothing better) or ``"fifo_voyages"`` (FIFO's voyages with
    the cargo loaded by the optimizer); ``extra["start"]`` which start the MILP was given;
    ``extra["phases"]`` the objective of each phase's plan (divisible cargo relaxed), in
    the order they ran, and ``extra["phase_clock"]`` when each ended: seconds since the
    start and CPU seconds of the core (thread) that ran it, which say how much work a
    phase got when other processes share the machine.
    """
    started = time.perf_counter()
    clock, ended = phase_clock(started)
    grid = make_grid(instance, step_h)
    fifo_voyages, fifo_sailings, fifo = fifo_rotation(instance, grid, fifo_dwell_h)
    built = build_model(instance, grid)
    class_of = {v.id: cls for cls in built.classes for v in cls.members}
    fifo_start = built.cargo.start(
        [replace(a, sailing=built.flow.class_voyage_id(a.sailing, class_of)) for a in fifo],
        built.model.num_col)
    built.flow.write_start(fifo_start, grid, built.classes, fifo_voyages)
    ended("first come, first served")  # and the model built
    # the second core: the LP with backlog cuts (the bound), then the whole MILP on it
    search = _WholeSearch(
        built, fifo_start, mip_gap,
        lp_until=started + max(LP_SHARE * time_limit, min(LP_FLOOR_S, 0.5 * time_limit)),
        until=started + SEARCH_SHARE * time_limit, started=started)
    search.start()
    start, start_from, phases = _plan_search(built, grid, fifo_start, search, started,
                                             time_limit, ended)
    relaxation, cuts, whole = search.join()
    phases["whole MILP"] = None if whole.values is None else built.model.value(whole.values)
    clock.update(search.clock)
    if whole.values is not None and \
            built.model.value(whole.values) < built.model.value(start) - 1e-6:
        start, start_from = whole.values, f"{start_from}, improved by the whole MILP"
    out, method = _load_whole_units(built.model, built.cargo, built.flow, start,
                                    started + time_limit, mip_gap)
    # both bound the same optimum from below
    out = replace(out, status=whole.status, bound=max(whole.bound, relaxation.bound))
    return _publish(instance, grid, built, out, fifo_start, (fifo_sailings, fifo), mip_gap,
                    started, step_h,
                    notes=[method, f"start: {start_from}", f"backlog cuts: {cuts}"],
                    extra={"start": start_from, "lp_bound": relaxation.bound,
                           "backlog_cuts": cuts, "phases": phases, "phase_clock": clock})


def _plan_search(built: RotationModel, grid: TimeGrid, fifo_start: np.ndarray,
                 search: _WholeSearch, started: float, time_limit: float,
                 ended: Callable[[str], None]
                 ) -> tuple[np.ndarray, str, dict[str, float | None]]:
    """The first core's plan, where it started, the objective (divisible cargo
    relaxed) of each phase's plan: FIFO's, a rolling horizon (``None``: its last step
    failed), then one from the LP relaxation's neighbourhood of FIFO's plan (``None``:
    none better than the plan at hand), then the best after parts of it are re-solved
    while time is left (the whole MILP's better plans taken in). Each phase's end goes to
    ``ended`` (:func:`phase_clock`).
    """
    model = built.model
    start, start_from = fifo_start, "first come, first served"
    rolling = rolling_start(built, grid, started + ROLLING_SHARE * time_limit,
                            stop=search.finished)
    ended("rolling horizon")
    phases: dict[str, float | None] = {
        "first come, first served": model.value(fifo_start),
        "rolling horizon": None if rolling is None else model.value(rolling),
        "LP neighbourhood": None}
    if rolling is not None and model.value(rolling) <= model.value(start) + 1e-6:
        start, start_from = rolling, "rolling horizon"
    search.offer(start)
    relaxed = search.relaxed()
    if relaxed is not None:
        near = relaxation_start(
            built, fifo_start, relaxed, started + RINS_UNTIL * time_limit,
            better_than=model.value(start), stop=search.finished,
            give_up=RINS_GIVE_UP * time_limit)
        if near is not None:
            start, start_from = near, "the LP relaxation's neighbourhood of FIFO's plan"
            phases["LP neighbourhood"] = model.value(near)
            search.offer(start)
    ended("LP neighbourhood")
    start = improve(built, grid, start, started + IMPROVE_SHARE * time_limit,
                    found=search.offer, fetch=search.improved, stop=search.finished)
    phases["improved"] = model.value(start)
    ended("improved")
    return start, start_from, phases


PhaseClock = dict[str, tuple[float, float]]


def phase_clock(started: float) -> tuple[PhaseClock, Callable[[str], None]]:
    """When phases end: a record, and a function that notes in it the end of the phase
    it names as (seconds since ``started``, CPU seconds the calling thread has used since
    this call, :func:`cpu_spent`).
    """
    record: PhaseClock = {}
    spent = cpu_spent()

    def ended(name: str) -> None:
        record[name] = (time.perf_counter() - started, spent())

    return record, ended


def _publish(instance: CrossingInstance, grid: TimeGrid, built: RotationModel, out: Outcome,
             fifo_start: np.ndarray, fifo: tuple[list[Sailing], list[Assignment]],
             mip_gap: float, started: float, step_h: float, *, notes: list[str],
             extra: dict[str, object]) -> CrossingPlan:
    """The plan of the solution ``out`` (with the best bound proved), or FIFO's if that is
    not better, with its figures against FIFO's; ``started`` is when the solve started.
    """
    fifo_sailings, fifo_plan = fifo
    fifo_figures = evaluate(instance, fifo_sailings, fifo_plan, count_sailings=True)
    plan_from = PLAN_OPTIMIZER
    if out.values is not None:
        sailings, plan, lost = _read_plan(out.values, instance, grid, built.classes,
                                          built.flow, built.cargo)
        figures = evaluate(instance, sailings, plan, count_sailings=True)
        if lost:
            notes.append(f"{lost} units did not fit when the decks of identical vessels "
                         "sailing together were split; they are left behind")
    if out.values is None or figures.objective > fifo_figures.objective + 1e-6:
        sailings, plan, figures = fifo_sailings, fifo_plan, fifo_figures
        plan_from = PLAN_FIFO
        notes.append("kept first come, first served (solver found nothing better)")
    elif _same_voyages(built.flow, out.values, fifo_start):
        plan_from = PLAN_FIFO_VOYAGES
        notes.append("FIFO's voyages, the cargo loaded by the optimizer (it found no better "
                     "voyages)")
    gap = plan_gap(figures.objective, out.bound)
    # within the gap is what "Optimal" means for the published plan, as for HiGHS
    status = "Optimal" if gap <= mip_gap + 1e-9 else \
        "Feasible" if out.status == "Optimal" else out.status
    return CrossingPlan(
        mode="rotation", status=status, objective=figures.objective, bound=out.bound,
        gap=gap, figures=figures, fifo=fifo_figures,
        sailings=tuple(sorted(sailings, key=lambda s: (s.departure, s.id))),
        assignments=tuple(plan), seconds=time.perf_counter() - started, notes=tuple(notes),
        extra={"step_h": step_h, "columns": built.model.num_col, "rows": built.model.num_row,
               "vessel_classes": len(built.classes), "plan": plan_from, **extra,
               "unavoidable": unavoidable_cost(built), "milp_objective": out.objective},
    )


def _same_voyages(flow: _FlowColumns, values: np.ndarray, other: np.ndarray) -> bool:
    """Whether two solutions make the same class voyages (the same sailings, up to which
    of a class's identical vessels makes each).
    """
    z = np.fromiter(flow.z_of.values(), dtype=np.int64, count=len(flow.z_of))
    return bool(np.array_equal(np.rint(values[z]), np.rint(other[z])))


@dataclass(frozen=True)
class RotationModel:
    """The rotation MILP of one instance on one grid, with where its columns sit."""

    model: SparseModel
    flow: _FlowColumns
    cargo: CargoColumns
    classes: list[VesselClass]


def build_model(instance: CrossingInstance, grid: TimeGrid) -> RotationModel:
    """The MILP: one integer flow per vessel class, berths, and the cargo on class voyages."""
    classes = vessel_classes(instance, grid)
    model = SparseModel()
    flow = _FlowColumns()
    for cls in classes:
        flow.add_class(model, instance, grid, cls)
    _add_berths(model, instance, flow)
    cargo = _add_cargo(model, instance, grid, classes, flow)
    return RotationModel(model, flow, cargo, classes)


def plan_gap(objective: float, bound: float) -> float:
    """Relative gap between a plan's objective and a lower bound (``inf`` without a bound)."""
    if not math.isfinite(bound):
        return math.inf
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


def unavoidable_cost(built: RotationModel) -> float:
    """The part of the objective no plan avoids: each unit on its cheapest departure, as if
    every departure of its route had room (or left behind, if that is cheaper).

    The gap is measured on the whole objective, this part included; the gap on the rest is
    ``(plan - bound) / (plan - unavoidable)``.
    """
    cargo, cost, model = built.cargo, built.model.cost, built.model
    cheapest = np.zeros(len(cargo.classes))
    np.minimum.at(cheapest, cargo.x_class, cost[cargo.x])
    most = np.array([1.0 if c.whole else float(c.units) for c in cargo.classes])
    return model.offset + float(cheapest @ most)


def tightened_relaxation(built: RotationModel, time_limit: float, *,
                         rounds: int = CUT_ROUNDS, first_limit: float | None = None,
                         first: Callable[[np.ndarray], None] = lambda values: None,
                         mixing: bool = True) -> tuple[Outcome, int]:
    """The LP relaxation, tightened by backlog cuts (:mod:`backlog`) round after round:
    the MIR cut of each window and, with ``mixing``, the mixing cuts of chains of windows.

    The first LP is solved by interior point (faster than simplex here), each later one by
    simplex from the last basis after adding the cuts the last solution violates. The cuts
    become rows of the model, so every later solve starts from them. Rounds start within
    ``time_limit``; the first LP and the first round may take ``first_limit`` (the same by
    default), as without the LP there is no bound at all and the first round raises it
    most (on the generated 14-day instance of seed 2: by 3.0 %, the next four by 0.2 %).
    The first LP's solution, before any cut, goes to ``first`` as soon as it is solved.
    Returns the last LP solved to optimality (its objective
    bounds every plan on the grid; ``-inf`` if none) and how many cuts were added.
    """
    now = time.perf_counter()
    deadline = now + time_limit
    first_deadline = now + (time_limit if first_limit is None else max(first_limit, time_limit))
    lp = Relaxation(built.model.to_lp(relax=True), method="ipm")
    best = lp.run(first_deadline - now)
    if best.values is not None and best.status == "Optimal":
        first(best.values)
    series = series_of(built.cargo)
    added: list[Cut] = []
    for round_ in range(rounds):
        # the first round may run until the first LP's limit: it raises the bound most
        left = (first_deadline if round_ == 0 else deadline) - time.perf_counter()
        if best.values is None or best.status != "Optimal" or left < 0.5:
            break
        cuts = separate(series, best.values)
        if mixing:
            cuts += separate_mixing(series, best.values)
        if not cuts:
            break
        for cut in cuts:
            lp.add_row(cut.upper, cut.columns, cut.coefs)
        added.extend(cuts)
        out = lp.run(left)
        if out.status != "Optimal":
            break  # the last optimum, with fewer rows, is still a relaxation
        gain = out.bound - best.bound
        best = out
        if gain < CUT_GAIN * max(abs(best.bound), 1.0):
            break
    if added:
        model = built.model
        rows = model.add_rows(-INF, np.array([c.upper for c in added]), len(added))
        for row, cut in zip(rows, added, strict=True):
            model.add_entries(np.full(len(cut.columns), row), cut.columns, cut.coefs)
    return best, len(added)


def rolling_start(built: RotationModel, grid: TimeGrid, deadline: float, *,
                  window_h: float = WINDOW_H, lookahead_h: float = LOOKAHEAD_H,
                  stop: Callable[[], bool] = lambda: False) -> np.ndarray | None:
    """A start for the whole MILP from a rolling horizon (``None`` if its last step fails).

    Window by window (``window_h``), the voyages starting in the window are integer, those in
    the next ``lookahead_h`` hours relaxed, later ones fixed at 0 (presolve drops them, so
    each window is a small MILP) and earlier ones fixed as decided; the cargo is relaxed.
    The voyages fixed, one last MILP loads the cargo, divisible cargo relaxed as in the
    whole MILP. Gives up when ``stop()`` says so.
    """
    model, flow, cargo = built.model, built.flow, built.cargo
    window = max(1, round(window_h / grid.step_h))
    ahead = max(1, round(lookahead_h / grid.step_h))
    z = flow.z_columns()
    begins = np.array([v.start for v in flow.voyages], dtype=np.int64)
    chosen = np.zeros(len(z))
    # the cargo columns and the step each one's departure leaves at
    goods = np.concatenate([cargo.x, cargo.load]).astype(np.int64)
    leaves = np.rint(np.array([s.departure for s in cargo.slots]) / grid.step_h)
    slot_of_carrier = np.array([a.slot for a in cargo.carriers], dtype=np.int64)
    goods_leave = np.concatenate([leaves[cargo.x_slot],
                                  leaves[slot_of_carrier[cargo.load_carrier]]])
    loaded_so_far = np.zeros(len(goods))
    settled = 0  # cargo leaving before this step is loaded as the last window decided
    windows = list(range(0, grid.steps, window))
    for i, first in enumerate(windows):
        if stop():
            return None
        end = first + window
        done, later = begins < first, begins >= end + ahead
        near = (begins >= end) & ~later
        gone = goods_leave < settled  # cargo on departures already decided stays as loaded
        lp = model.to_lp(
            fixed=np.concatenate([z[done], z[later], goods[gone]]),
            fixed_values=np.concatenate([chosen[done], np.zeros(int(later.sum())),
                                         loaded_so_far[gone]]),
            continuous=np.concatenate([goods, z[near]]))
        # the first windows are the largest (later voyages are fixed): twice an even share
        share = 2.0 / (len(windows) - i + 1)
        out = solve(lp, time_limit=max(share * (deadline - time.perf_counter()), 1.0),
                    mip_gap=1e-2)
        if out.values is None:  # the window's vessels wait; the next window takes it from there
            continue
        mine = (begins >= first) & (begins < end)
        chosen[mine] = np.rint(out.values[z[mine]])
        loaded_so_far, settled = out.values[goods], end
    loaded = solve(model.to_lp(fixed=z, fixed_values=chosen, continuous=cargo.divisible()),
                   time_limit=max(deadline - time.perf_counter(), 1.0), mip_gap=1e-4)
    return loaded.values


def cpu_spent() -> Callable[[], float]:
    """A clock of the CPU seconds the calling thread has used since this call.

    A give-up on it fires after the same work on a loaded machine as on an idle one, where
    a wall clock fires after a few CPU seconds under load (at a load of 10 on 2 cores, 15 s
    of a search gave it 2.2 CPU s). HiGHS runs a solve, and calls its callbacks, on the
    thread that started it, so a callback reads the solve's own clock.
    """
    started = time.thread_time()
    return lambda: time.thread_time() - started


def relaxation_start(built: RotationModel, start: np.ndarray, relaxed: np.ndarray,
                     deadline: float, *, give_up: float | None = None,
                     better_than: float | None = None,
                     stop: Callable[[], bool] = lambda: False) -> np.ndarray | None:
    """A plan better than ``start`` (and than ``better_than``, the plan at hand), from it
    and a solution ``relaxed`` of the LP relaxation (without cuts); ``None`` if none is
    found.

    The voyages on which the two agree are fixed as both have them (nearly every voyage
    neither makes); the rest, the voyages the LP makes even in part and those ``start``
    makes, are re-solved as one MILP from ``start`` (divisible cargo relaxed), until
    ``deadline`` or ``stop()``, or once it has spent ``give_up`` CPU seconds (its own:
    :func:`cpu_spent`) without a plan better than ``start``: relaxation induced
    neighbourhood search. On the generated 14-day instance of
    seed 2 (257 of 3,513 voyages free, from first come, first served) it reached 226,713
    in 14 CPU-s, where the rolling horizon reached 246,012 in 17; on seed 4 it found
    nothing better than FIFO's plan in 17.
    """
    model, flow, cargo = built.model, built.flow, built.cargo
    z = flow.z_columns()
    agree = np.abs(relaxed[z] - np.rint(start[z])) < 1e-6
    value = model.value(start)
    better = threading.Event()
    spent = cpu_spent()

    def found(values: np.ndarray) -> None:
        if model.value(values) < value - 1e-6 * max(1.0, abs(value)):
            better.set()

    def interrupt() -> bool:
        late = give_up is not None and spent() > give_up and not better.is_set()
        return late or stop()

    out = solve(model.to_lp(fixed=z[agree], fixed_values=np.rint(start[z[agree]]),
                            continuous=cargo.divisible()),
                start=start, time_limit=max(deadline - time.perf_counter(), 1.0),
                mip_gap=1e-3, found=found, interrupt=interrupt)
    bar = value if better_than is None else min(value, better_than)
    if out.values is None or out.objective >= bar - 1e-6 * max(1.0, abs(bar)):
        return None
    return out.values


def improve(built: RotationModel, grid: TimeGrid, start: np.ndarray, deadline: float, *,
            window_h: float = IMPROVE_WINDOW_H,
            found: Callable[[np.ndarray], None] = lambda values: None,
            fetch: Callable[[], np.ndarray | None] | None = None,
            stop: Callable[[], bool] = lambda: False) -> np.ndarray:
    """Re-solve parts of a plan (divisible cargo relaxed) with every other voyage fixed.

    The parts: windows of ``window_h`` hours, half a window apart, then each vessel class
    over the whole horizon (which moves vessels between routes, as a window cannot: the
    vessels must be where the plan has them at its ends), and once a pass of those finds
    nothing better, each pair of classes too, first (which trades routes between them).
    Pass after pass while the plan gets better and time is left (and ``stop()`` does not
    say otherwise, which also ends the part being solved); each part is a small MILP
    started from the plan, so the plan never gets
    worse. Each better plan goes to ``found``; before each
    part, a plan from ``fetch`` (found elsewhere; ``None``: nothing new) replaces the plan
    when it is better, and once a pass finds nothing better, the plan waits for one from
    ``fetch`` until the deadline.
    """
    model, cargo = built.model, built.cargo
    z = built.flow.z_columns()
    parts, pairs = _parts(built, grid, window_h)
    best, value = start, model.value(start)

    def fetched() -> np.ndarray | None:
        other = fetch() if fetch is not None else None
        if other is not None and model.value(other) < value - 1e-6 * max(1.0, abs(value)):
            return other
        return None

    better = True
    while time.perf_counter() < deadline - 1.0 and not stop():
        if not better and pairs:
            parts, pairs = pairs + parts, []
        elif not better:
            if fetch is None:
                break
            other = fetched()
            if other is None:
                time.sleep(0.2)
                continue
            best, value = other, model.value(other)
        better = False
        for i, outside in enumerate(parts):
            left = deadline - time.perf_counter()
            if left < 1.0 or stop():
                break
            other = fetched()
            if other is not None:
                best, value, better = other, model.value(other), True
            out = solve(model.to_lp(fixed=z[outside], fixed_values=np.rint(best[z[outside]]),
                                    continuous=cargo.divisible()),
                        start=best, time_limit=left / (len(parts) - i), mip_gap=1e-3,
                        interrupt=stop)
            if out.values is not None and out.objective < value - 1e-6 * max(1.0, abs(value)):
                best, value, better = out.values, out.objective, True
                found(best)
    return best


def _parts(built: RotationModel, grid: TimeGrid, window_h: float
           ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The parts ``improve`` re-solves, each as the voyages kept fixed (``True``): windows
    of ``window_h`` hours half a window apart and each vessel class; and, apart, each pair
    of classes (larger parts: they join once the others give nothing better).
    """
    flow = built.flow
    size = max(1, round(window_h / grid.step_h))
    begins = np.array([v.start for v in flow.voyages], dtype=np.int64)
    classes = np.array([v.vessel for v in flow.voyages])
    parts = [(begins < first) | (begins >= first + size)
             for first in range(0, max(grid.steps - size // 2, 1), max(1, size // 2))]
    if len(built.classes) > 1:
        parts += [classes != cls.id for cls in built.classes]
    pairs = [(classes != a.id) & (classes != b.id)
             for a, b in itertools.combinations(built.classes, 2)] \
        if len(built.classes) > 2 else []
    return parts, pairs


class _WholeSearch:
    """The work of the second core: the LP relaxation tightened by backlog cuts, then the
    whole MILP on it (divisible cargo relaxed: a relaxation, so its bound is valid, and
    much easier, as the solver branches on voyages, not on units).

    It runs in a thread on its own copy of the model (the cuts are its rows), from the FIFO
    start, and takes each better plan the first core ``offer``s while it searches.
    """

    def __init__(self, built: RotationModel, start: np.ndarray, mip_gap: float, *,
                 lp_until: float, until: float, started: float | None = None) -> None:
        self._built = replace(built, model=built.model.copy())
        self._start, self._mip_gap = start, mip_gap
        self._lp_until, self._until = lp_until, until
        self._lock = threading.Lock()
        self._offered: np.ndarray | None = None
        self._offered_value = built.model.value(start)
        self._improved: np.ndarray | None = None
        self._relaxed: np.ndarray | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rotation-milp", daemon=True)
        self._error: BaseException | None = None
        none = Outcome("Not run", math.inf, -math.inf, None, 0.0)
        self.relaxation, self.cuts, self.whole = none, 0, none
        self.clock: PhaseClock = {}
        # the phases' clock runs from ``started`` (default: now)
        self._began = time.perf_counter() if started is None else started

    def start(self) -> None:
        """Start the search in its thread."""
        self._thread.start()

    def offer(self, values: np.ndarray) -> None:
        """A plan (divisible cargo relaxed) for the search to take if it is better."""
        value = self._built.model.value(values)
        with self._lock:
            if value < self._offered_value - 1e-6:
                self._offered, self._offered_value = values.copy(), value

    def improved(self) -> np.ndarray | None:
        """The search's latest better plan (divisible cargo relaxed) not yet handed out."""
        with self._lock:
            values, self._improved = self._improved, None
        return values

    def relaxed(self) -> np.ndarray | None:
        """The LP relaxation's solution before the backlog cuts (``None``: not solved yet).

        Without the cuts, not with them: the neighbourhood it gives is the better one (on
        the generated 14-day instance of seed 2, from a plan of 797,636: 232,158 after 11
        CPU-s, against 492,945 after 10 with the cuts' solution and rows, whose voyages
        are more spread: 243 made fractionally against 201).
        """
        return self._relaxed

    def _first_lp(self, values: np.ndarray) -> None:
        self._relaxed = values

    def _found(self, values: np.ndarray) -> None:
        with self._lock:
            self._improved = values

    def finished(self) -> bool:
        """Whether the search has ended (proved its plan within the gap, or out of time)."""
        return self._done.is_set()

    def join(self) -> tuple[Outcome, int, Outcome]:
        """The LP with cuts, how many cuts, and the whole MILP's outcome."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.relaxation, self.cuts, self.whole

    def _taken(self) -> np.ndarray | None:
        with self._lock:
            values, self._offered = self._offered, None
        return values

    def _run(self) -> None:
        self.clock, ended = phase_clock(self._began)
        try:
            self.relaxation, self.cuts = tightened_relaxation(
                self._built, self._lp_until - time.perf_counter(),
                first_limit=self._until - time.perf_counter(), first=self._first_lp)
            ended("LP with backlog cuts")
            start = self._taken()
            model = self._built.model
            self.whole = solve(
                model.to_lp(continuous=self._built.cargo.divisible()),
                start=self._start if start is None else start,
                time_limit=max(self._until - time.perf_counter(), 1.0),
                mip_gap=0.6 * self._mip_gap, heuristic_effort=SEARCH_HEURISTIC_EFFORT,
                offers=self._taken, found=self._found)
            self.whole = replace(self.whole, bound=max(self.whole.bound, self.relaxation.bound))
            ended("whole MILP")
        except BaseException as exc:  # handed to the caller by join()
            self._error = exc
        finally:
            self._done.set()


def _load_whole_units(model: SparseModel, cargo: CargoColumns, flow: _FlowColumns,
                      values: np.ndarray, deadline: float, mip_gap: float
                      ) -> tuple[Outcome, str]:
    """The cargo of a plan (divisible cargo relaxed) in whole units, its voyages fixed.

    For fixed voyages the cargo is nearly a transportation problem and nearly always comes
    out in whole units already; otherwise a small MILP loads it.
    """
    divisible = cargo.divisible()
    if np.all(np.abs(values[divisible] - np.rint(values[divisible])) < 1e-6):
        return (Outcome("Optimal", model.value(values), -math.inf, values, 0.0),
                "voyages and cargo in one MILP (cargo came out in whole units)")
    fixed = flow.columns()
    out = solve(model.to_lp(fixed=fixed, fixed_values=np.rint(values[fixed])),
                time_limit=max(deadline - time.perf_counter(), 1.0), mip_gap=mip_gap / 10)
    return out, "voyages with divisible cargo relaxed, then cargo in whole units"


class _FlowColumns:
    """Columns of the vessel flow: waits per (class, port, step) and class voyages."""

    def __init__(self) -> None:
        self.wait_of: dict[tuple[str, str, int], int] = {}
        self.z_of: dict[str, int] = {}
        self.voyages: list[Voyage] = []
        self.size: dict[str, int] = {}

    def add_class(self, model: SparseModel, instance: CrossingInstance, grid: TimeGrid,
                  cls: VesselClass) -> None:
        """Flow conservation of ``cls``: at each node, in - out = -(vessels starting there)."""
        nodes, voyages = _reachable(instance, grid, cls)
        index = {n: i for i, n in enumerate(nodes)}
        supply = np.zeros(len(nodes))
        for node, count in cls.starts(grid).items():
            supply[index[node]] = -float(count)
        rows = model.add_rows(supply, supply, len(nodes))
        n = float(cls.size)
        # waits need no integrality: with integer voyages, conservation makes them integer
        wcols = model.add_columns(np.zeros(len(nodes)), 0.0, n, integer=False)
        for (port, t), c in zip(nodes, wcols, strict=True):
            self.wait_of[(cls.id, port, t)] = int(c)
        r_ = [rows[index[node]] for node in nodes]
        c_ = list(wcols)
        v_ = [-1.0] * len(nodes)
        for (port, t), c in zip(nodes, wcols, strict=True):
            if (port, t + 1) in index:
                r_.append(rows[index[(port, t + 1)]])
                c_.append(c)
                v_.append(1.0)
        zcols = model.add_columns(np.full(len(voyages), instance.costs.sailing_h), 0.0, n)
        for v, c in zip(voyages, zcols, strict=True):
            self.z_of[v.id] = int(c)
            r_.append(rows[index[(v.origin, v.start)]])
            c_.append(c)
            v_.append(-1.0)
            if (v.destination, v.free) in index:
                r_.append(rows[index[(v.destination, v.free)]])
                c_.append(c)
                v_.append(1.0)
        model.add_entries(np.asarray(r_, dtype=np.int64), np.asarray(c_, dtype=np.int64),
                          np.asarray(v_))
        self.voyages.extend(voyages)
        self.size[cls.id] = cls.size

    def z_columns(self) -> np.ndarray:
        """The voyage columns, in the order of ``voyages``."""
        return np.array([self.z_of[v.id] for v in self.voyages], dtype=np.int64)

    def columns(self) -> np.ndarray:
        """All flow columns (waits and voyages)."""
        return np.array([*self.wait_of.values(), *self.z_of.values()], dtype=np.int64)

    @staticmethod
    def class_voyage_id(sailing: str, class_of: dict[str, VesselClass]) -> str:
        """The class voyage a vessel's voyage (id ``vessel:route@step``) belongs to."""
        vessel, _, rest = sailing.rpartition(":")
        return f"{class_of[vessel].id}:{rest}"

    def write_start(self, vec: np.ndarray, grid: TimeGrid, classes: list[VesselClass],
                    voyages: list[Voyage]) -> None:
        """Add the vessel movements of ``voyages`` (and the waits between them) to ``vec``."""
        for cls in classes:
            for vessel in cls.members:
                mine = sorted((v for v in voyages if v.vessel == vessel.id),
                              key=lambda v: v.start)
                port, t = vessel.available_at, grid.first_step(vessel)
                for v in [*mine, None]:
                    until = grid.steps if v is None else v.start
                    while t < until:
                        vec[self.wait_of[(cls.id, port, t)]] += 1.0
                        t += 1
                    if v is None:
                        break
                    vec[self.z_of[replace(v, vessel=cls.id).id]] += 1.0
                    port, t = v.destination, v.free


def _add_berths(model: SparseModel, instance: CrossingInstance, flow: _FlowColumns) -> None:
    """At most ``berths`` vessels are in a port call (unloading and loading) at any step."""
    use: dict[tuple[str, int], list[int]] = {}
    most: dict[tuple[str, int], int] = {}
    for v in flow.voyages:
        for key in berth_steps(v):
            use.setdefault(key, []).append(flow.z_of[v.id])
            most[key] = most.get(key, 0) + flow.size[v.vessel]
    keys = [k for k in use if most[k] > instance.ports[k[0]].berths]
    rows = model.add_rows(-INF, np.array([float(instance.ports[k[0]].berths) for k in keys]),
                          len(keys))
    for r, k in zip(rows, keys, strict=True):
        model.add_entries(np.full(len(use[k]), r), np.array(use[k]), 1.0)


def _add_cargo(model: SparseModel, instance: CrossingInstance, grid: TimeGrid,
               classes: list[VesselClass], flow: _FlowColumns) -> CargoColumns:
    """Cargo on class voyages: one slot per (route, departure, arrival), one carrier per
    class voyage.

    Vessels of different speeds leaving together arrive apart, and a unit's lateness depends
    on its arrival: they are different slots, so each unit's cost in the model is the cost
    of the sailing it takes.
    """
    heads = {cls.id: cls for cls in classes}
    slot_index: dict[tuple[str, str, int, int], int] = {}
    slots: list[Slot] = []
    carriers: list[Carrier] = []
    for v in flow.voyages:
        route_at = (v.origin, v.destination, v.departure, v.arrival)
        if route_at not in slot_index:
            slot_index[route_at] = len(slots)
            slots.append(Slot((v.origin, v.destination), grid.hours(v.departure),
                              grid.hours(v.arrival)))
        cls = heads[v.vessel]
        carriers.append(Carrier(slot_index[route_at], v.id, cls.head.capacity,
                        cls.head.dangerous_limit, flow.z_of[v.id], cls.size))
    return add_cargo(model, instance, slots, carriers)


def _read_plan(values: np.ndarray, instance: CrossingInstance, grid: TimeGrid,
               classes: list[VesselClass], flow: _FlowColumns, cargo: CargoColumns
               ) -> tuple[list[Sailing], list[Assignment], int]:
    """Vessel sailings and loading from a solution: paths per vessel, decks packed."""
    count = {vid: int(round(values[c])) for vid, c in flow.z_of.items()}
    by_start: dict[str, dict[Node, list[tuple[Voyage, int]]]] = {}
    for v in flow.voyages:
        if count[v.id] > 0:
            by_start.setdefault(v.vessel, {}).setdefault((v.origin, v.start), []).append(
                (v, count[v.id]))
    made_by: dict[str, list[Voyage]] = {}
    for cls in classes:
        waits = {(p, t): int(round(values[c])) for (k, p, t), c in flow.wait_of.items()
                 if k == cls.id}
        paths = decompose(cls, grid, waits, by_start.get(cls.id, {}))
        for path in paths.values():
            for v in path:
                made_by.setdefault(replace(v, vessel=cls.id).id, []).append(v)
    vessels = {v.id: v for v in instance.vessels}
    sailing_of = {v.id: voyage_sailing(v, vessels[v.vessel], grid)
                  for vs in made_by.values() for v in vs}
    loads: dict[str, list[Assignment]] = {}
    for a in cargo.assignments(values):
        loads.setdefault(a.sailing, []).append(a)
    bookings = {b.id: b for b in instance.bookings}
    plan: list[Assignment] = []
    lost = 0
    for class_voyage, mine in loads.items():
        decks = [Deck(sailing_of[v.id]) for v in made_by.get(class_voyage, [])]
        packed, missing = pack(mine, bookings, decks)
        plan.extend(packed)
        lost += missing
    return list(sailing_of.values()), plan, lost
