"""Caspian crossing optimizer against first come, first served (FIFO), and how it scales.

1. Quality at today's published volumes (generated instances, several seeds): mean and p95
   wait and objective of the HiGHS plan as a ratio of FIFO's on the same instance.
2. Assignment mode up to 10,000 bookings x ~500 sailings; rotation mode up to 8 vessels x
   3 ports x 14 days x 2,000 bookings: solve time, final gap, and time growth against the
   smallest size.
4. Rotation dependability for a daily run (alone: ``python -m benchmarks.bench_crossing
   dependability``): every Caspian line, 14 days at 2025 volumes,
   seeds 1-10 (quick: 1-2), 60 s each: status, gap against the solver's own bound, wall and
   CPU time, mean wait against FIFO's on the same instance, units left behind, and under
   each row the plan of each phase of the solve. The machine's
   load average is printed with each seed: the solve runs on two cores (CPU time up to
   twice the wall time); on a shared machine it gets less than that and the wall-clock limit
   then buys less work (the CPU column shows how much).
5. Rotation bounds (alone: ``python -m benchmarks.bench_crossing bounds``): the same
   instances, the LP relaxation and the LP tightened by backlog cuts alone and with mixing
   cuts too, run to the end of their rounds, with no time limit. All are deterministic, so
   the table is the same on a loaded machine as on an idle one (only the CPU column is
   not). Beside the plans of 4, they say how much of each seed's gap lies between the
   LP's bound and the optimum, at most.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from typing import TYPE_CHECKING

from midcorridor.crossing import (
    CrossingInstance,
    CrossingPlan,
    GeneratorParams,
    generate_instance,
    optimize_assignment,
    optimize_rotation,
)
from midcorridor.crossing.model import UnitType
from midcorridor.crossing.rotation import build_model, tightened_relaxation, unavoidable_cost
from midcorridor.crossing.solver import Relaxation, silence_banner
from midcorridor.crossing.timegrid import make_grid
from midcorridor.network import Network, load_network

if TYPE_CHECKING:
    from collections.abc import Callable

ROTATION_PORTS = ("KZAAU", "KZKUR", "AZALT")  # Aktau, Kuryk, Alat
ROTATION_STEP_H = 6.0


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))


def quality(network: Network, seeds: list[int], time_limit: float) -> None:
    print("\n1. Wait against FIFO at today's published volumes (median over seeds "
          f"{seeds}; ratio = optimized / FIFO, lower is better)")
    cases: list[tuple[str, GeneratorParams, Callable[..., CrossingPlan], dict[str, float]]] = [
        ("assignment, all Caspian lines, 14 d", GeneratorParams(days=14),
         optimize_assignment, {}),
        ("rotation, Aktau/Kuryk/Alat, 8 vessels, 14 d",
         GeneratorParams(days=14, ports=ROTATION_PORTS, vessels=8), optimize_rotation,
         {"step_h": ROTATION_STEP_H}),
    ]
    widths = [44, 9, 7, 9, 9, 9, 9, 8, 7]
    print(_row(["case", "bookings", "units", "FIFO mean", "opt mean", "mean ratio",
                "p95 ratio", "obj ratio", "gap"], widths))
    for name, params, solve, kw in cases:
        rows = []
        for seed in seeds:
            inst = generate_instance(network, GeneratorParams(**{**params.__dict__, "seed": seed}))
            plan = solve(inst, time_limit=time_limit, mip_gap=0.01, **kw)
            rows.append((len(inst.bookings), inst.total_units, plan, inst))
        med = statistics.median
        print(_row([
            name, f"{med(r[0] for r in rows):.0f}", f"{med(r[1] for r in rows):.0f}",
            f"{med(r[2].fifo.mean_wait_hours for r in rows):.1f} h",
            f"{med(r[2].figures.mean_wait_hours for r in rows):.1f} h",
            f"{med(r[2].figures.mean_wait_hours / r[2].fifo.mean_wait_hours for r in rows):.3f}",
            f"{med(r[2].figures.p95_wait_hours / r[2].fifo.p95_wait_hours for r in rows):.3f}",
            f"{med(r[2].objective / r[2].fifo.objective for r in rows):.3f}",
            f"{med(r[2].gap for r in rows):.2%}"], widths))
        left = med(r[2].figures.left_behind_units / r[1] for r in rows)
        left_fifo = med(r[2].fifo.left_behind_units / r[1] for r in rows)
        per_seed = ", ".join(f"{r[2].figures.mean_wait_hours / r[2].fifo.mean_wait_hours:.3f}"
                             for r in rows)
        print(f"{'':4}units left behind at the end: FIFO {left_fifo:.0%}, optimized {left:.0%} "
              "(their wait counts up to the end of the horizon in both plans); mean ratio "
              f"per seed: {per_seed}")
        if solve is optimize_assignment:
            print(f"{'':4}why the mean barely moves: the sailings are fixed, so any plan moves "
                  "about the same units on the same departures; the gain shows in the "
                  "priority-weighted objective (obj ratio)")
        else:
            print(f"{'':4}{_capacity(network, rows[len(rows) // 2][3])}")
        inst_params = {k: v for k, v in params.__dict__.items() if k != "seed"}
        print(f"{'':4}instance parameters: {inst_params}, fleet and sailings from the data set's "
              "Caspian services; volumes 77,000 TEU, 36,856 railcars, 14,094 trucks a year, "
              "80 % westbound")


def _capacity(network: Network, inst: CrossingInstance) -> str:
    """Units arriving per day against the most the fleet could carry per day, per direction.

    The most a vessel carries: one full deck each way per round trip on the quickest pair of
    ports that cargo of this type and direction moves between (one call of one handling time
    at each end, unloading and loading together, and two crossings), sailing nonstop, each
    unit type alone on the deck (mixed decks share it); an upper bound on capacity. The
    second figure rounds calls and crossings up to whole rotation steps, as the
    time-expanded network does.
    """
    days = inst.horizon_h / 24.0
    parts = []
    for west in (True, False):
        for unit in UnitType:
            mine = [b for b in inst.bookings if b.unit_type is unit and
                    (network.nodes[b.origin].lon > network.nodes[b.destination].lon) == west]
            demand = sum(b.units for b in mine)
            pairs = sorted({(b.origin, b.destination) for b in mine})
            most, most_grid = 0.0, 0.0
            for v in inst.vessels:
                if not v.capacity.carries(unit) or not pairs:
                    continue
                trip = min(inst.ports[a].handling_h + inst.ports[b].handling_h
                           + 2 * inst.crossing_h(v, a, b) for a, b in pairs)
                trip_grid = min(sum(_steps(h) for h in (
                    inst.ports[a].handling_h, inst.ports[b].handling_h,
                    inst.crossing_h(v, a, b), inst.crossing_h(v, a, b))) for a, b in pairs)
                most += v.capacity.of(unit) * 24.0 / trip
                most_grid += v.capacity.of(unit) * 24.0 / trip_grid
            if demand:
                parts.append(f"{'W' if west else 'E'} {unit.value} {demand / days:.0f}/d "
                             f"vs <= {most:.0f}/d ({most_grid:.0f}/d)")
    return ("capacity (arrivals per day vs the most the fleet can carry per day, "
            f"sailing nonstop and full; in brackets on the {ROTATION_STEP_H:g} h grid; "
            "middle seed): " + ", ".join(parts))


def _steps(hours: float) -> float:
    """``hours`` rounded up to whole rotation steps, in hours."""
    return max(1, math.ceil(hours / ROTATION_STEP_H - 1e-9)) * ROTATION_STEP_H


def scaling(network: Network, name: str, sizes: list[int], params: GeneratorParams,
            solve: Callable[..., CrossingPlan], runs: int, time_limit: float,
            **kw: float) -> None:
    print(f"\n{name} (time limit {time_limit:g} s, MIP gap 1 %; median of {runs} run(s); "
          "growth = time / time of the smallest size)")
    widths = [9, 9, 9, 8, 9, 9, 8]
    print(_row(["bookings", "units", "sailings", "vessels", "time", "growth", "gap"], widths)
          + "  status")
    base = None
    for size in sizes:
        inst = generate_instance(network, GeneratorParams(**{**params.__dict__,
                                                             "bookings": size}))
        times, plans = [], []
        for _ in range(runs):
            started = time.perf_counter()
            plans.append(solve(inst, time_limit=time_limit, mip_gap=0.01, **kw))
            times.append(time.perf_counter() - started)
        t = statistics.median(times)
        base = base or t
        plan = plans[-1]
        print(_row([f"{len(inst.bookings)}", f"{inst.total_units}",
                    f"{len(inst.sailings) if not kw else plan.figures.sailings}",
                    f"{len(inst.vessels)}", f"{t:.1f} s", f"{t / base:.1f}x",
                    f"{plan.gap:.2%}"], widths) + f"  {plan.status}")


DAILY_TIME_LIMIT = 60.0
DAILY_GAP = 0.01


def _avoidable_gap(plan: CrossingPlan) -> float:
    """The gap on what a plan can avoid: the unavoidable part taken out of plan and bound."""
    rest = plan.objective - float(plan.extra.get("unavoidable", 0.0))
    return math.inf if not math.isfinite(plan.bound) or rest <= 0 else \
        max(0.0, plan.objective - plan.bound) / rest


def _phases(plan: CrossingPlan) -> str:
    """Each phase's plan (objective with divisible cargo relaxed; - for none), in order,
    and when it ended: seconds since the start / CPU seconds of the core that ran it."""
    phases, clock = plan.extra.get("phases", {}), plan.extra.get("phase_clock", {})
    assert isinstance(phases, dict)
    assert isinstance(clock, dict)

    def ended(name: str) -> str:
        return f" ({clock[name][0]:.0f}/{clock[name][1]:.0f} s)" if name in clock else ""

    cells = [f"{name} {'-' if value is None else f'{value:,.0f}'}{ended(name)}"
             for name, value in phases.items()]
    if "LP with backlog cuts" in clock:
        cells.append(f"LP with backlog cuts{ended('LP with backlog cuts')}")
    return "plans by phase (ended: s / CPU s of its core): " + ", ".join(cells)


def dependability(network: Network, seeds: list[int], time_limit: float) -> None:
    """One row per seed, solved one at a time, with the load average before each."""
    print(f"\n4. Rotation dependability: all Caspian lines, 14 days, 2025 volumes, "
          f"{ROTATION_STEP_H:g} h steps, limit {time_limit:g} s, target gap "
          f"{DAILY_GAP:.0%} (gap = (plan - bound) / plan, bound = the solver's own; "
          "LP bound = the LP relaxation with backlog cuts, before the MILP; gap avd. = the "
          "gap on the part of the objective a plan can avoid, (plan - bound) / (plan - "
          "unavoidable); "
          "reduction = 1 - mean wait / FIFO's)")
    widths = [4, 8, 6, 5, 18, 9, 9, 9, 7, 8, 7, 7, 9, 9, 9, 11, 9]
    print(_row(["seed", "bookings", "units", "load", "status", "objective", "bound", "LP bound",
                "gap", "gap avd.", "time", "CPU", "mean wait", "FIFO mean", "reduction",
                "left (FIFO)", "plan"], widths))
    rows: list[tuple[float, float, float, float]] = []
    for seed in seeds:
        inst = generate_instance(network, GeneratorParams(days=14, seed=seed))
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        plan = optimize_rotation(inst, step_h=ROTATION_STEP_H, time_limit=time_limit,
                                 mip_gap=DAILY_GAP)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        f, b = plan.figures, plan.fifo
        print(_row([str(seed), str(len(inst.bookings)), str(inst.total_units), f"{load:.1f}",
                    plan.status, f"{plan.objective:,.0f}", f"{plan.bound:,.0f}",
                    f"{plan.extra.get('lp_bound', math.nan):,.0f}", f"{plan.gap:.2%}",
                    f"{_avoidable_gap(plan):.2%}",
                    f"{wall:.1f} s", f"{cpu:.1f} s",
                    f"{f.mean_wait_hours:.1f} h", f"{b.mean_wait_hours:.1f} h",
                    f"{plan.mean_wait_reduction:.1%}",
                    f"{f.left_behind_units} ({b.left_behind_units})",
                    str(plan.extra.get("plan", "?"))], widths), flush=True)
        print(f"{'':6}{_phases(plan)}", flush=True)
        rows.append((plan.gap, wall, plan.mean_wait_reduction, _avoidable_gap(plan)))
    within = sum(1 for gap, wall, *_ in rows if gap <= DAILY_GAP and wall <= time_limit + 5)
    avoidable = sum(1 for _, wall, _, gap in rows if gap <= DAILY_GAP and wall <= time_limit + 5)
    print(f"{'':4}gap <= {DAILY_GAP:.0%} within the limit: {within} of {len(rows)} seeds "
          f"({avoidable} on the avoidable part); "
          f"median gap {statistics.median(r[0] for r in rows):.2%}; median reduction of the "
          f"mean wait against FIFO {statistics.median(r[2] for r in rows):.1%} (aim 30%); "
          f"load average now {os.getloadavg()[0]:.1f}")


def bounds(network: Network, seeds: list[int]) -> None:
    """One row per seed: the LP relaxation, then with backlog (MIR) cuts alone, then with
    the mixing cuts too (the solver's), without a time limit."""
    print(f"\n5. Rotation bounds: the instances of 4, {ROTATION_STEP_H:g} h steps, no time "
          "limit (deterministic; CPU = the process's CPU time for the LP with all cuts; "
          "raised = LP with cuts / LP - 1; MIR = backlog cuts alone, all = with mixing cuts, "
          "the solver's; unavoidable = each unit on its cheapest departure)")
    widths = [4, 8, 8, 11, 11, 11, 11, 7, 7, 6, 8]
    print(_row(["seed", "columns", "rows", "unavoidable", "LP", "LP + MIR", "LP + all",
                "MIR", "all", "cuts", "CPU"], widths))
    for seed in seeds:
        inst = generate_instance(network, GeneratorParams(days=14, seed=seed))
        grid = make_grid(inst, ROTATION_STEP_H)
        built = build_model(inst, grid)
        plain = Relaxation(built.model.to_lp(relax=True), method="ipm").run(math.inf)
        mir, _ = tightened_relaxation(build_model(inst, grid), math.inf, mixing=False)
        cpu = time.process_time()
        tight, cuts = tightened_relaxation(built, math.inf)
        cpu = time.process_time() - cpu
        print(_row([str(seed), f"{built.model.num_col:,}", f"{built.model.num_row - cuts:,}",
                    f"{unavoidable_cost(built):,.0f}", f"{plain.bound:,.0f}",
                    f"{mir.bound:,.0f}", f"{tight.bound:,.0f}",
                    f"{mir.bound / plain.bound - 1:.2%}", f"{tight.bound / plain.bound - 1:.2%}",
                    str(cuts), f"{cpu:.1f} s"], widths), flush=True)


SECTIONS = ("quality", "assignment", "rotation", "dependability", "bounds")


def run(quick: bool = False, sections: tuple[str, ...] = SECTIONS) -> None:
    """The sections named (all by default), quick or full."""
    silence_banner()  # HiGHS's banner goes to stderr, not into the tables
    network = load_network()
    if "quality" in sections:
        quality(network, [1] if quick else [1, 2, 3], 10.0 if quick else 30.0)
    if "assignment" in sections:
        scaling(network, "2. Assignment mode, all Caspian lines, 58 days (~500 sailings)",
                [2_500] if quick else [2_500, 5_000, 10_000],
                GeneratorParams(days=58, seed=1), optimize_assignment, 1 if quick else 3,
                60.0)
    if "rotation" in sections:
        scaling(network, f"3. Rotation mode, Aktau/Kuryk/Alat, 8 vessels, 14 days, "
                f"{ROTATION_STEP_H:g} h steps",
                [500] if quick else [500, 1_000, 2_000],
                GeneratorParams(days=14, seed=1, ports=ROTATION_PORTS, vessels=8),
                optimize_rotation, 1, 20.0 if quick else 60.0, step_h=ROTATION_STEP_H)
    if "dependability" in sections:
        dependability(network, [1, 2] if quick else list(range(1, 11)), DAILY_TIME_LIMIT)
    if "bounds" in sections:
        bounds(network, [1, 2] if quick else list(range(1, 11)))


if __name__ == "__main__":
    # python -m benchmarks.bench_crossing [section ...] [--quick]; e.g. only the seeds table:
    # python -m benchmarks.bench_crossing dependability
    import sys

    named = tuple(a for a in sys.argv[1:] if not a.startswith("--"))
    unknown = [a for a in named if a not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section {', '.join(unknown)}: choose from {', '.join(SECTIONS)}")
    run(quick="--quick" in sys.argv, sections=named or SECTIONS)
