"""The DES kernel: ordering, resources, cancellation, and an M/M/c queue against Erlang C."""

from __future__ import annotations

import math
import random
import statistics

from midcorridor.sim.kernel import PASSIVATE, Kernel, Resource
from midcorridor.sim.kpi import estimate


def test_timeouts_run_in_time_order_with_fifo_ties():
    """Processes wake in time order, and equal times in the order they were scheduled."""
    k = Kernel()
    log = []

    def proc(name, delay):
        yield delay
        log.append((k.now, name))

    for name, delay in (("b", 2.0), ("a", 1.0), ("c", 2.0)):
        k.process(proc(name, delay))
    k.run(10)
    assert log == [(1.0, "a"), (2.0, "b"), (2.0, "c")]
    assert k.now == 10


def test_resource_serves_in_arrival_order_and_counts_busy_time():
    """A one-server resource queues the second customer until the first releases it."""
    k = Kernel()
    res = Resource(k, 1)
    log = []

    def customer(name, arrive, hold):
        yield arrive
        yield res
        log.append((name, k.now))
        yield hold
        res.release()

    k.process(customer("x", 0.0, 5.0))
    k.process(customer("y", 1.0, 5.0))
    k.run(20)
    res.close()
    assert log == [("x", 0.0), ("y", 5.0)]
    assert math.isclose(res.busy_area, 10.0)
    assert math.isclose(res.queue_area, 4.0)


def test_cancelled_wakeup_never_fires():
    """A passivated process resumed early is not woken again by its cancelled timer."""
    k = Kernel()
    wakes = []

    def sleeper():
        while True:
            value = yield PASSIVATE
            wakes.append((k.now, value))

    gen = sleeper()
    k.process(gen)
    k.run(0)
    ticket = k.resume_at(10.0, gen, "timer")

    def waker():
        yield 3.0
        k.cancel(ticket)
        k.resume(gen, "early")

    k.process(waker())
    k.run(50)
    assert wakes == [(3.0, "early")]


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def mmc_mean_wait(lam: float, mu: float, c: int, horizon: float, seed: int) -> float:
    k = Kernel()
    res = Resource(k, c)
    rng = random.Random(seed)
    waits: list[float] = []
    warmup = horizon * 0.1

    def customer():
        arrived = k.now
        yield res
        if arrived >= warmup:
            waits.append(k.now - arrived)
        yield rng.expovariate(mu)
        res.release()

    def source():
        while True:
            yield rng.expovariate(lam)
            k.process(customer())

    k.process(source())
    k.run(horizon)
    return statistics.fmean(waits)


def test_mmc_queue_reproduces_erlang_c_waiting_time():
    """An M/M/3 queue at 80% load waits as Erlang C says, within the 95% CI of replications."""
    lam, mu, c = 2.4, 1.0, 3
    runs = [mmc_mean_wait(lam, mu, c, 4000.0, seed) for seed in range(12)]
    est = estimate(runs)
    lo, hi = est.low, est.high
    assert lo is not None
    assert hi is not None
    assert lo <= erlang_c_wait(lam, mu, c) <= hi
