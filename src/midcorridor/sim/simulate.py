"""The front door: from an experiment file to a compiled model, and from a model to KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from midcorridor.network import Network, load_network
from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import load_experiment
from midcorridor.sim.kpi import summarize
from midcorridor.sim.run import Progress, run

if TYPE_CHECKING:
    from midcorridor.sim.model import SimModel
    from midcorridor.sim.summary import Summary

# The baseline experiment of the source tree (2024 volumes): the demo data and what-if run on it.
BASELINE = Path(__file__).resolve().parents[3] / "experiments" / "baseline.yaml"


def prepare(
    experiment: str | Path, *, network: Network | None = None, data: str | Path | None = None
) -> SimModel:
    """Read an experiment file and compile it on ``network`` (default: the packaged data set,
    extended by ``data`` or the experiment's own ``data:`` folder).
    """
    spec = load_experiment(experiment)
    if network is None:
        folder = data if data is not None else spec.data
        if folder is not None and spec.data is not None and data is None:
            folder = Path(experiment).parent / spec.data
        network = load_network(folder)
    return build_model(network, spec)


def simulate(
    experiment: str | Path,
    *,
    network: Network | None = None,
    replications: int = 10,
    seed: int = 0,
    workers: int = 1,
    dask: Any = None,
    progress: Progress | None = None,
) -> Summary:
    """Run an experiment file and return its KPIs (``to_dict()`` is the ``--format json``
    document).

    >>> import pathlib, tempfile
    >>> experiment = pathlib.Path(tempfile.mkdtemp()) / "aktau_baku.yaml"
    >>> _ = experiment.write_text('''
    ... name: aktau-baku
    ... horizon_days: 20
    ... warmup_days: 5
    ... demand:
    ...   streams:
    ...     - {name: aktau-baku, origin: Aktau, destination: Baku, teu_per_year: 20000}
    ... ''')
    >>> summary = simulate(experiment, replications=2, seed=1)
    >>> summary.experiment, summary.replications, summary.horizon_days
    ('aktau-baku', 2, 20.0)
    >>> 0 < summary.kpis.transit_days.mean.mean < 20
    True
    >>> summary.to_dict()["kpis"]["transit_days"]["mean"]["n"]
    2
    """
    model = prepare(experiment, network=network)
    result = run(
        model, replications=replications, seed=seed, workers=workers, dask=dask, progress=progress
    )
    return summarize(result)
