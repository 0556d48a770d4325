"""The ETA spread in the service, recomputed on every event of a shipment.

From the shipment's position, the units waiting ahead of it at its Caspian port (read once
per transaction per port), the sailing a published plan gave its crossing leg, and the data
set's durations, through :mod:`midcorridor.live.eta`.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from midcorridor.crossing.model import UnitType
from midcorridor.errors import MidcorridorError
from midcorridor.live.eta import EtaSpread, LegTimes, PlannedSailing, eta_spread, steps_ahead
from midcorridor.live.position import WATER_MODES
from midcorridor.service import corridor
from midcorridor.service.db.models import Shipment
from midcorridor.service.planning import network


@lru_cache(maxsize=8)
def leg_times(data: str) -> LegTimes:
    """The durations of the service's network for the data folder ``data`` (built once per
    process).
    """
    return LegTimes(network(data))


def warm_up(data: str) -> None:
    """Load the network's ports, fleet and durations now rather than on the first event."""
    try:
        corridor.caspian_ports(data)
        corridor.fleet(data)
        leg_times(data).ferry("", UnitType.TEU)
    except MidcorridorError:  # without the data set, events still work; spreads do not
        pass


class Queues:
    """Units waiting ahead at a Caspian port, one indexed aggregate query per shipment."""

    def __init__(self, session: Session):
        self.session = session
        self.data = corridor.data_of(session)  # the service's data folder

    def ahead(self, port: str, shipment: Shipment) -> int:
        """Units of the shipment's type waiting at ``port`` that came before it (all of them
        when it is not there yet; at equal times the lower shipment id goes first).
        """
        s = Shipment
        query = select(func.coalesce(func.sum(s.unit_count), 0)).where(
            s.position_place == port, s.position_next == "", s.unit_type == shipment.unit_type,
            s.id != shipment.id)
        here = shipment.position_place == port and not shipment.position_next
        if here and shipment.position_at is not None:
            query = query.where(or_(s.position_at < shipment.position_at,
                                    and_(s.position_at == shipment.position_at,
                                         s.id < shipment.id)))
        return int(self.session.scalar(query) or 0)


def sailing_of(shipment: Shipment) -> PlannedSailing | None:
    """The sailing a published plan put the shipment's crossing leg on, if any."""
    for leg in shipment.legs:
        if leg.mode in WATER_MODES and leg.plan_id is not None:
            return PlannedSailing(leg.sailing or "", leg.vessel or "", leg.planned_depart,
                                  leg.planned_arrive, leg.plan_id)
    return None


def spread_of(shipment: Shipment, now: datetime, queues: Queues) -> EtaSpread:
    """The shipment's ETA spread now."""
    legs = shipment.legs
    position = corridor.current_position(shipment)
    if shipment.status == "arrived" or (position is not None
                                        and position.rank >= 2 * len(legs) - 1):
        at = position.at if position is not None else shipment.eta
        return EtaSpread(at, at, at)
    ports = corridor.caspian_ports(queues.data)
    ahead = {leg.origin: queues.ahead(leg.origin, shipment) for leg in legs
             if leg.mode in WATER_MODES and leg.origin in ports}
    start, steps = steps_ahead(
        legs, position, now=now, times=leg_times(queues.data),
        unit_type=UnitType(shipment.unit_type), units=shipment.unit_count, ports=ports,
        queue_ahead=ahead,
        sailing=sailing_of(shipment), link_ids=[leg.link_id for leg in legs])
    return eta_spread(start, steps)


def refresh(shipment: Shipment, now: datetime, queues: Queues) -> bool:
    """Store the shipment's new ETA spread; whether its P50 changed."""
    spread = spread_of(shipment, now, queues)
    changed = spread.p50 != shipment.eta_p50
    shipment.eta_p10, shipment.eta_p50, shipment.eta_p90 = spread.p10, spread.p50, spread.p90
    shipment.eta_segments = json.dumps([s.to_dict() for s in spread.segments],
                                       ensure_ascii=False, separators=(",", ":"))
    return changed
