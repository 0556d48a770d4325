"""The live corridor in the service: shipments' positions kept on ingest, the state on demand.

Ingest folds each actual event into the shipment's position columns (a maximum, so order-free)
and keeps its next Caspian port and when it is due there; :func:`state` reads those columns
for "now", and for an earlier moment replays the stored events of the shipments live then
(placed by an event and not yet at their end) and counts those not yet placed by their planned
legs, both through the same :mod:`midcorridor.live` functions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    CompoundSelect,
    Select,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import BindParameter

from midcorridor.crossing.model import UnitType, Vessel
from midcorridor.live import fleet as live_fleet
from midcorridor.live.closures import in_force
from midcorridor.live.fleet import VesselMark
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
    VesselState,
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


_AT = bindparam("at", type_=UTCDateTime())
_ALL_PORTS: BindParameter[list[str]] = bindparam("all_ports", expanding=True)
_MILESTONE_BY_AT = and_(Event.classifier == "ACT", Event.event_code.in_(MILESTONE_CODES),
                        Event.event_time <= _AT)
# A shipment whose final arrival (the furthest milestone there is) was first reached by ``at``
# stood nowhere and was due nowhere then: its position columns say so without its events.
_ARRIVED_BY_AT = and_(Shipment.position_at.is_not(None), Shipment.position_place == "",
                      Shipment.position_since.is_not(None), Shipment.position_since <= _AT)
_MARKED = (select(Event.shipment_id).join(Shipment, Shipment.id == Event.shipment_id)
           .where(_MILESTONE_BY_AT, ~_ARRIVED_BY_AT))
_MARKS = (select(Event.shipment_id, Event.event_code, Event.location, Event.event_time)
          .join(Shipment, Shipment.id == Event.shipment_id)
          .where(_MILESTONE_BY_AT, ~_ARRIVED_BY_AT))
_MARKED_LEGS = (select(Leg.shipment_id, Shipment.unit_type, Shipment.unit_count, Leg.origin,
                       Leg.destination, Leg.mode, Leg.planned_depart, Leg.planned_arrive)
                .join(Shipment, Shipment.id == Leg.shipment_id)
                .where(Leg.shipment_id.in_(_MARKED))
                .order_by(Leg.shipment_id, Leg.seq))
_crossing, _before, _earlier = aliased(Leg), aliased(Leg), aliased(Leg)
# A shipment no milestone event had placed by ``at`` is due at the origin of its first water
# leg from a Caspian port (when another leg comes before it) at that leg's planned arrival;
# those due within the window are counted by port and unit type.
_DUE_UNMARKED = (
    select(_crossing.origin, Shipment.unit_type, func.sum(Shipment.unit_count),
           id_list(Shipment.id))
    .join(_crossing, _crossing.shipment_id == Shipment.id)
    .join(_before, and_(_before.shipment_id == _crossing.shipment_id,
                        _before.seq == _crossing.seq - 1))
    .where(_crossing.mode.in_(sorted(WATER_MODES)), _crossing.origin.in_(_ALL_PORTS),
           ~exists().where(_earlier.shipment_id == _crossing.shipment_id,
                           _earlier.seq < _crossing.seq,
                           _earlier.mode.in_(sorted(WATER_MODES)),
                           _earlier.origin.in_(_ALL_PORTS)),
           _before.planned_arrive >= bindparam("stale", type_=UTCDateTime()),
           _before.planned_arrive <= bindparam("horizon", type_=UTCDateTime()),
           ~exists().where(Event.shipment_id == Shipment.id, _MILESTONE_BY_AT))
    .group_by(_crossing.origin, Shipment.unit_type))


def _past_state(session: Session, at: datetime, window_h: float, shown: Collection[str],
                vessels: Iterable[VesselState]) -> CorridorState:
    """The corridor at ``at``: the shipments its milestone events up to then had placed and
    not yet brought to their end are replayed from those events; those none had placed yet
    can only be due at a port, where their planned legs say, as the database counts them.
    The ports ``shown`` appear.
    """
    connection = session.connection()
    ports = caspian_ports(data_of(session))
    params = {"at": at, "all_ports": sorted(ports),
              "stale": at - timedelta(hours=OVERDUE_LIMIT_H),
              "horizon": at + timedelta(hours=window_h)}
    legs: dict[int, list[_PlannedLeg]] = {}
    units: dict[int, tuple[UnitType, int]] = {}
    for sid, unit_type, count, origin, destination, mode, depart, arrive in connection.execute(
            _MARKED_LEGS, params):
        legs.setdefault(sid, []).append(_PlannedLeg(origin, destination, mode, depart, arrive))
        units[sid] = (UnitType(unit_type), count)
    marks: dict[int, list[Mark]] = {}
    for on, code, place, when in connection.execute(_MARKS, params):
        marks.setdefault(on or 0, []).append(Mark(code, place, when))
    found = []
    for sid, route in legs.items():
        position = furthest(route, marks.get(sid, ()), at)
        delay_h = 0.0
        if position is not None:
            delay_h = (position.at - planned_time(route, position.rank)).total_seconds() / 3600
        found.append(whereabouts(sid, *units[sid], route, position, delay_h=delay_h,
                                 ports=ports))
    result = corridor_state(found, ports=shown, at=at, window_h=window_h, vessels=vessels)
    due: dict[str, tuple[UnitCounts, list[int]]] = {}
    for port, unit_type, count, ids in connection.execute(_DUE_UNMARKED, params):
        counts, listed = due.get(port, (UnitCounts(), []))
        due[port] = (counts.plus(UnitType(unit_type), int(count)), listed + ids_of(ids))
    return replace(result, ports=tuple(
        replace(p, arriving=UnitCounts.of_types({u: p.arriving.of(u) + due[p.place][0].of(u)
                                                 for u in UnitType}),
                arriving_shipments=tuple(sorted(p.arriving_shipments + tuple(due[p.place][1]))))
        if p.place in due else p for p in result.ports))


def _latest_naming(name: str, bounded: bool
                   ) -> Select[tuple[str, str, str, datetime, int, str | None]]:
    """The last actual transport event whose vehicle is ``name`` (up to ``:at`` when
    ``bounded``), the vessel's own call or one of its cargo's: by equality, so the database
    walks the vehicle's index from its newest end.
    """
    e = Event
    query = (select(e.vehicle, e.event_code, e.location, e.event_time, e.id, e.facility)
             .where(e.vehicle == name, e.event_type == "TRANSPORT", e.classifier == "ACT"))
    if bounded:
        query = query.where(e.event_time <= bindparam("at", type_=UTCDateTime()))
    latest = query.order_by(e.event_time.desc(), e.id.desc()).limit(1).subquery()
    return select(latest)


@lru_cache(maxsize=16)
def _fleet_last(data: str, bounded: bool) -> CompoundSelect:
    """The last transport event naming each vessel of the fleet, by id and by name: one
    statement, one row at most per name.
    """
    names = sorted({name for v in fleet(data) for name in (v.id, v.name)})
    return union_all(*(_latest_naming(name, bounded) for name in names))


def vessel_marks(session: Session, at: datetime | None) -> dict[str, Mark]:
    """The last actual transport event naming each vessel (by id or name), up to ``at``: its
    own call or one of its cargo's, whichever is later (the later stored at the same time).
    """
    data = data_of(session)
    named: dict[str, tuple[datetime, int, Mark]] = {}
    for vehicle, code, place, when, event_id, facility in session.connection().execute(
            _fleet_last(data, at is not None), {"at": at}):
        named[vehicle] = (when, event_id, VesselMark(code, place, when, facility or ""))
    last: dict[str, Mark] = {}
    for vessel in fleet(data):
        seen = [named[n] for n in {vessel.id, vessel.name} if n in named]
        if seen:
            last[vessel.id] = max(seen, key=lambda row: (row[0], row[1]))[2]
    return last


_PORTS: BindParameter[list[str]] = bindparam("ports", expanding=True)
_PLACES: BindParameter[list[str]] = bindparam("places", expanding=True)
_NO_TIME = cast(null(), UTCDateTime())
_NO_IDS = cast(null(), String())
_s = Shipment
# Each row: what is counted (waiting at a port, due there, on a leg), the place (and the
# leg's end), the unit type, shipments, units, the oldest arrival (waiting) and the ids.
_WAITING_BY_PORT = (
    select(literal("waiting"), _s.position_place, literal(""), _s.unit_type, func.count(),
           func.sum(_s.unit_count), func.min(_s.position_at), id_list(_s.id))
    .where(_s.position_place.in_(_PORTS), _s.position_next == "")
    .group_by(_s.position_place, _s.unit_type))
_DUE_BY_PORT = (
    select(literal("due"), _s.next_port, literal(""), _s.unit_type, func.count(),
           func.sum(_s.unit_count), _NO_TIME, id_list(_s.id))
    .where(_s.next_port.in_(_PORTS),
           _s.next_port_eta >= bindparam("stale", type_=UTCDateTime()),
           _s.next_port_eta <= bindparam("horizon", type_=UTCDateTime()))
    .group_by(_s.next_port, _s.unit_type))
_ON_LEGS = (
    select(literal("leg"), _s.position_place, _s.position_next, _s.unit_type, func.count(),
           func.sum(_s.unit_count), _NO_TIME, _NO_IDS)
    .where(_s.position_next != "")
    .group_by(_s.position_place, _s.position_next, _s.unit_type))
_COUNTS: CompoundSelect = union_all(_WAITING_BY_PORT, _DUE_BY_PORT, _ON_LEGS)
_COUNTS_AT_PLACES: CompoundSelect = union_all(_WAITING_BY_PORT, _DUE_BY_PORT, _ON_LEGS.where(
    or_(_s.position_place.in_(_PLACES), _s.position_next.in_(_PLACES))))


class _Count(NamedTuple):
    """A row of :data:`_COUNTS`."""

    kind: str
    place: str
    following: str
    unit_type: str
    shipments: int
    units: int | None
    first: datetime | None
    ids: str | None


def _now_counts(session: Session, ports: Collection[str], now: datetime, window_h: float,
                places: frozenset[str] | None) -> list[_Count]:
    """The units waiting at and due at each of ``ports`` and those on each leg (touching
    ``places`` when given), counted by the database from its covering indexes in one
    statement.
    """
    params: dict[str, Any] = {
        "ports": sorted(set(ports)), "stale": now - timedelta(hours=OVERDUE_LIMIT_H),
        "horizon": now + timedelta(hours=window_h)}
    if places is not None:
        params["places"] = sorted(places)
    statement = _COUNTS if places is None else _COUNTS_AT_PLACES
    return [_Count(*row) for row in session.connection().execute(statement, params)]


def _now_ports(counts: Iterable[_Count], ports: Collection[str],
               now: datetime) -> tuple[PortState, ...]:
    """Each port's waiting and due units and their shipments, as
    :func:`~midcorridor.live.state.corridor_state` would fold them.
    """
    port_ids = sorted(set(ports))
    units: dict[str, dict[str, dict[UnitType, int]]] = {"waiting": {p: {} for p in port_ids},
                                                        "due": {p: {} for p in port_ids}}
    ids: dict[str, dict[str, list[int]]] = {"waiting": {p: [] for p in port_ids},
                                            "due": {p: [] for p in port_ids}}
    oldest: dict[str, datetime] = {}
    for row in counts:
        if row.kind == "leg":
            continue
        units[row.kind][row.place][UnitType(row.unit_type)] = int(row.units or 0)
        ids[row.kind][row.place] += ids_of(row.ids)
        if row.first is not None and (row.place not in oldest or row.first < oldest[row.place]):
            oldest[row.place] = row.first
    return tuple(
        PortState(place=p, waiting=UnitCounts.of_types(units["waiting"][p]),
                  shipments=tuple(sorted(ids["waiting"][p])),
                  oldest_wait_h=(round(max(0.0, (now - oldest[p]).total_seconds() / 3600), 2)
                                 if p in oldest else None),
                  arriving=UnitCounts.of_types(units["due"][p]),
                  arriving_shipments=tuple(sorted(ids["due"][p])))
        for p in port_ids)


def _now_segments(counts: Iterable[_Count]) -> list[SegmentState]:
    """Shipments and units on each leg now."""
    legs: dict[tuple[str, str], tuple[dict[UnitType, int], int]] = {}
    for row in counts:
        if row.kind != "leg":
            continue
        by_unit, total = legs.get((row.place, row.following), ({}, 0))
        by_unit[UnitType(row.unit_type)] = int(row.units or 0)
        legs[(row.place, row.following)] = (by_unit, total + int(row.shipments))
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
        counts = _now_counts(session, ports, now, window_h, places)
        result = CorridorState(
            as_of=now, window_h=window_h, ports=_now_ports(counts, ports, now),
            vessels=tuple(sorted(vessels, key=lambda v: v.id)),
            segments=tuple(sorted(_now_segments(counts),
                                  key=lambda seg: (seg.origin, seg.destination))))
    else:
        result = _past_state(session, at, window_h, ports, vessels)
        if places is not None:
            # as now: the legs that start or end at one of the operator's places
            result = replace(result, segments=tuple(
                s for s in result.segments if s.origin in places or s.destination in places))
    posted = closures.posted(session, moment, moment, as_known_at=at)
    if not posted:
        return result
    return replace(result, ports=tuple(replace(p, closure=in_force(posted, p.place, moment))
                                       for p in result.ports))
