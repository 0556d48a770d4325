"""The live corridor in the service: shipments' positions kept on ingest, the state on demand.

Ingest folds each actual event into the shipment's position columns (a maximum, so order-free)
and keeps its next Caspian port and when it is due there; :func:`state` reads those columns
for "now" and replays the stored events for an earlier moment, both through the same
:mod:`midcorridor.live` functions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from midcorridor.crossing.model import UnitType, Vessel
from midcorridor.live import fleet as live_fleet
from midcorridor.live.closures import in_force
from midcorridor.live.position import (
    ARRIVAL_CODES,
    DEPARTURE_CODES,
    WATER_MODES,
    Mark,
    PlannedLeg,
    Position,
    deck_units,
    furthest,
    milestone_rank,
    planned_time,
    standing_at,
    step_took,
    whereabouts,
)
from midcorridor.live.state import (
    OVERDUE_LIMIT_H,
    CorridorState,
    PortState,
    SegmentState,
    UnitCounts,
    Whereabouts,
    corridor_state,
)
from midcorridor.service import closures
from midcorridor.service.db.engine import database_of
from midcorridor.service.db.functions import id_list, ids_of
from midcorridor.service.db.models import Event, Leg, Shipment
from midcorridor.service.db.types import UTCDateTime
from midcorridor.service.planning import network

MILESTONE_CODES = tuple(sorted(ARRIVAL_CODES | DEPARTURE_CODES))


@lru_cache(maxsize=8)
def caspian_ports(data: str) -> frozenset[str]:
    """The Caspian seaports of the service's network for the data folder ``data``
    (:attr:`Settings.data <midcorridor.service.settings.Settings.data>`).
    """
    return frozenset(live_fleet.caspian_port_ids(network(data)))


@lru_cache(maxsize=8)
def fleet(data: str) -> tuple[Vessel, ...]:
    """The Caspian fleet of the service's network for the data folder ``data``."""
    return live_fleet.dataset_fleet(network(data))


def data_of(session: Session) -> str:
    """The data folder of the service whose database opened ``session``."""
    return database_of(session).settings.data


def unit_of(legs: Sequence[PlannedLeg], cargo_teu: float, cargo_units: int,
            ports: Collection[str]) -> tuple[UnitType, int]:
    """How the shipment's cargo counts on a deck at its crossing from one of the Caspian
    ``ports`` (:func:`~midcorridor.live.position.deck_units`).
    """
    return deck_units(legs, cargo_teu, cargo_units, ports)


