"""Experiment comparison: the simulator's experiment files against the baseline.

:func:`catalogue` lists the experiment files beside the baseline (``experiments/*.yaml``);
:func:`comparison` runs the baseline and each chosen experiment with the same seed, so
replication ``i`` of every experiment shares its random streams, and returns
:func:`midcorridor.sim.kpi.compare`'s document: each experiment's KPIs with 95% intervals and
its paired differences to the baseline. It runs as the ``experiment_compare`` job.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from midcorridor.errors import InputError
from midcorridor.service.jobs import JobContext, parse_params, register_job_kind
from midcorridor.service.planning import network
from midcorridor.service.schemas import CompareRequest
from midcorridor.sim.experiment import ExperimentSpec, load_experiment
from midcorridor.sim.kpi import compare
from midcorridor.sim.run import run
from midcorridor.sim.simulate import BASELINE, prepare

if TYPE_CHECKING:
    from midcorridor.service.settings import Settings

COMPARE_JOB = "experiment_compare"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, tuple[Path, ExperimentSpec]]:
    """The experiment files by id (the file's stem), the baseline first."""
    paths = sorted(BASELINE.parent.glob("*.yaml"), key=lambda p: (p != BASELINE, p.stem))
    return {p.stem: (p, load_experiment(p)) for p in paths}


def check(body: CompareRequest) -> list[str]:
    """The experiment ids to compare with the baseline, in the order asked, each once."""
    known = catalogue()
    ids: list[str] = []
    for i, eid in enumerate(body.experiments):
        if eid == BASELINE.stem:
            raise InputError(f"experiments[{i}]: the baseline is always compared against; "
                             "name the other experiments")
        if eid not in known:
            raise InputError(f"experiments[{i}]: unknown experiment {eid!r}; known: "
                             f"{', '.join(e for e in known if e != BASELINE.stem)}")
        if eid not in ids:
            ids.append(eid)
    return ids


def comparison(body: CompareRequest, settings: Settings,
               progress: Callable[[float, str], None] | None = None) -> dict[str, Any]:
    """Run the baseline and the chosen experiments on the service's network of the data
    folder of ``settings`` (on its Dask scheduler, if it names one); the comparison document.
    """
    ids = [BASELINE.stem, *check(body)]
    total = len(ids) * body.replications
    results = []
    for k, eid in enumerate(ids):
        path, _spec = catalogue()[eid]
        model = prepare(path, network=network(settings.data))

        def tick(done: int, k: int = k, name: str = model.name) -> None:
            if progress is not None:
                finished = k * body.replications + done
                progress(0.02 + 0.96 * finished / total,
                         f"{name}: {done} of {body.replications} replications")

        results.append(run(model, replications=body.replications, seed=body.seed,
                           dask=settings.dask or None, progress=tick))
    doc = compare(results).to_dict()
    for experiment, eid in zip(doc["experiments"], ids, strict=True):
        experiment["id"] = eid
        experiment["description"] = catalogue()[eid][1].description
        experiment.pop("definitions", None)
    return _finite(doc)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinity as ``None`` (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def compare_job(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """The ``experiment_compare`` job: :func:`comparison` of the request in ``params``."""
    return comparison(parse_params(CompareRequest, params), progress.db.settings,
                      progress.report)


register_job_kind(COMPARE_JOB, compare_job)
