"""Assignment mode: sailings are given; decide which booking goes on which sailing.

Routes do not share sailings, so each route (origin, destination) is solved on its own and
the bounds add up. A route whose model is small is solved as a MILP warm-started from FIFO; a
large one by its LP relaxation (which gives the bound), then a MILP over the columns the LP
left fractional, all others fixed at their LP values. Either way the plan is never worse than
FIFO: where the optimizer does not beat FIFO on a route, FIFO's loading is kept.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from midcorridor.crossing.baseline import fifo_assignment
from midcorridor.crossing.loading import Carrier, Slot, add_cargo
from midcorridor.crossing.result import Assignment, CrossingPlan, evaluate
from midcorridor.crossing.solver import SparseModel, solve

if TYPE_CHECKING:
    from collections.abc import Sequence

    from midcorridor.crossing.model import CrossingInstance, Sailing

DIRECT_COLUMNS = 5_000  # above this many columns a route goes through the LP first
KEPT_FIFO = "FIFO"  # a route's method starting so kept FIFO's loading


@dataclass(frozen=True)
class RouteResult:
    """The solver's answer for one route: status, objective, bound and the units per sailing."""

    status: str
    objective: float
    bound: float
    assignments: tuple[Assignment, ...]
    method: str


def _solve_route(instance: CrossingInstance, sailings: Sequence[Sailing], time_limit: float,
                 mip_gap: float, fifo: list[Assignment]) -> RouteResult:
    slots = [Slot((s.origin, s.destination), s.departure, s.arrival) for s in sailings]
    carriers = [Carrier(i, s.id, s.capacity, s.dangerous_limit) for i, s in enumerate(sailings)]
    model = SparseModel()
    cargo = add_cargo(model, instance, slots, carriers)
    fifo_value = evaluate(instance, sailings, fifo).objective
    if model.num_col == 0:
        return RouteResult("Optimal", fifo_value, fifo_value, tuple(fifo), "no choice")
    started = time.perf_counter()
    if model.num_col <= DIRECT_COLUMNS:
        out = solve(model.to_lp(), start=cargo.start(fifo, model.num_col),
                    time_limit=time_limit, mip_gap=mip_gap)
        bound, method = out.bound, "MILP"
    else:
        relaxed = solve(model.to_lp(relax=True), time_limit=time_limit)
        if relaxed.values is None:
            return RouteResult(relaxed.status, fifo_value, -float("inf"), tuple(fifo),
                               "FIFO (no LP solution in time)")
        bound, values = relaxed.bound, relaxed.values
        # restrict the MILP to the LP's support: cargo columns at 0 in the LP stay at 0
        # (always feasible: any cargo can be left behind), the rest stay free
        zero = np.intersect1d(cargo.x, np.nonzero(values < 1e-9)[0])
        rest = time_limit - (time.perf_counter() - started)
        out = solve(model.to_lp(fixed=zero, fixed_values=np.zeros(len(zero))),
                    time_limit=max(rest, 1.0), mip_gap=mip_gap)
        method = f"LP, then MILP on its support ({len(cargo.x) - len(zero)} cargo columns)"
        if out.values is not None and out.status == "Optimal" and relaxed.status == "Optimal":
            out = replace(out, status="Feasible (LP support)")
        rest = time_limit - (time.perf_counter() - started)
        if out.values is not None and (out.objective - bound) > mip_gap * abs(out.objective) \
                and rest > 1.0:
            # not yet within the gap: the full MILP, warm-started from the support's plan
            full = solve(model.to_lp(), start=out.values, time_limit=rest, mip_gap=mip_gap)
            if full.values is not None and full.objective <= out.objective:
                out = full
                method += ", then the full MILP"
            bound = max(bound, full.bound)
    if out.values is None:
        return RouteResult(out.status, fifo_value, bound, tuple(fifo), "FIFO (no solution)")
    plan = cargo.assignments(out.values)
    value = evaluate(instance, sailings, plan).objective
    if value > fifo_value + 1e-6:
        return RouteResult(out.status, fifo_value, bound, tuple(fifo), "FIFO (better)")
    return RouteResult(out.status, value, min(bound, value), tuple(plan), method)


def optimize_assignment(instance: CrossingInstance, *, time_limit: float = 60.0,
                        mip_gap: float = 1e-3) -> CrossingPlan:
    """Assign the bookings of ``instance`` to its given sailings, minimizing weighted waiting.

    ``extra["plan"]`` is ``"fifo"`` when every route with a choice kept FIFO's loading (the
    solver found nothing better in time), else ``"optimizer"``; ``extra["fifo_routes"]``
    names the routes that kept it, and a note says so.
    """
    started = time.perf_counter()
    sailings = instance.sailings
    fifo = fifo_assignment(instance.bookings, sailings)
    routes = sorted({(s.origin, s.destination) for s in sailings}
                    | {(b.origin, b.destination) for b in instance.bookings})
    sizes = {r: 1 + sum(1 for b in instance.bookings if (b.origin, b.destination) == r)
             for r in routes}
    total = sum(sizes.values())
    results: list[RouteResult] = []
    for route in routes:
        sub = replace(
            instance,
            bookings=tuple(b for b in instance.bookings if (b.origin, b.destination) == route),
            sailings=tuple(s for s in sailings if (s.origin, s.destination) == route),
        )
        ids = {b.id for b in sub.bookings}
        budget = time_limit * sizes[route] / total
        results.append(_solve_route(sub, sub.sailings, budget, mip_gap,
                                    [a for a in fifo if a.booking in ids]))
    assignments = tuple(a for r in results for a in r.assignments)
    figures = evaluate(instance, sailings, assignments)
    bound = sum(r.bound for r in results)
    statuses = Counter(r.status for r in results)
    status = "Optimal" if set(statuses) <= {"Optimal"} else "; ".join(
        f"{s} on {n} route{'s' if n > 1 else ''}" for s, n in sorted(statuses.items()))
    gap = _gap(figures.objective, bound)
    kept = [f"{o}-{d}" for (o, d), r in zip(routes, results, strict=True)
            if r.method.startswith(KEPT_FIFO)]
    choices = sum(1 for r in results if r.method != "no choice")
    notes = sorted({r.method for r in results})
    if kept:
        notes.append(f"kept first come, first served on {len(kept)} of {choices} routes "
                     f"({', '.join(kept)}): the solver found nothing better in time")
    return CrossingPlan(
        mode="assignment", status=status, objective=figures.objective, bound=bound, gap=gap,
        figures=figures, fifo=evaluate(instance, sailings, fifo),
        sailings=tuple(sailings), assignments=assignments,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
        extra={"plan": "fifo" if kept and len(kept) == choices else "optimizer",
               "fifo_routes": kept},
    )


def _gap(objective: float, bound: float) -> float:
    if not np.isfinite(bound):
        return float("inf")
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)
