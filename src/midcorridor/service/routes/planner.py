"""The route planner and the crossing optimizer over the API (503 when not installed)."""

from __future__ import annotations

from fastapi import APIRouter

from midcorridor.service import planning
from midcorridor.service.access import Action
from midcorridor.service.deps import require
from midcorridor.service.schemas import (
    CrossingPublic,
    CrossingRequest,
    PlanPublic,
    PlanRequest,
)

router = APIRouter(tags=["planner"], dependencies=[require(Action.plan)])


@router.post("/planner/plan", responses={503: {"description": "Planner not available"}})
def plan(body: PlanRequest) -> PlanPublic:
    """Planned legs of the best route options between two places."""
    options = planning.plan_options(body.origin, body.destination, body.depart, body.teu)
    return PlanPublic(options=options)


@router.post("/optimizer/crossing", responses={503: {"description": "Optimizer not available"}})
def optimize_crossing(body: CrossingRequest) -> CrossingPublic:
    """Optimize a seeded Caspian crossing instance (HiGHS) and compare it with FIFO."""
    result = planning.optimize_crossing(days=body.days, seed=body.seed, mode=body.mode,
                                        time_limit_s=body.time_limit_s)
    return CrossingPublic.model_validate(result)
