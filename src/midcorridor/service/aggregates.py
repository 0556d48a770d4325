"""Aggregates for coordinators: queues at ports and dwell by place, no commercial details."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from midcorridor.service.db.models import Event, Shipment
from midcorridor.service.schemas import Dwell, PortQueue


def port_queues(session: Session, *, now: datetime) -> list[PortQueue]:
    """Shipments whose furthest milestone is an arrival at a place they have not yet left."""
    waiting: dict[str, list[datetime]] = defaultdict(list)
    rows = session.scalars(
        select(Shipment).where(Shipment.status == "in_transit", Shipment.progress_rank >= 0)
    )
    for shipment in rows:
        rank = shipment.progress_rank
        if rank % 2 == 0 or rank >= 2 * len(shipment.legs) - 1:
            continue
        leg = shipment.legs[rank // 2]
        waiting[leg.destination].append(
            leg.planned_arrive + timedelta(hours=shipment.progress_delay_h)
        )
    queues = []
    for place, arrivals in sorted(waiting.items()):
        waits = [max(0.0, (now - t).total_seconds() / 3600) for t in arrivals]
        queues.append(PortQueue(location=place, waiting=len(arrivals),
                                oldest_arrival=min(arrivals),
                                mean_wait_h=round(sum(waits) / len(waits), 2)))
    return queues


def dwell_by_place(session: Session) -> list[Dwell]:
    """Time between the actual arrival at a place and the actual departure from it."""
    arri = func.min(case((Event.event_code == "ARRI", Event.event_time)))
    depa = func.max(case((Event.event_code == "DEPA", Event.event_time)))
    rows = session.execute(
        select(Event.location, arri, depa)
        .where(Event.event_type == "TRANSPORT", Event.classifier == "ACT",
               Event.shipment_id.is_not(None))  # not the vessels' own calls
        .group_by(Event.shipment_id, Event.location)
    ).all()
    dwell: dict[str, list[float]] = defaultdict(list)
    for place, arrived, departed in rows:
        if arrived is None or departed is None:
            continue
        if isinstance(arrived, str):  # SQLite returns aggregates of timestamps as text
            arrived, departed = datetime.fromisoformat(arrived), datetime.fromisoformat(departed)
        hours = (departed - arrived).total_seconds() / 3600
        if hours >= 0:
            dwell[place].append(hours)
    return [
        Dwell(location=p, shipments=len(h), mean_dwell_h=round(sum(h) / len(h), 2),
              max_dwell_h=round(max(h), 2))
        for p, h in sorted(dwell.items())
    ]