def _place_columns(legs: Sequence[PlannedLeg], position: Position | None) -> dict[str, Any]:
    onward = ""
    if position is None or position.rank >= 2 * len(legs) - 1:
        place, following = "", ""
    elif position.rank % 2:
        place, following = standing_at(legs, position.rank), ""
        ahead = legs[position.rank // 2 + 1]
        onward = ahead.destination if ahead.mode in WATER_MODES else ""
    else:
        leg = legs[position.rank // 2]
        place, following = leg.origin, leg.destination
    return {"position_rank": position.rank if position else -1,
            "position_at": position.at if position else None,
            "position_place": place, "position_next": following, "position_onward": onward}


def _next_port_columns(legs: Sequence[PlannedLeg], position: Position | None,
                       delay_h: float, ports: Collection[str]) -> dict[str, Any]:
    where = whereabouts(0, UnitType.TEU, 0, legs, position, delay_h=delay_h, ports=ports)
    return {"next_port": where.next_port, "next_port_eta": where.next_port_eta}


def position_columns(legs: Sequence[PlannedLeg], marks: Iterable[tuple[str, str, datetime]], *,
                     cargo_teu: float, cargo_units: int, delay_h: float,
                     ports: Collection[str]) -> dict[str, Any]:
    """Every position column of a shipment, from its legs and its actual events (``ports``:
    the Caspian ports).
    """
    position = furthest(legs, (Mark(*m) for m in marks)) if legs else None
    unit, count = unit_of(legs, cargo_teu, cargo_units, ports)
    return {**_place_columns(legs, position),
            **_next_port_columns(legs, position, delay_h, ports),
            "unit_type": unit.value, "unit_count": count}


def set_up(shipment: Shipment, ports: Collection[str]) -> None:
    """Fill the position columns of a new shipment (no events yet; ``ports``: the Caspian
    ports).
    """
    for key, value in position_columns(shipment.legs, (), cargo_teu=shipment.cargo_teu,
                                       cargo_units=shipment.cargo_units,
                                       delay_h=0.0, ports=ports).items():
        setattr(shipment, key, value)


def current_position(shipment: Shipment) -> Position | None:
    """The furthest milestone the shipment has reached, or None before any."""
    if shipment.position_rank < 0 or shipment.position_at is None:
        return None
    return Position(shipment.position_rank, shipment.position_at)


def advance(shipment: Shipment, code: str, classifier: str, location: str,
            when: datetime) -> tuple[str, float] | None:
    """Fold one event into the shipment's position (actual events only); the segment just
    covered and its hours when the event moves the shipment on to the next milestone.
    """
    if classifier != "ACT" or code not in MILESTONE_CODES:
        return None
    rank = milestone_rank(shipment.legs, code, location)
    if rank is None:
        return None
    here = Position(rank, when)
    current = current_position(shipment)
    since = (Position(current.rank, shipment.position_since or current.at)
             if current is not None else None)
    if since is not None and rank == since.rank and when < since.at:
        shipment.position_since = when
    if current is not None and here <= current:
        return None
    for key, value in _place_columns(shipment.legs, here).items():
        setattr(shipment, key, value)
    if current is None or rank > current.rank:
        shipment.position_since = when
    return step_took(shipment.legs, since, here)


def refresh_next_port(shipment: Shipment, ports: Collection[str]) -> None:
    """Recompute when the shipment is due at its next Caspian port (after an ETA change)."""
    for key, value in _next_port_columns(shipment.legs, current_position(shipment),
                                         shipment.delay_h, ports).items():
        setattr(shipment, key, value)


def now_whereabouts(session: Session) -> list[Whereabouts]:
    """Whereabouts of every shipment standing somewhere, under way or due at a port."""
    s = Shipment
    rows = session.execute(
        select(s.id, s.unit_type, s.unit_count, s.position_place, s.position_next,
               s.position_at, s.next_port, s.next_port_eta)
        .where(or_(s.position_place != "", s.next_port != ""))
    ).all()
    out = []
    for sid, unit, count, place, following, since, port, eta in rows:
        segment = (place, following) if following else None
        out.append(Whereabouts(sid, UnitType(unit), count, "" if segment else place,
                               None if segment else since, segment, port, eta))
    return out


class _PlannedLeg(NamedTuple):
    """A stored leg as the position functions read it (without an ORM object)."""

    origin: str
    destination: str
    mode: str
    planned_depart: datetime
    planned_arrive: datetime


_LEGS = (select(Leg.shipment_id, Leg.origin, Leg.destination, Leg.mode, Leg.planned_depart,
                Leg.planned_arrive).order_by(Leg.shipment_id, Leg.seq))
_SHIPMENTS = select(Shipment.id, Shipment.unit_type, Shipment.unit_count).order_by(Shipment.id)
_MARKS = (select(Event.shipment_id, Event.event_code, Event.location, Event.event_time)
          .where(Event.classifier == "ACT", Event.event_code.in_(MILESTONE_CODES),
                 Event.event_time <= bindparam("at", type_=UTCDateTime())))


def _past_whereabouts(session: Session, at: datetime) -> list[Whereabouts]:
    """Whereabouts at ``at`` from the stored events up to then (read as plain rows: the
    replay touches every shipment, its legs and its events).
    """
    connection = session.connection()
    legs: dict[int, list[_PlannedLeg]] = {}
    for sid, origin, destination, mode, depart, arrive in connection.execute(_LEGS):
        legs.setdefault(sid, []).append(_PlannedLeg(origin, destination, mode, depart, arrive))
    marks: dict[int, list[Mark]] = {}
    for sid, code, place, when in connection.execute(_MARKS, {"at": at}):
        marks.setdefault(sid, []).append(Mark(code, place, when))
    ports = caspian_ports(data_of(session))
    out = []
    for sid, unit_type, units in connection.execute(_SHIPMENTS):
        route = legs.get(sid, [])
        position = furthest(route, marks.get(sid, ()), at)
        delay_h = 0.0
        if position is not None:
            delay_h = (position.at - planned_time(route, position.rank)).total_seconds() / 3600
        out.append(whereabouts(sid, UnitType(unit_type), units, route, position,
                               delay_h=delay_h, ports=ports))
    return out


_VESSEL_LAST = (select(Event.event_code, Event.location, Event.event_time)
                .where(Event.vehicle.in_(bindparam("names", expanding=True)),
                       Event.event_type == "TRANSPORT", Event.classifier == "ACT")
                .order_by(Event.event_time.desc(), Event.id.desc()).limit(1))
_VESSEL_LAST_AT = (select(Event.event_code, Event.location, Event.event_time)
                   .where(Event.vehicle.in_(bindparam("names", expanding=True)),
                          Event.event_type == "TRANSPORT", Event.classifier == "ACT",
                          Event.event_time <= bindparam("at", type_=UTCDateTime()))
                   .order_by(Event.event_time.desc(), Event.id.desc()).limit(1))


def vessel_marks(session: Session, at: datetime | None) -> dict[str, Mark]:
    """The last actual transport event naming each vessel (by id or name), up to ``at``."""
    last: dict[str, Mark] = {}
    query = _VESSEL_LAST if at is None else _VESSEL_LAST_AT
    connection = session.connection()
    for vessel in fleet(data_of(session)):
        row = connection.execute(query, {"names": [vessel.id, vessel.name], "at": at}).first()
        if row is not None:
            last[vessel.id] = Mark(*row)
    return last


def _now_ports(session: Session, ports: Collection[str], now: datetime,
               window_h: float) -> tuple[PortState, ...]:
    """Each port's waiting and due units and their shipments, counted by the database from
    two covering indexes in two grouped queries, as
    :func:`~midcorridor.live.state.corridor_state` would fold them.
    """
    port_ids = sorted(set(ports))
    horizon, stale = now + timedelta(hours=window_h), now - timedelta(hours=OVERDUE_LIMIT_H)
    waiting: dict[str, dict[UnitType, int]] = {p: {} for p in port_ids}
    arriving: dict[str, dict[UnitType, int]] = {p: {} for p in port_ids}
    waiting_ids: dict[str, list[int]] = {p: [] for p in port_ids}
    arriving_ids: dict[str, list[int]] = {p: [] for p in port_ids}
    oldest: dict[str, datetime] = {}
    connection = session.connection()
    for place, unit, units, first, ids in connection.execute(_WAITING_BY_PORT,
                                                             {"ports": port_ids}):
        waiting[place][UnitType(unit)] = int(units or 0)
        waiting_ids[place] += ids_of(ids)
        if first is not None and (place not in oldest or first < oldest[place]):
            oldest[place] = first
    for place, unit, units, ids in connection.execute(
            _DUE_BY_PORT, {"ports": port_ids, "stale": stale, "horizon": horizon}):
        arriving[place][UnitType(unit)] = int(units or 0)
        arriving_ids[place] += ids_of(ids)
    return tuple(
        PortState(place=p, waiting=UnitCounts.of_types(waiting[p]),
                  shipments=tuple(sorted(waiting_ids[p])),
                  oldest_wait_h=(round(max(0.0, (now - oldest[p]).total_seconds() / 3600), 2)
                                 if p in oldest else None),
                  arriving=UnitCounts.of_types(arriving[p]),
                  arriving_shipments=tuple(sorted(arriving_ids[p])))
        for p in port_ids)


_PORTS: BindParameter[list[str]] = bindparam("ports", expanding=True)
_WAITING_BY_PORT = (
    select(Shipment.position_place, Shipment.unit_type, func.sum(Shipment.unit_count),
           func.min(Shipment.position_at), id_list(Shipment.id))
    .where(Shipment.position_place.in_(_PORTS), Shipment.position_next == "")
    .group_by(Shipment.position_place, Shipment.unit_type))
_DUE_BY_PORT = (
    select(Shipment.next_port, Shipment.unit_type, func.sum(Shipment.unit_count),
           id_list(Shipment.id))
    .where(Shipment.next_port.in_(_PORTS),
           Shipment.next_port_eta >= bindparam("stale", type_=UTCDateTime()),
           Shipment.next_port_eta <= bindparam("horizon", type_=UTCDateTime()))
    .group_by(Shipment.next_port, Shipment.unit_type))


def _now_segments(session: Session, places: frozenset[str] | None) -> list[SegmentState]:
    """Shipments and units on each leg now, counted by the database."""
    s = Shipment
    query = (select(s.position_place, s.position_next, s.unit_type, func.count(),
                    func.sum(s.unit_count))
             .where(s.position_next != "")
             .group_by(s.position_place, s.position_next, s.unit_type))
    if places is not None:
        query = query.where(or_(s.position_place.in_(places), s.position_next.in_(places)))
    legs: dict[tuple[str, str], tuple[dict[UnitType, int], int]] = {}
    for origin, destination, unit, shipments, units in session.execute(query):
        counts, total = legs.get((origin, destination), ({}, 0))
        counts[UnitType(unit)] = int(units or 0)
        legs[(origin, destination)] = (counts, total + int(shipments))
    return [SegmentState(o, d, UnitCounts(*(c.get(u, 0) for u in UnitType)), n)
            for (o, d), (c, n) in legs.items()]


def state(session: Session, *, now: datetime, at: datetime | None = None,
          window_h: float = 72.0, places: frozenset[str] | None = None) -> CorridorState:
    """The corridor at ``at`` (now when None); ``places`` limits it to an operator's places."""
    moment = now if at is None else at
    data = data_of(session)
    ports: Collection[str] = caspian_ports(data)
    if places is not None:
        ports = frozenset(p for p in ports if p in places)
    vessels = live_fleet.vessel_states(fleet(data), vessel_marks(session, at))
    if places is not None:
        vessels = tuple(v for v in vessels if v.place in places)
    if at is None:
        result = CorridorState(
            as_of=now, window_h=window_h, ports=_now_ports(session, ports, now, window_h),
            vessels=tuple(sorted(vessels, key=lambda v: v.id)),
            segments=tuple(sorted(_now_segments(session, places),
                                  key=lambda seg: (seg.origin, seg.destination))))
    else:
        found = _past_whereabouts(session, at)
        if places is not None:
            found = [w for w in found if w.place in places or w.next_port in places
                     or (w.segment is not None and not places.isdisjoint(w.segment))]
        result = corridor_state(found, ports=ports, at=moment, window_h=window_h,
                                vessels=vessels)
    posted = closures.posted(session, moment, moment, as_known_at=at)
    if not posted:
        return result
    return replace(result, ports=tuple(replace(p, closure=in_force(posted, p.place, moment))
                                       for p in result.ports))
