"""The ETA spread in the service, recomputed on every event of a shipment.

From the shipment's position, the units waiting ahead of it at its Caspian port (read once
per transaction per port), the sailing a published plan gave its crossing leg, and the data
set's durations, through :mod:`midcorridor.live.eta`.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from midcorridor.crossing.model import UnitType
from midcorridor.errors import MidcorridorError
from midcorridor.live.closures import PostedClosure, in_force
from midcorridor.live.eta import (
    LEAVING_WINDOW_H,
    OBSERVED_MIN,
    OBSERVED_WINDOW_H,
    EtaSpread,
    LegTimes,
    PlannedSailing,
    containing,
    eta_spread,
    rest_loads,
    steps_ahead,
    whole,
)
from midcorridor.live.ferries import (
    VESSEL_CODES,
    Sighting,
    loaded_units,
    sighted,
)
from midcorridor.live.fleet import vessel_names
from midcorridor.live.position import (
    DEPARTURE_CODES,
    WATER_MODES,
    Position,
    planned_time,
    segment_key,
)
from midcorridor.live.waits import STAY
from midcorridor.service import closures, corridor
from midcorridor.service.db.models import Event, Leg, Shipment, StepDuration
from midcorridor.service.db.types import UTCDateTime
from midcorridor.service.eta import WEIGHT
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


RECENT_TTL_S = 600.0
"""How long what the events say lately (a port's leaving pace, a segment's durations) is
reused before it is counted again, per database: seconds of the moment the spread is taken for
(the state's time, which a replay or a simulation moves at its own pace), not of the clock."""

_recent: dict[tuple[str, ...], tuple[datetime, Any]] = {}


def _fresh(counted_at: datetime, now: datetime) -> bool:
    """Whether what was counted for the moment ``counted_at`` still holds at ``now``: not
    before it, and less than :data:`RECENT_TTL_S` after.
    """
    return counted_at <= now < counted_at + timedelta(seconds=RECENT_TTL_S)

_recent_lock = threading.Lock()

CALL_EVENTS = 200
"""At most this many of a vessel's latest events are read to find where its current call
began (a call with more is taken to have begun at the earliest of them)."""

_VESSEL_EVENTS = (
    select(Event.event_code, Event.location, Event.event_time, Event.description,
           Shipment.unit_count)
    .outerjoin(Shipment, Shipment.id == Event.shipment_id)  # a vessel's own call has none
    .where(Event.vehicle.in_(bindparam("names", expanding=True)), Event.classifier == "ACT",
           Event.event_code.in_(sorted(VESSEL_CODES)))
    .order_by(Event.event_time.desc(), Event.id.desc()).limit(CALL_EVENTS))
_LOADS = (select(Event.vehicle, Event.description, Event.event_time)
          .where(Event.shipment_id == bindparam("shipment"), Event.event_code == "LOAD",
                 Event.location == bindparam("port"), Event.classifier == "ACT")
          .order_by(Event.event_time))


def vessels_moved(session: Session, vehicles: Iterable[str]) -> None:
    """Forget the sightings counted for the database of ``session`` of the vessels that
    ``vehicles`` name (vessel events naming them were stored), so the next spread reads
    theirs afresh; the other vessels' sightings stand until their count is
    :data:`RECENT_TTL_S` old.
    """
    key = (str(session.get_bind().engine.url), "sightings")
    names = set(vehicles)
    with _recent_lock:
        hit = _recent.get(key)
        if hit is not None:
            _recent[key] = (hit[0], {vessel: (name, seen)
                                     for vessel, (name, seen) in hit[1].items()
                                     if vessel not in names and name not in names})


def vessel_id(data: str, vehicle: str | None) -> str:
    """The id of the Caspian vessel of the service's fleet an event's ``vehicle`` names, or
    "" when it names none.
    """
    return _vessel_ids(data).get((vehicle or "").casefold(), "")


@lru_cache(maxsize=8)
def _vessel_ids(data: str) -> dict[str, str]:
    return vessel_names(corridor.fleet(data))


def _fold_call(vessel: str, rows: Sequence[Any]) -> Sighting | None:
    """The sighting from a vessel's latest events (newest first): folded from its last
    sailing on, or from the oldest read.
    """
    call = []
    for row in rows:
        call.append(row)
        if row[0] == "DEPA":
            break
    seen = None
    for code, place, at, description, units in reversed(call):
        seen = sighted(seen, vessel, code, place, at, description or "", units)
    return seen


_WAITING = (select(func.coalesce(func.sum(Shipment.unit_count), 0))
            .where(Shipment.position_place == bindparam("port"), Shipment.position_next == "",
                   Shipment.position_onward == bindparam("towards"),
                   Shipment.unit_type == bindparam("unit_type")))
_AHEAD_OF_ME = _WAITING.where(Shipment.id != bindparam("me"), or_(
    Shipment.position_at < bindparam("at", type_=UTCDateTime()),
    and_(Shipment.position_at == bindparam("at", type_=UTCDateTime()),
         Shipment.id < bindparam("me"))))
_QUEUE = (select(Shipment.position_at, Shipment.id, Shipment.unit_count)
          .where(Shipment.position_place == bindparam("port"), Shipment.position_next == "",
                 Shipment.position_onward == bindparam("towards"),
                 Shipment.unit_type == bindparam("unit_type"),
                 Shipment.position_at.is_not(None))
          .order_by(Shipment.position_at, Shipment.id))


class _Queue:
    """The units of one type waiting at one port for one crossing in arrival order, with
    running sums.
    """

    def __init__(self, rows: Sequence[Any]):  # (position_at, id, units), in that order
        self.keys = [(at, sid) for at, sid, _ in rows]
        self.before = [0]
        for _, _, units in rows:
            self.before.append(self.before[-1] + units)

    def ahead_of(self, at: datetime, shipment_id: int) -> int:
        """Units that came before (``at``, ``shipment_id``)."""
        return self.before[bisect_left(self.keys, (at, shipment_id))]


class Queues:
    """What the spread needs from the database: units waiting ahead for the same crossing at
    a Caspian port (one indexed aggregate query per shipment), and what the events say lately
    — the pace at which units leave each port on each crossing and the durations of each
    segment — counted at most every
    :data:`RECENT_TTL_S` seconds of the spread's moment per database.
    """

    def __init__(self, session: Session):
        self.session = session
        self.data = corridor.data_of(session)  # the service's data folder
        self._url = str(session.get_bind().engine.url)
        self._totals: dict[tuple[str, str, str], int] = {}
        self._asked: set[tuple[str, str, str]] = set()
        self._queues: dict[tuple[str, str, str], _Queue] = {}
        self._closures: list[PostedClosure] | None = None

    def _cached(self, key: tuple[str, ...], count: Callable[[], Any], now: datetime) -> Any:
        key = (self._url, *key)
        with _recent_lock:
            hit = _recent.get(key)
        if hit is not None and _fresh(hit[0], now):
            return hit[1]
        value = count()
        with _recent_lock:
            _recent[key] = (now, value)
        return value

    def ahead(self, port: str, towards: str, shipment: Shipment) -> int:
        """Units of the shipment's type waiting at ``port`` to sail to ``towards`` that came
        before it (all of them when it is not there yet; at equal times the lower shipment id
        goes first). Cargo waiting there for a train or for another crossing is not ahead.

        The count of all waiting is read once per crossing and type; the units ahead of a
        shipment there are summed by the database the first time, and from the whole queue,
        read once, when a second shipment of the same crossing and type asks (the minute sweep,
        a plan's publication). So a Queues must not outlive a change of positions: make one
        after the events are folded in.
        """
        key = (port, towards, shipment.unit_type)
        at = shipment.position_at
        standing = (shipment.position_place == port and not shipment.position_next
                    and shipment.position_onward == towards)
        # waiting is decided by position columns, which ETA updates leave alone: no flush
        with self.session.no_autoflush:
            connection = self.session.connection()
            if not standing or at is None:
                total = self._totals.get(key)
                if total is None:
                    total = self._totals[key] = int(connection.scalar(
                        _WAITING, {"port": port, "towards": towards,
                                   "unit_type": shipment.unit_type}) or 0)
                return total - (shipment.unit_count if standing else 0)
            queue = self._queues.get(key)
            if queue is None and key in self._asked:
                queue = self._queues[key] = _Queue(connection.execute(
                    _QUEUE, {"port": port, "towards": towards,
                             "unit_type": shipment.unit_type}).all())
            if queue is not None:
                return queue.ahead_of(at, shipment.id)
            self._asked.add(key)
            return int(connection.scalar(_AHEAD_OF_ME, {
                "port": port, "towards": towards, "unit_type": shipment.unit_type,
                "me": shipment.id, "at": at}) or 0)

    def reopens(self, port: str, now: datetime) -> datetime | None:
        """When ``port`` reopens, if a posted closure holds there now (read once per
        Queues).
        """
        if self._closures is None:
            with self.session.no_autoflush:
                self._closures = closures.posted(self.session, now, now)
        found = in_force(self._closures, port, now)
        return found.end if found is not None else None

    def leaving_per_h(self, port: str, towards: str, unit_type: str, now: datetime) -> float:
        """Units of ``unit_type`` an hour that left ``port`` by water for ``towards`` over the
        last :data:`~midcorridor.live.eta.LEAVING_WINDOW_H` hours (0 when none did).
        """
        def count() -> float:
            since = now - timedelta(hours=LEAVING_WINDOW_H)
            crossing = select(Leg.shipment_id).where(
                Leg.origin == port, Leg.destination == towards,
                Leg.mode.in_(sorted(WATER_MODES)))
            left = select(Event.shipment_id).where(
                Event.location == port, Event.event_code.in_(sorted(DEPARTURE_CODES)),
                Event.classifier == "ACT", Event.event_time >= since, Event.event_time <= now,
                Event.shipment_id.in_(crossing))
            total = self.session.scalar(
                select(func.coalesce(func.sum(Shipment.unit_count), 0)).where(
                    Shipment.id.in_(left), Shipment.unit_type == unit_type))
            return float(total or 0) / LEAVING_WINDOW_H
        return float(self._cached(("pace", port, towards, unit_type), count, now))

    def sightings(self, now: datetime) -> dict[str, Sighting]:
        """Each Caspian vessel's last sighting (:mod:`midcorridor.live.ferries`) from the
        events naming it, by vessel id: read once per :data:`RECENT_TTL_S` of the spread's
        moment ``now`` per database, and a vessel's afresh after an event naming it
        (:func:`vessels_moved`).
        """
        key = (self._url, "sightings")
        with _recent_lock:
            hit = _recent.get(key)
        fresh = hit is not None and _fresh(hit[0], now)
        counted: dict[str, tuple[str, Sighting | None]] = hit[1] if fresh and hit else {}
        fleet = corridor.fleet(self.data)
        if any(vessel.id not in counted for vessel in fleet):
            counted = dict(counted)
            with self.session.no_autoflush:
                connection = self.session.connection()
                for vessel in fleet:
                    if vessel.id not in counted:
                        rows = connection.execute(_VESSEL_EVENTS,
                                                  {"names": [vessel.id, vessel.name]}).all()
                        counted[vessel.id] = (vessel.name, _fold_call(vessel.id, rows))
            with _recent_lock:
                _recent[key] = (hit[0] if fresh and hit else now, counted)
        return {vessel: seen for vessel, (_, seen) in counted.items() if seen is not None}

    def loads(self, shipment: Shipment, port: str) -> list[tuple[str, int, datetime]]:
        """The vessels the shipment's units were loaded on at ``port`` (vessel id, units,
        when), from its loading events there.
        """
        ids = _vessel_ids(self.data)
        out = []
        with self.session.no_autoflush:
            for vehicle, description, at in self.session.connection().execute(
                    _LOADS, {"shipment": shipment.id, "port": port}):
                vessel = ids.get((vehicle or "").casefold())
                if vessel is not None:
                    out.append((vessel, loaded_units(description or "", shipment.unit_count),
                                at))
        return out

    def crossed_whole(self, shipment: Shipment, port: str) -> bool:
        """Whether the shipment's units all crossed from ``port`` on one ship (as far as its
        loading events there tell).
        """
        return len({vessel for vessel, _, _ in self.loads(shipment, port)}) <= 1

    def durations(self, segment: str, unit_type: str, now: datetime) -> tuple[float, ...]:
        """Hours the segment took lately (:data:`~midcorridor.live.eta.OBSERVED_WINDOW_H`,
        or the latest :data:`~midcorridor.live.eta.OBSERVED_MIN` when those hours hold fewer),
        sorted: those of ``unit_type`` when there are enough of them, else all.
        """
        def count() -> dict[str, tuple[float, ...]]:
            since = now - timedelta(hours=OBSERVED_WINDOW_H)
            d = StepDuration
            rows = self.session.execute(select(d.unit_type, d.hours).where(
                d.segment == segment, d.ended_at >= since, d.ended_at <= now)).all()
            out: dict[str, list[float]] = {"": []}
            for unit, hours in rows:
                out[""].append(hours)
                out.setdefault(unit, []).append(hours)
            for unit in ("", *(u.value for u in UnitType)):
                if len(out.get(unit, ())) < OBSERVED_MIN:  # few lately: the latest ones
                    latest = select(d.hours).where(d.segment == segment, d.ended_at <= now)
                    if unit:
                        latest = latest.where(d.unit_type == unit)
                    out[unit] = list(self.session.scalars(
                        latest.order_by(d.ended_at.desc()).limit(OBSERVED_MIN)))
            return {unit: tuple(sorted(values)) for unit, values in out.items()}
        found: dict[str, tuple[float, ...]] = self._cached(("durations", segment), count, now)
        typed = found.get(unit_type, ())
        return typed if len(typed) >= OBSERVED_MIN else found[""]

def sailing_of(shipment: Shipment) -> PlannedSailing | None:
    """The sailing a published plan put the shipment's crossing leg on, if any."""
    for leg in shipment.legs:
        if leg.mode in WATER_MODES and leg.plan_id is not None:
            return PlannedSailing(leg.sailing or "", leg.vessel or "", leg.planned_depart,
                                  leg.planned_arrive, leg.plan_id)
    return None


def spread_of(shipment: Shipment, now: datetime, queues: Queues) -> EtaSpread:
    """The shipment's ETA spread now, its P90 no earlier than the shipment's ``eta``."""
    legs = shipment.legs
    position = corridor.current_position(shipment)
    if shipment.status == "arrived" or (position is not None
                                        and position.rank >= 2 * len(legs) - 1):
        at = position.at if position is not None else shipment.eta
        return containing(EtaSpread(at, at, at), shipment.eta)
    ports = corridor.caspian_ports(queues.data)
    crossings = {leg.origin: leg.destination for leg in legs
                 if leg.mode in WATER_MODES and leg.origin in ports}
    ahead = {port: queues.ahead(port, towards, shipment) for port, towards in crossings.items()}
    pace = {port: queues.leaving_per_h(port, towards, shipment.unit_type, now)
            for port, towards in crossings.items()}
    standing = shipment.position_place if not shipment.position_next else ""
    # waiting for its ferry, or staying after a crossing where that stay is fitted: both read
    # the ships seen and a closure at the port
    reads_port = standing in ahead or leg_times(queues.data).waits.fits(standing, STAY)
    reopens = queues.reopens(standing, now) if reads_port else None
    segments = [segment_key(leg) for leg in legs]
    segments += [segment_key(leg, dwell=True) for leg in legs[1:]]
    segments += [whole(segment_key(leg, dwell=True))
                 for before, leg in zip(legs, legs[1:], strict=False)
                 if before.mode in WATER_MODES]
    observed = {seg: queues.durations(seg, shipment.unit_type, now) for seg in segments}
    sightings = queues.sightings(now) if reads_port else {}
    rest = rest_loads(legs, position.rank if position is not None else -1, ports,
                      times=leg_times(queues.data), sightings=lambda: queues.sightings(now),
                      loads=lambda port: queues.loads(shipment, port),
                      units=shipment.unit_count, unit_type=UnitType(shipment.unit_type), now=now)
    start, steps = steps_ahead(
        legs, position, now=now, times=leg_times(queues.data),
        unit_type=UnitType(shipment.unit_type), units=shipment.unit_count, ports=ports,
        queue_ahead=ahead,
        sailing=sailing_of(shipment), link_ids=[leg.link_id for leg in legs],
        leaving_per_h=pace, observed=observed, estimated=estimated_milestone(shipment),
        closed_until={standing: reopens} if reopens is not None else None,
        sightings=sightings, rest_loads=rest)
    return containing(eta_spread(start, steps), shipment.eta)


def before_p10(eta: datetime, p10: datetime | None,
               segments: Sequence[Mapping[str, Any]]) -> str | None:
    """Why ``eta`` (the plan plus the delay so far) lies before the spread's P10, naming the
    remaining step the spread expects to take longest; None when it does not.
    """
    if p10 is None or eta >= p10:
        return None
    hours = (p10 - eta).total_seconds() / 3600
    note = (f"eta is {hours:.0f} h before the P10: the plan does not show a delay the spread "
            "expects")
    longest = max(segments, key=lambda s: float(s.get("p50_h", 0.0)), default=None)
    if longest is not None and longest.get("reason"):
        note += f"; the longest step ahead, {longest['segment']}: {longest['reason']}"
    return note


def estimated_milestone(shipment: Shipment) -> Position | None:
    """The milestone beyond its position an operator's estimate (EST event) says the shipment
    reaches, and when; None when its furthest progress point is an actual one.
    """
    position = corridor.current_position(shipment)
    rank = shipment.progress_rank
    if shipment.progress_weight != WEIGHT["EST"] or rank < 0 or (
            position is not None and rank <= position.rank):
        return None
    at = planned_time(shipment.legs, rank) + timedelta(hours=shipment.progress_delay_h)
    return Position(rank, at)


def refresh(shipment: Shipment, now: datetime, queues: Queues) -> bool:
    """Store the shipment's new ETA spread; whether its P50 changed."""
    spread = spread_of(shipment, now, queues)
    changed = spread.p50 != shipment.eta_p50
    shipment.eta_p10, shipment.eta_p50, shipment.eta_p90 = spread.p10, spread.p50, spread.p90
    shipment.eta_segments = json.dumps([s.to_dict() for s in spread.segments],
                                       ensure_ascii=False, separators=(",", ":"))
    return changed
