"""Replications give identical results in-process, in local processes and on Dask."""

from __future__ import annotations

import pytest
from distributed import Client, LocalCluster

from midcorridor.errors import InputError
from midcorridor.sim.kpi import summarize
from midcorridor.sim.run import run


def _fingerprint(result):
    return [(r.replication, r.deliveries, r.waits, r.created_units) for r in result.replications]


def test_same_seed_same_results_on_every_backend(aktau_alat_two_ferries):
    """In-process, two local processes and a two-worker Dask LocalCluster agree exactly."""
    model = aktau_alat_two_ferries
    local = run(model, replications=3, seed=7)
    procs = run(model, replications=3, seed=7, workers=2)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        on_dask = run(model, replications=3, seed=7, dask=client)
        by_address = run(model, replications=2, seed=7, dask=cluster.scheduler_address)
    assert procs.backend == "2 processes"
    assert on_dask.backend == "dask"
    assert _fingerprint(local) == _fingerprint(procs) == _fingerprint(on_dask)
    assert _fingerprint(by_address) == _fingerprint(local)[:2]
    assert summarize(local).kpis == summarize(on_dask).kpis


def test_progress_is_reported_per_replication(aktau_alat_two_ferries):
    """The progress callback sees every replication finish, in-process."""
    seen = []
    run(aktau_alat_two_ferries, replications=3, seed=1, progress=seen.append)
    assert seen == [1, 2, 3]


def test_bad_replication_count_is_an_input_error(aktau_alat_two_ferries):
    """Zero replications is refused with a message naming the option."""
    with pytest.raises(InputError, match="--replications"):
        run(aktau_alat_two_ferries, replications=0)
