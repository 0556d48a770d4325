"""One router per resource; :data:`api_router` gathers them."""

from fastapi import APIRouter

from midcorridor.service.routes import (
    admin,
    aggregates,
    alerts,
    corridor,
    crossing,
    events,
    experiments,
    health,
    jobs,
    network,
    planner,
    scenarios,
    shipments,
    signin,
    subscriptions,
)

api_router = APIRouter()
for _module in (health, admin, shipments, events, alerts, subscriptions, aggregates, planner,
                corridor, crossing, jobs, network, scenarios, experiments, signin):
    api_router.include_router(_module.router)
