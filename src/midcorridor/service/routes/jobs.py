"""Jobs: the state, progress and outcome of long computations."""

from __future__ import annotations

from fastapi import APIRouter

from midcorridor.service.access import can_see_job
from midcorridor.service.db.models import Job
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep
from midcorridor.service.http_errors import found_or_404
from midcorridor.service.public import job_public
from midcorridor.service.schemas import JobPublic
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/jobs", tags=["jobs"], route_class=StrictJsonRoute)


@router.get("/{job_id}", responses={404: {"description": "No such job visible to you"}})
def get_job(job_id: PathId, session: SessionDep, principal: CurrentPrincipal) -> JobPublic:
    """A job of your organization (any job for the coordinator and the admin)."""
    job = session.get(Job, job_id)
    return job_public(found_or_404(
        job if job is not None and can_see_job(principal, job.org_id) else None, "job"))
