"""The live corridor: cargo waiting at the Caspian ports, due there, vessels, legs in use."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query

from midcorridor.service import corridor
from midcorridor.service.access import Action, Principal, Role
from midcorridor.service.deps import SessionDep, require, utcnow
from midcorridor.service.planning import network
from midcorridor.service.public import corridor_state_public
from midcorridor.service.schemas import CorridorStatePublic, Instant
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/corridor", tags=["corridor"], route_class=StrictJsonRoute)
WINDOW_H = 72.0
Reader = require(Action.read_corridor)
Moment = Query(None, description="The moment (ISO 8601 with a time zone); default now.")


@router.get("/state")
def read_state(
    session: SessionDep,
    principal: Principal = Reader,
    at: Instant | None = Moment,
) -> CorridorStatePublic:
    """Units waiting at each Caspian port by unit type, due in the next 72 h, each vessel's
    last known status and the shipments on each leg; operators see their own places.
    """
    places = principal.places if principal.role is Role.operator else None
    now = utcnow()
    moment: datetime | None = None if at is None or at >= now else at
    result = corridor.state(session, now=now, at=moment, window_h=WINDOW_H, places=places)
    return corridor_state_public(result, network(corridor.data_of(session)).nodes)
