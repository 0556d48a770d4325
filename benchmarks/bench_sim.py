"""Simulator speed: our kernel against plain SimPy, one simulated year, replications per worker.

``python -m benchmarks sim [--quick]``. Every figure is the median of several runs, measured in
this run next to its baseline.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

import simpy

from midcorridor.sim.kernel import Kernel, Resource
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.run import run as run_replications
from midcorridor.sim.simulate import prepare

if TYPE_CHECKING:
    from collections.abc import Callable

BASELINE = Path(__file__).resolve().parents[1] / "experiments" / "baseline.yaml"
LAM, MU, SERVERS = 2.4, 1.0, 3  # an M/M/3 berth queue at 80% load


def _median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def kernel_queue(horizon: float, seed: int = 1) -> int:
    """Customers through an M/M/c queue on our kernel; returns customers served."""
    k = Kernel()
    berths = Resource(k, SERVERS)
    rng = random.Random(seed)
    served = [0]

    def customer():
        yield berths
        yield rng.expovariate(MU)
        berths.release()
        served[0] += 1

    def source():
        while True:
            yield rng.expovariate(LAM)
            k.process(customer())

    k.process(source())
    k.run(horizon)
    return served[0]


def simpy_queue(horizon: float, seed: int = 1) -> int:
    """The same queue written the most direct way in SimPy."""
    env = simpy.Environment()
    berths = simpy.Resource(env, capacity=SERVERS)
    rng = random.Random(seed)
    served = [0]

    def customer():
        with berths.request() as request:
            yield request
            yield env.timeout(rng.expovariate(MU))
        served[0] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(LAM))
            env.process(customer())

    env.process(source())
    env.run(until=horizon)
    return served[0]


def _row(*cells: object) -> None:
    print("  ".join(f"{c:<34}" if i == 0 else f"{c:>16}" for i, c in enumerate(cells)))


def run(quick: bool = False) -> None:
    repeats = 3 if quick else 5
    horizon = 20_000.0 if quick else 100_000.0

    print("1. events per second: M/M/3 queue, same random numbers, same customers served")
    t_ours, n_ours = _median_time(lambda: kernel_queue(horizon), repeats)
    t_simpy, n_simpy = _median_time(lambda: simpy_queue(horizon), repeats)
    assert n_ours == n_simpy, (n_ours, n_simpy)
    # Each customer is three process events (arrival, berth granted, service done), each
    # arrival one source timeout: the same logical events in both models.
    events = 4 * n_ours
    _row("kernel", "customers", "wall s", "events/s", "ratio")
    _row("plain SimPy (baseline)", n_simpy, f"{t_simpy:.3f}", f"{events / t_simpy:,.0f}", "1.00x")
    _row(
        "midcorridor.sim.kernel",
        n_ours,
        f"{t_ours:.3f}",
        f"{events / t_ours:,.0f}",
        f"{t_simpy / t_ours:.2f}x",
    )

    print("\n2. one simulated year of the baseline experiment")
    model = prepare(BASELINE)
    per_box = dataclasses.replace(
        model, streams=tuple(dataclasses.replace(s, units_per_consignment=1) for s in model.streams)
    )
    t_train, r_train = _median_time(lambda: simulate_replication(model, 1, 0), repeats)
    t_box, r_box = _median_time(lambda: simulate_replication(per_box, 1, 0), 1 if quick else 3)
    _row("granularity", "events", "wall s", "events/s", "vs 30 s aim")
    _row(
        "block train / wagon group",
        r_train.events,
        f"{t_train:.2f}",
        f"{r_train.events / t_train:,.0f}",
        f"{t_train / 30:.1%}",
    )
    _row(
        "container / wagon (each its own)",
        r_box.events,
        f"{t_box:.2f}",
        f"{r_box.events / t_box:,.0f}",
        f"{t_box / 30:.1%}",
    )

    print("\n3. replication throughput (baseline, container granularity, one run each)")
    n = 4 if quick else 8
    t1, _ = _median_time(lambda: run_replications(per_box, replications=n, seed=1), 1)
    t2, _ = _median_time(lambda: run_replications(per_box, replications=n, seed=1, workers=2), 1)
    _row("backend", "replications", "wall s", "replications/s", "ratio")
    _row("in-process, 1 worker (baseline)", n, f"{t1:.2f}", f"{n / t1:.1f}", "1.00x")
    _row("local processes, 2 workers", n, f"{t2:.2f}", f"{n / t2:.1f}", f"{t1 / t2:.2f}x")
    print("   (2 workers include starting 2 Python processes; the machine is shared)")


if __name__ == "__main__":
    run()
