"""Experiments: the simulator's experiment files, and their comparison with the baseline as a
job whose finished result is served typed.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from midcorridor.service import compare
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep, WriteSessionDep
from midcorridor.service.routes import simjobs
from midcorridor.service.schemas import (
    CompareRequest,
    ComparisonPublic,
    ExperimentPublic,
    ExperimentsPublic,
    JobAccepted,
)
from midcorridor.service.strict_json import StrictJsonRoute
from midcorridor.sim.simulate import BASELINE

router = APIRouter(prefix="/experiments", tags=["experiments"], route_class=StrictJsonRoute)


@router.get("", responses={403: {"description": simjobs.FORBIDDEN}})
def list_experiments(principal: CurrentPrincipal) -> ExperimentsPublic:
    """The simulator's experiment files; comparisons are against ``baseline``."""
    simjobs.check(principal)
    return ExperimentsPublic(
        data=[ExperimentPublic(id=eid, name=spec.name, description=spec.description)
              for eid, (_path, spec) in compare.catalogue().items()],
        baseline=BASELINE.stem)


@router.post("/compare", status_code=202, responses={
    **simjobs.QUEUED, 422: {"description": "An unknown experiment id; the message names the field"},
})
def post_compare(
    body: CompareRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal,
) -> JobAccepted:
    """Queue a comparison of experiments with the baseline: each runs ``replications`` with
    the same seed (common random numbers); the result (``GET /experiments/compare/{job_id}``)
    has each experiment's KPIs with 95% intervals and its paired differences to the baseline.
    """
    simjobs.check(principal)
    compare.check(body)
    return simjobs.queue(session, response, principal, compare.COMPARE_JOB, body)


@router.get("/compare/{job_id}", responses=simjobs.RESULT)
def compare_result(job_id: PathId, session: SessionDep,
                   principal: CurrentPrincipal) -> ComparisonPublic:
    """The comparison of a finished ``experiment_compare`` job."""
    return ComparisonPublic.model_validate(
        simjobs.result(session, principal, job_id, compare.COMPARE_JOB))
