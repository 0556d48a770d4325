"""One router per resource; :data:`api_router` gathers them."""

from fastapi import APIRouter

from midcorridor.service.routes import (
    admin,
    aggregates,
    alerts,
    corridor,
    events,
    health,
    jobs,
    planner,
    scenarios,
    shipments,
    subscriptions,
)

api_router = APIRouter()
for _module in (health, admin, shipments, events, alerts, subscriptions, aggregates, planner,
                corridor, jobs, scenarios):
    api_router.include_router(_module.router)
