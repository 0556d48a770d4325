"""Jobs: the state, progress and outcome of long computations."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from midcorridor.service.access import can_see_job
from midcorridor.service.db.models import Job
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep
from midcorridor.service.public import job_public
from midcorridor.service.schemas import JobPublic
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/jobs", tags=["jobs"], route_class=StrictJsonRoute)


@router.get("/{job_id}", responses={404: {"description": "No such job visible to you"}})
def get_job(job_id: PathId, session: SessionDep, principal: CurrentPrincipal) -> JobPublic:
    """A job of your organization (any job for the coordinator and the admin)."""
    job = session.get(Job, job_id)
    if job is None or not can_see_job(principal, job.org_id):
        raise HTTPException(404, "job not found")
    return job_public(job)
