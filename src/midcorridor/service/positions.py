"""Where each shipment is on the map.

At the place its last actual event put it, or along the leg it is travelling by the share of
the leg's planned hours gone; a shipment not yet seen stands at its origin. Straight lines
between places: a picture, not a track.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from midcorridor.service import access
from midcorridor.service.db.engine import database_of
from midcorridor.service.db.models import Shipment
from midcorridor.service.planning import network
from midcorridor.service.schemas import ShipmentPositionPublic
from midcorridor.service.search import ShipmentSearch, where
from midcorridor.service.shipments import visible_query

if TYPE_CHECKING:
    from collections.abc import Mapping

    from midcorridor.network import Node

#: A shipment past its leg's planned hours is drawn short of the leg's end until it arrives.
MOST_OF_A_LEG = 0.95


def position_of(shipment: Shipment, now: datetime,
                nodes: Mapping[str, Node]) -> ShipmentPositionPublic | None:
    """The shipment's point on the map at ``now`` among ``nodes``; None when its places have no
    coordinates.
    """
    place, toward, share = shipment.position_place or shipment.origin, "", 0.0
    if shipment.position_next and shipment.position_rank >= 0 and shipment.position_at:
        legs = shipment.legs
        k = shipment.position_rank // 2
        if k < len(legs):
            planned_h = (legs[k].planned_arrive - legs[k].planned_depart).total_seconds() / 3600
            gone_h = (now - shipment.position_at).total_seconds() / 3600
            share = min(MOST_OF_A_LEG, max(0.0, gone_h / planned_h)) if planned_h > 0 else 0.0
            toward = shipment.position_next
    a = nodes.get(place)
    b = nodes.get(toward) if toward else a
    if a is None or b is None:
        return None
    return ShipmentPositionPublic(
        id=shipment.id, reference=shipment.reference, status=shipment.status,
        delay_h=shipment.delay_h, place=place, toward=toward or None,
        lat=round(a.lat + share * (b.lat - a.lat), 4),
        lon=round(a.lon + share * (b.lon - a.lon), 4))


def positions(session: Session, principal: access.Principal, search: ShipmentSearch,
              *, now: datetime, limit: int) -> tuple[list[ShipmentPositionPublic], int]:
    """The points of the caller's shipments that match ``search`` and have not arrived.

    Newest first, up to ``limit``; with how many match in all.
    """
    data = database_of(session).settings.data
    query = where(visible_query(principal), search, data).where(Shipment.status != "arrived")
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.options(selectinload(Shipment.legs))
                           .order_by(Shipment.id.desc()).limit(limit)).all()
    nodes = network(data).nodes
    points = [position_of(s, now, nodes) for s in rows]
    return [p for p in points if p is not None], count
