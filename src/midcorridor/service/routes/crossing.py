"""Caspian plans from live bookings: make one (a job), the latest, or one by id."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy.orm import Session

from midcorridor.service import corridor, crossing_plans
from midcorridor.service.access import Principal, may_optimize
from midcorridor.service.db.models import CrossingPlanRecord
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep, WriteSessionDep
from midcorridor.service.jobs import submit_job
from midcorridor.service.schemas import CrossingPlanPublic, CrossingPlanRequest, JobAccepted
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/crossing", tags=["crossing"], route_class=StrictJsonRoute)
FORBIDDEN = ("Caspian plans are for the coordinator, the admin and operators of a Caspian "
             "port or shipping line")


def _check(principal: Principal, session: Session) -> None:
    if not may_optimize(principal, corridor.caspian_ports(corridor.data_of(session))):
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)


@router.post("/plans", status_code=202, responses={
    403: {"description": FORBIDDEN},
    429: {"description": "The organization has as many jobs queued or running as it may"},
})
def make_plan(body: CrossingPlanRequest, session: WriteSessionDep, response: Response,
              principal: CurrentPrincipal) -> JobAccepted:
    """Queue a plan of the Caspian crossings for the cargo waiting and due within the horizon.

    A worker builds it from the live corridor, solves it (HiGHS, beside FIFO), stores it and
    puts each assigned shipment's crossing leg on its sailing. ``GET /jobs/{id}`` follows it;
    its result names the plan.
    """
    _check(principal, session)
    job_id = submit_job(session, crossing_plans.PLAN_JOB, body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)
    response.headers["Location"] = f"/jobs/{job_id}"
    return JobAccepted(job_id=job_id, kind=crossing_plans.PLAN_JOB, url=f"/jobs/{job_id}")


@router.get("/plans/latest")
def latest_plan(session: SessionDep, principal: CurrentPrincipal) -> CrossingPlanPublic:
    """The newest published Caspian plan, with its FIFO comparison."""
    _check(principal, session)
    plan_id = crossing_plans.latest_id(session)
    if plan_id is None:
        raise HTTPException(404, "no Caspian plan has been published yet; POST /crossing/plans")
    return read_plan(plan_id, session, principal)


@router.get("/plans/{plan_id}")
def read_plan(plan_id: PathId, session: SessionDep,
              principal: CurrentPrincipal) -> CrossingPlanPublic:
    """A published Caspian plan by id (ids are versions: higher is newer)."""
    _check(principal, session)
    record = session.get(CrossingPlanRecord, plan_id)
    if record is None:
        raise HTTPException(404, "plan not found")
    return CrossingPlanPublic.model_validate(crossing_plans.document_of(record))
