"""The coordinator's simulation jobs (what-ifs and experiment comparisons): who may run them,
how they are queued, and their finished results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Response, status

from midcorridor.service.access import OPTIMIZER_ROLES, Principal, can_see_job
from midcorridor.service.db.models import Job
from midcorridor.service.jobs import SUCCEEDED, submit_job
from midcorridor.service.schemas import JobAccepted

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

FORBIDDEN = "only the coordinator and the admin may run what-ifs and experiment comparisons"
QUEUED: dict[int | str, dict[str, Any]] = {
    403: {"description": FORBIDDEN},
    429: {"description": "The organization has as many jobs queued or running as it may"},
}
RESULT: dict[int | str, dict[str, Any]] = {
    403: {"description": FORBIDDEN},
    404: {"description": "No such job of this kind visible to you"},
    409: {"description": "The job has not succeeded (yet): follow it at GET /jobs/{id}"},
}


def check(principal: Principal) -> None:
    """Refuse anyone but the coordinator and the admin."""
    if principal.role not in OPTIMIZER_ROLES:
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)


def result(session: Session, principal: Principal, job_id: int, kind: str) -> dict[str, Any]:
    """The result of a succeeded job of ``kind`` the caller may see."""
    check(principal)
    job = session.get(Job, job_id)
    if job is None or job.kind != kind or not can_see_job(principal, job.org_id):
        raise HTTPException(404, f"no {kind} job {job_id}")
    if job.status != SUCCEEDED or job.result is None:
        raise HTTPException(409, f"job {job_id} is {job.status}; follow it at /jobs/{job_id}")
    return dict(job.result)


def queue(session: Session, response: Response, principal: Principal, kind: str,
          body: BaseModel) -> JobAccepted:
    """Queue a job of ``kind`` with ``body`` as its parameters; 202 with where to follow it."""
    job_id = submit_job(session, kind, body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)
    response.headers["Location"] = f"/jobs/{job_id}"
    return JobAccepted(job_id=job_id, kind=kind, url=f"/jobs/{job_id}")


