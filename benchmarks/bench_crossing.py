"""Caspian crossing optimizer against first come, first served (FIFO), and how it scales.

1. Quality at today's published volumes (generated instances, several seeds): mean and p95
   wait and objective of the HiGHS plan as a ratio of FIFO's on the same instance.
2. Assignment mode up to 10,000 bookings x ~500 sailings; rotation mode up to 8 vessels x
   3 ports x 14 days x 2,000 bookings: solve time, final gap, and time growth against the
   smallest size.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from midcorridor.crossing import (
    CrossingPlan,
    GeneratorParams,
    generate_instance,
    optimize_assignment,
    optimize_rotation,
)
from midcorridor.network import Network, load_network

ROTATION_PORTS = ("KZAAU", "KZKUR", "AZALT")  # Aktau, Kuryk, Alat
ROTATION_STEP_H = 12.0


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
            rows.append((len(inst.bookings), inst.total_units, plan))
        med = statistics.median
        print(_row([
            name, f"{med(r[0] for r in rows):.0f}", f"{med(r[1] for r in rows):.0f}",
            f"{med(r[2].fifo.mean_wait_hours for r in rows):.1f} h",
            f"{med(r[2].figures.mean_wait_hours for r in rows):.1f} h",
            f"{med(r[2].figures.mean_wait_hours / r[2].fifo.mean_wait_hours for r in rows):.3f}",
            f"{med(r[2].figures.p95_wait_hours / r[2].fifo.p95_wait_hours for r in rows):.3f}",
            f"{med(r[2].objective / r[2].fifo.objective for r in rows):.3f}",
            f"{med(r[2].gap for r in rows):.2%}"], widths))
        inst_params = {k: v for k, v in params.__dict__.items() if k != "seed"}
        print(f"{'':4}instance parameters: {inst_params}, fleet and sailings from the data set's "
              "Caspian services; volumes 77,000 TEU, 36,856 railcars, 14,094 trucks a year, "
              "80 % westbound")


def scaling(network: Network, name: str, sizes: list[int], params: GeneratorParams,
            solve: Callable[..., CrossingPlan], runs: int, time_limit: float,
            **kw: float) -> None:
    print(f"\n{name} (time limit {time_limit:g} s, MIP gap 1 %; median of {runs} run(s); "
          "growth = time / time of the smallest size)")
    widths = [9, 9, 9, 8, 9, 9, 8, 22]
    print(_row(["bookings", "units", "sailings", "vessels", "time", "growth", "gap",
                "status"], widths))
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
                    f"{plan.gap:.2%}", plan.status[:22]], widths))


def run(quick: bool = False) -> None:
    network = load_network()
    quality(network, [1] if quick else [1, 2, 3], 10.0 if quick else 30.0)
    scaling(network, "2. Assignment mode, all Caspian lines, 58 days (~500 sailings)",
            [2_500] if quick else [2_500, 5_000, 10_000],
            GeneratorParams(days=58, seed=1), optimize_assignment, 1 if quick else 3,
            60.0)
    scaling(network, f"3. Rotation mode, Aktau/Kuryk/Alat, 8 vessels, 14 days, "
            f"{ROTATION_STEP_H:g} h steps",
            [500] if quick else [500, 1_000, 2_000],
            GeneratorParams(days=14, seed=1, ports=ROTATION_PORTS, vessels=8),
            optimize_rotation, 1, 20.0 if quick else 60.0, step_h=ROTATION_STEP_H)
