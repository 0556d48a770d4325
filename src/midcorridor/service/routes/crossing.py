"""Caspian plans from live bookings: make one (a job), the latest, or one by id; posted
closures of the Caspian ports, which the plans, the corridor state and the ETA take in.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy.orm import Session

from midcorridor.live.closures import CASPIAN
from midcorridor.service import closures, corridor, crossing_plans, ingest
from midcorridor.service.access import OPTIMIZER_ROLES, Principal, may_optimize
from midcorridor.service.db.models import CrossingPlanRecord, PortClosureRecord
from midcorridor.service.deps import (
    CurrentPrincipal,
    PathId,
    SessionDep,
    WriteSessionDep,
    utcnow,
)
from midcorridor.service.http_errors import found_or_404
from midcorridor.service.jobs import submit_job
from midcorridor.service.planning import network
from midcorridor.service.public import port_closure_public
from midcorridor.service.schemas import (
    CrossingPlanPublic,
    CrossingPlanRequest,
    JobAccepted,
    PortClosurePost,
    PortClosurePublic,
)
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
    record = found_or_404(session.get(CrossingPlanRecord, plan_id), "plan")
    return CrossingPlanPublic.model_validate(crossing_plans.document_of(record))


CLOSURE_FORBIDDEN = ("closures are posted and cancelled by the coordinator, the admin and "
                     "operators of a Caspian port or shipping line, at their own ports")


def _may_close(principal: Principal, place: str) -> bool:
    """Coordinator and admin anywhere; an operator at one of its own ports (not the sea)."""
    return principal.role in OPTIMIZER_ROLES or (place != CASPIAN and place in principal.places)


def _own_places(principal: Principal) -> str:
    return ", ".join(sorted(principal.places)) or "none"


@router.post("/closures", status_code=201, responses={403: {"description": CLOSURE_FORBIDDEN}})
def post_closure(body: PortClosurePost, session: WriteSessionDep,
                 principal: CurrentPrincipal) -> PortClosurePublic:
    """Close a Caspian port, or the whole sea (``caspian``), from ``start`` (default now) to
    ``end``, with a reason. Plans made from then on sail around it, the corridor state shows
    the port closed while it holds, and the ETA of cargo waiting there counts it.
    """
    _check(principal, session)
    data = corridor.data_of(session)
    now = utcnow()
    place, _, _ = closures.check(body, now=now, ports=corridor.caspian_ports(data))
    if not _may_close(principal, place):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"only the coordinator or the admin may close {place}; an "
                            f"operator closes its own ports (yours: {_own_places(principal)})")
    record = closures.post(session, body, now=now, ports=corridor.caspian_ports(data),
                           org_id=principal.org_id, user_id=principal.user_id)
    ingest.refresh_closed(session, record, now=now)
    return port_closure_public(record, network(data).nodes, now)


@router.get("/closures")
def list_closures(session: SessionDep, principal: CurrentPrincipal) -> list[PortClosurePublic]:
    """The posted closures in force now or still to come, soonest first."""
    _check(principal, session)
    now = utcnow()
    nodes = network(corridor.data_of(session)).nodes
    return [port_closure_public(r, nodes, now)
            for r in closures.current_and_upcoming(session, now)]


@router.delete("/closures/{closure_id}", responses={
    403: {"description": CLOSURE_FORBIDDEN},
    409: {"description": "The closure was cancelled already, or has ended"}})
def cancel_closure(closure_id: PathId, session: WriteSessionDep,
                   principal: CurrentPrincipal) -> PortClosurePublic:
    """Cancel a current or upcoming closure (it stays on record as cancelled)."""
    _check(principal, session)
    record = found_or_404(session.get(PortClosureRecord, closure_id), "closure")
    if not _may_close(principal, record.place):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"only the coordinator or the admin may cancel a closure of "
                            f"{record.place}; an operator cancels those of its own ports "
                            f"(yours: {_own_places(principal)})")
    now = utcnow()
    try:
        closures.cancel(session, record, now=now, user_id=principal.user_id)
    except closures.ClosureStateError as exc:
        raise HTTPException(409, str(exc)) from None
    ingest.refresh_closed(session, record, now=now)
    return port_closure_public(record, network(corridor.data_of(session)).nodes, now)
