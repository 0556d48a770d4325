"""Replications with explicit seeds, in-process, in local processes or on a Dask cluster.

Replication ``i`` of a run with seed ``s`` draws every random number from streams named by
``(s, i, part)``, so its result does not depend on where it runs, and two experiments run with the
same seed share demand, storms and travel times (common random numbers).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from midcorridor.errors import InputError
from midcorridor.sim.processes import simulate_replication

if TYPE_CHECKING:
    from midcorridor.sim.model import SimModel
    from midcorridor.sim.result import ReplicationResult

Progress = Callable[[int], None]  # called with the number of replications finished so far


@dataclass
class RunResult:
    """All replications of one experiment, in replication order."""

    model: SimModel
    seed: int
    replications: list[ReplicationResult]
    backend: str = "in-process"


def replicate(
    model: SimModel, seed: int, replication: int, trace: bool = False
) -> ReplicationResult:
    """One replication (a plain top-level function so it can be shipped to workers)."""
    return simulate_replication(model, seed, replication, trace=trace)


def run(
    model: SimModel,
    *,
    replications: int = 10,
    seed: int = 0,
    workers: int = 1,
    dask: str | Any | None = None,
    progress: Progress | None = None,
    trace: bool = False,
) -> RunResult:
    """Run ``replications`` replications of ``model``.

    ``workers > 1`` runs them in that many local processes; ``dask`` (a scheduler address such
    as ``tcp://10.0.0.5:8786``, or a ``distributed.Client``) runs them on a Dask cluster.
    Results are identical for the same ``seed`` on every backend. With ``trace`` replication
    0 keeps its consignments' milestones (for :mod:`midcorridor.sim.feed`).
    """
    if replications < 1:
        raise InputError(f"--replications must be at least 1, got {replications}")
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    tick = progress or (lambda done: None)
    if dask is not None:
        results = _on_dask(model, seed, replications, dask, tick, trace)
        backend = "dask"
    elif workers > 1 and replications > 1:
        results = _in_processes(model, seed, replications, workers, tick, trace)
        backend = f"{workers} processes"
    else:
        results = []
        for i in range(replications):
            results.append(replicate(model, seed, i, trace and i == 0))
            tick(i + 1)
        backend = "in-process"
    results.sort(key=lambda r: r.replication)
    return RunResult(model, seed, results, backend)


def _in_processes(
    model: SimModel, seed: int, n: int, workers: int, tick: Progress, trace: bool
) -> list[ReplicationResult]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, n), mp_context=context) as pool:
        futures = [pool.submit(replicate, model, seed, i, trace and i == 0) for i in range(n)]
        results = []
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            tick(done)
    return results


def _on_dask(
    model: SimModel, seed: int, n: int, dask: Any, tick: Progress, trace: bool
) -> list[ReplicationResult]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    own = isinstance(dask, str)
    try:
        client = Client(dask, timeout="10s") if own else dask
    except OSError as exc:
        raise InputError(f"--dask {dask}: cannot reach a Dask scheduler there ({exc})") from None
    try:
        futures = [
            client.submit(replicate, model, seed, i, trace and i == 0, pure=False)
            for i in range(n)
        ]
        results = []
        for done, future in enumerate(dask_completed(futures), start=1):
            results.append(future.result())
            tick(done)
        return results
    finally:
        if own:
            client.close()
