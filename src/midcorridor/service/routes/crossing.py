"""Caspian plans from live bookings: the latest published plan, or one by id."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from midcorridor.service import corridor, crossing_plans
from midcorridor.service.access import Principal, Role
from midcorridor.service.db.models import CrossingPlanRecord
from midcorridor.service.deps import CurrentPrincipal, PathId, SessionDep
from midcorridor.service.schemas import CrossingPlanPublic

router = APIRouter(prefix="/crossing", tags=["crossing"])


def caspian_planner(principal: Principal) -> bool:
    """Coordinators, the admin, and operators of a Caspian port or shipping line."""
    if principal.role in (Role.admin, Role.coordinator):
        return True
    return principal.role is Role.operator and not principal.places.isdisjoint(
        corridor.caspian_ports())


def _check(principal: Principal) -> None:
    if not caspian_planner(principal):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Caspian plans are for coordinators "
                            "and operators of a Caspian port or shipping line")


@router.get("/plans/latest")
def latest_plan(session: SessionDep, principal: CurrentPrincipal) -> CrossingPlanPublic:
    """The newest published Caspian plan, with its FIFO comparison."""
    _check(principal)
    plan_id = crossing_plans.latest_id(session)
    if plan_id is None:
        raise HTTPException(404, "no Caspian plan has been published yet; POST /crossing/plans")
    return read_plan(plan_id, session, principal)


@router.get("/plans/{plan_id}")
def read_plan(plan_id: PathId, session: SessionDep,
              principal: CurrentPrincipal) -> CrossingPlanPublic:
    """A published Caspian plan by id (ids are versions: higher is newer)."""
    _check(principal)
    record = session.get(CrossingPlanRecord, plan_id)
    if record is None:
        raise HTTPException(404, "plan not found")
    return CrossingPlanPublic.model_validate(crossing_plans.document_of(record))
