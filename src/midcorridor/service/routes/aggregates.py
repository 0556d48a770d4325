"""Aggregates for coordinators: port queues and dwell by place."""

from __future__ import annotations

from fastapi import APIRouter

from midcorridor.service import aggregates
from midcorridor.service.access import Action
from midcorridor.service.deps import SessionDep, require, utcnow
from midcorridor.service.schemas import DwellPublic, PortQueuesPublic
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/aggregates", tags=["aggregates"],
                   dependencies=[require(Action.read_aggregates)])


@router.get("/port-queues")
def port_queues(session: SessionDep) -> PortQueuesPublic:
    """Shipments waiting at each place (arrived, not yet departed)."""
    data = aggregates.port_queues(session, now=utcnow())
    return PortQueuesPublic(data=data, count=len(data))


@router.get("/dwell")
def dwell(session: SessionDep) -> DwellPublic:
    """Mean and longest dwell between actual arrival and departure, by place."""
    data = aggregates.dwell_by_place(session)
    return DwellPublic(data=data, count=len(data))

