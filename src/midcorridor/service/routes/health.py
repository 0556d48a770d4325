"""Health: the service is up and its database answers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from midcorridor.service.deps import SessionDep, SettingsDep
from midcorridor.service.planning import planner_ready
from midcorridor.service.schemas import HealthPublic
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, tags=["health"])


@router.get("/health")
def health(session: SessionDep, settings: SettingsDep) -> HealthPublic:
    """Check the service, its database and the planner's network data."""
    session.execute(text("SELECT 1"))
    return HealthPublic(status="ok", database=session.get_bind().dialect.name,
                        planner=planner_ready(settings.data))
