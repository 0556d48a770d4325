"""Scenarios: what if, from the live corridor, and the simulator's scenarios compared with the
baseline. Both run as jobs; their finished results are served typed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from midcorridor.service import compare, whatif
from midcorridor.service.access import OPTIMIZER_ROLES, Principal, can_see_job
from midcorridor.service.db.models import Job
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep, WriteSessionDep
from midcorridor.service.jobs import SUCCEEDED, submit_job
from midcorridor.service.schemas import (
    CompareRequest,
    ComparisonPublic,
    JobAccepted,
    SimScenarioPublic,
    SimScenariosPublic,
    WhatIfOptionsPublic,
    WhatIfPlacePublic,
    WhatIfRequest,
    WhatIfResultPublic,
    WhatIfVesselPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute
from midcorridor.sim.simulate import BASELINE

router = APIRouter(prefix="/scenarios", tags=["scenarios"], route_class=StrictJsonRoute)

FORBIDDEN = "only the coordinator and the admin may run what-if scenarios and comparisons"
QUEUED: dict[int | str, dict[str, Any]] = {
    403: {"description": FORBIDDEN},
    429: {"description": "The organization has as many jobs queued or running as it may"},
}
RESULT: dict[int | str, dict[str, Any]] = {
    403: {"description": FORBIDDEN},
    404: {"description": "No such job of this kind visible to you"},
    409: {"description": "The job has not succeeded (yet): follow it at GET /jobs/{id}"},
}


def _check(principal: Principal) -> None:
    if principal.role not in OPTIMIZER_ROLES:
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)


def _result(session: Session, principal: Principal, job_id: int, kind: str) -> dict[str, Any]:
    """The result of a succeeded job of ``kind`` the caller may see."""
    _check(principal)
    job = session.get(Job, job_id)
    if job is None or job.kind != kind or not can_see_job(principal, job.org_id):
        raise HTTPException(404, f"no {kind} job {job_id}")
    if job.status != SUCCEEDED or job.result is None:
        raise HTTPException(409, f"job {job_id} is {job.status}; follow it at /jobs/{job_id}")
    return dict(job.result)


def _queue(session: Session, response: Response, principal: Principal, kind: str,
           body: BaseModel) -> JobAccepted:
    job_id = submit_job(session, kind, body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)
    response.headers["Location"] = f"/jobs/{job_id}"
    return JobAccepted(job_id=job_id, kind=kind, url=f"/jobs/{job_id}")


@router.post("/whatif", status_code=202, responses={
    **QUEUED,
    422: {"description": "An unknown vessel, line, port or border, or a closure past the "
                         "horizon; the message names the field"},
})
def post_whatif(
    body: WhatIfRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal,
) -> JobAccepted:
    """Queue a what-if from the corridor now: ``days`` ahead, ``replications`` with common
    random numbers against doing nothing; the job's result has the KPI deltas with 95%
    intervals and the shipments whose median arrival moves most (``GET /jobs/{id}``, typed at
    ``GET /scenarios/whatif/{job_id}``).
    """
    _check(principal)
    whatif.check(body)
    return _queue(session, response, principal, whatif.WHATIF_JOB, body)


@router.get("/whatif/options", responses={403: {"description": FORBIDDEN}})
def whatif_options(principal: CurrentPrincipal) -> WhatIfOptionsPublic:
    """What a what-if may change: the simulated Caspian fleet by line, and the Caspian ports
    (``caspian`` closes them all).
    """
    _check(principal)
    model = whatif.model()
    return WhatIfOptionsPublic(
        vessels=[WhatIfVesselPublic(name=ship.name, line=line.id)
                 for line in model.lines for ship in line.ships],
        places=[WhatIfPlacePublic(id=p, name=model.place_names.get(p, p))
                for p, port in model.ports.items() if port.caspian])


@router.get("/whatif/{job_id}", responses=RESULT)
def whatif_result(job_id: PathId, session: SessionDep,
                  principal: CurrentPrincipal) -> WhatIfResultPublic:
    """The answer of a finished what-if job."""
    return WhatIfResultPublic.model_validate(
        _result(session, principal, job_id, whatif.WHATIF_JOB))


@router.get("", responses={403: {"description": FORBIDDEN}})
def list_scenarios(principal: CurrentPrincipal) -> SimScenariosPublic:
    """The simulator's scenarios of the data set; comparisons are against ``baseline``."""
    _check(principal)
    return SimScenariosPublic(
        data=[SimScenarioPublic(id=sid, name=spec.name, description=spec.description)
              for sid, (_path, spec) in compare.catalogue().items()],
        baseline=BASELINE.stem)


@router.post("/compare", status_code=202, responses={
    **QUEUED, 422: {"description": "An unknown scenario id; the message names the field"},
})
def post_compare(
    body: CompareRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal,
) -> JobAccepted:
    """Queue a comparison of the scenarios with the baseline: each runs ``replications`` with
    the same seed (common random numbers); the result (``GET /scenarios/compare/{job_id}``)
    has each scenario's KPIs with 95% intervals and its paired differences to the baseline.
    """
    _check(principal)
    compare.check(body)
    return _queue(session, response, principal, compare.COMPARE_JOB, body)


@router.get("/compare/{job_id}", responses=RESULT)
def compare_result(job_id: PathId, session: SessionDep,
                   principal: CurrentPrincipal) -> ComparisonPublic:
    """The comparison of a finished ``scenario_compare`` job."""
    return ComparisonPublic.model_validate(
        _result(session, principal, job_id, compare.COMPARE_JOB))
