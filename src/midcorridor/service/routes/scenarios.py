"""Scenarios on the live corridor: ``POST /scenarios/whatif`` queues a what-if job."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from midcorridor.service import whatif
from midcorridor.service.access import OPTIMIZER_ROLES
from midcorridor.service.deps import CurrentPrincipal, WriteSessionDep
from midcorridor.service.jobs import submit_job
from midcorridor.service.schemas import JobAccepted, WhatIfRequest
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/scenarios", tags=["scenarios"], route_class=StrictJsonRoute)


@router.post("/whatif", status_code=202, responses={
    403: {"description": "Only the coordinator and the admin may run what-if scenarios"},
    422: {"description": "An unknown vessel, line, port or border, or a closure past the "
                         "horizon; the message names the field"},
    429: {"description": "The organization has as many jobs queued or running as it may"},
})
def post_whatif(
    body: WhatIfRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal,
) -> JobAccepted:
    """Queue a what-if from the corridor now: ``days`` ahead, ``replications`` with common
    random numbers against doing nothing; the job's result has the KPI deltas with 95%
    intervals and the shipments whose median arrival moves most (``GET /jobs/{id}``).
    """
    if principal.role not in OPTIMIZER_ROLES:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "only the coordinator and the admin may run what-if scenarios")
    whatif.check(body)
    job_id = submit_job(session, whatif.WHATIF_JOB, body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)
    response.headers["Location"] = f"/jobs/{job_id}"
    return JobAccepted(job_id=job_id, kind=whatif.WHATIF_JOB, url=f"/jobs/{job_id}")
