"""The route planner and the crossing optimizer over the API (503 when the network data
cannot be loaded).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from midcorridor.service import planning
from midcorridor.service.access import Action, Principal, may_optimize
from midcorridor.service.deps import CurrentPrincipal, SettingsDep, WriteSessionDep, require
from midcorridor.service.http_errors import answers
from midcorridor.service.jobs import submit_job
from midcorridor.service.schemas import (
    CrossingRequest,
    JobAccepted,
    PlanPublic,
    PlanRequest,
    RouteLegPublic,
    RouteOptionPublic,
    RouteRequest,
    RoutesPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(tags=["planner"], route_class=StrictJsonRoute)
Planner = require(Action.plan)


@router.post("/planner/plan",
             responses={503: {"description": "Planner not available"}, **answers(400)})
def plan(body: PlanRequest, settings: SettingsDep, principal: Principal = Planner) -> PlanPublic:
    """Planned legs of the best route options between two places."""
    options = planning.plan_options(body.origin, body.destination, body.depart, body.teu,
                                    data=settings.data)
    return PlanPublic(options=options)


@router.post("/planner/routes", responses={503: {"description": "Planner not available"}})
def plan_routes(body: RouteRequest, settings: SettingsDep) -> RoutesPublic:
    """Pareto options over time, cost and CO2e (plus the best of each corridor family), each
    with its legs, waits and totals, and their lines as GeoJSON.
    """
    from midcorridor.routing import TONNES_PER_TEU

    teu = body.teu if body.teu is not None else (body.tonnes or TONNES_PER_TEU) / TONNES_PER_TEU
    result, geojson = planning.route_plan(
        body.origin, body.destination, depart=body.depart, teu=teu, objective=body.objective,
        avoid_countries=body.avoid_countries, avoid_modes=list(body.avoid_modes),
        scenarios=body.scenarios, data=settings.data)
    options = [
        RouteOptionPublic(
            rank=rank, corridor=o.corridor, family=o.family, pareto=o.pareto,
            total_hours=round(o.total_hours, 2), cost_usd=round(o.cost_usd, 2),
            co2e_kg=round(o.co2e_kg, 2), transshipments=o.transshipments, borders=o.borders,
            distance_km=round(o.distance_km, 1), assumptions=list(o.assumptions),
            legs=[RouteLegPublic.of(g) for g in o.legs],
        )
        for rank, o in enumerate(result.comparison(), start=1)
    ]
    return RoutesPublic(origin=result.origin, destination=result.destination,
                        cargo_teu=round(teu, 3), options=options, geojson=geojson)


@router.post("/optimizer/crossing", status_code=202, responses={
    403: {"description": "Only the coordinator, the admin and operators of a Caspian port "
                         "or shipping line may run the optimizer"},
    429: {"description": "The organization has as many jobs queued or running as it may"},
})
def optimize_crossing(
    body: CrossingRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal, settings: SettingsDep,
) -> JobAccepted:
    """Queue the optimization of a seeded Caspian crossing instance (HiGHS) next to FIFO.

    The answer is the job; ``GET /jobs/{id}`` gives its progress and then its result.
    """
    if not may_optimize(principal, planning.caspian_port_ids(settings.data)):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "only the coordinator, the admin and operators of a Caspian port "
                            "or shipping line may run the crossing optimizer")
    job_id = submit_job(session, planning.CROSSING_JOB, body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)
    response.headers["Location"] = f"/jobs/{job_id}"
    return JobAccepted(job_id=job_id, kind=planning.CROSSING_JOB, url=f"/jobs/{job_id}")
