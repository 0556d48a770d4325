"""Idempotent event ingestion keyed by (reporting organization, client event id).

:func:`ingest_items` runs one transaction for the events of one or more callers (the route
of a single post batches concurrent posts through :func:`group_commit`); inside it
:func:`ingest_many` handles one or many events: duplicates are answered from
the stored row, events on shipments the caller may not report on, or (operators) at a place
outside the caller's segment, are rejected, events at a place off the planned route are stored
and flagged. An event without a shipment is a Caspian vessel's own call (:func:`_call_refusal`
says which are refused). Every touched shipment then gets its ETA
recomputed (history kept), a slip alert if due, and a delivery for each subscription.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, insert, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from midcorridor.errors import MidcorridorError
from midcorridor.live.closures import CASPIAN
from midcorridor.live.eta import whole
from midcorridor.live.ferries import VESSEL_CODES
from midcorridor.live.position import DEPARTURE_CODES, WATER_MODES, segment_key
from midcorridor.service import access, alerts, corridor, eta, forecast, webhooks
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import (
    EtaRecord,
    Event,
    Leg,
    PortClosureRecord,
    Shipment,
    StepDuration,
)
from midcorridor.service.group_commit import GroupCommit
from midcorridor.service.public import event_public
from midcorridor.service.schemas import EventCreate, EventPublic
from midcorridor.service.settings import Settings

NOT_FOUND = "shipment not found"


class EventConflict(Exception):
    """The event id was used before for a different event."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one posted event."""

    event_id: str
    status: str  # created | duplicate | rejected
    event: Event | None = None
    error: str = ""
    http_status: int = 0  # for a rejection: 403, 404, 409 or 422
    field: str = ""  # for a 422: the field of the event that was wrong


def _invalid(item: EventCreate, field: str, message: str) -> Outcome:
    """The rejection (422) of an event whose ``field`` is wrong."""
    return Outcome(item.event_id, "rejected", error=f"{field}: {message}", http_status=422,
                   field=field)


def payload_hash(event: EventCreate) -> str:
    """A fingerprint of the event's content, to tell a replay from a reuse of its id."""
    # a field added later is left out while unset, so stored events keep their fingerprint
    unset = {"facility"} if event.facility is None else None
    body = json.dumps(event.model_dump(mode="json", exclude=unset), sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def ingest(
    session: Session,
    principal: access.Principal,
    events: Sequence[EventCreate],
    *,
    now: datetime,
    slip_threshold_h: float,
    strict: bool = False,
) -> list[Outcome]:
    """Store new events, answer duplicates, reject what the caller may not report.

    With ``strict`` a reused id with different content raises :class:`EventConflict`;
    otherwise it is rejected in its outcome.
    """
    existing = _stored_events(session, principal, events)
    shipments = _locked_shipments(session, events)
    # Outcomes of new events are settled after one multi-row INSERT ... RETURNING.
    # An Outcome, or (status, event id) of a new row: "created", or "duplicate" of one.
    slots: list[Outcome | tuple[str, str]] = []
    new_rows: list[dict[str, object]] = []
    durations: list[dict[str, object]] = []
    new_digest: dict[str, str] = {}
    touched: dict[int, str] = {}  # shipment id -> event id of its last new event
    route_of: dict[int, set[str]] = {}
    queues = forecast.Queues(session)
    vessel_news: set[str] = set()  # vehicles of the new vessel events
    for item in events:
        digest = payload_hash(item)
        stored = existing.get(item.event_id)
        known = stored.payload_hash if stored is not None else new_digest.get(item.event_id)
        if known is not None:
            slots.append(_seen_before(item, digest, known, stored, strict))
            continue
        if item.shipment_id is None:
            accepted = _vessel_call(principal, item, digest, now, queues.data)
        else:
            accepted = _shipment_event(principal, item, digest, now, shipments, route_of, queues)
        if isinstance(accepted, Outcome):
            slots.append(accepted)
            continue
        new_rows.append(accepted.row)
        durations.extend(accepted.durations)
        if accepted.vessel is not None:
            vessel_news.add(accepted.vessel)
        if item.shipment_id is not None:
            touched[item.shipment_id] = item.event_id
        new_digest[item.event_id] = digest
        slots.append(("created", item.event_id))
    created = _insert(session, new_rows, durations)
    outcomes = [
        slot if isinstance(slot, Outcome) else Outcome(slot[1], slot[0], created[slot[1]])
        for slot in slots
    ]
    _follow_up(session, [(shipments[s], created[e]) for s, e in touched.items()], created,
               vessel_news=vessel_news, now=now, slip_threshold_h=slip_threshold_h)
    return outcomes


class _Accepted(NamedTuple):
    """A new event to store: its row, the step durations it ends, and the vessel whose calls
    it tells of (None when it tells of none).
    """

    row: dict[str, object]
    durations: list[dict[str, object]]
    vessel: str | None


def _vessel_call(principal: access.Principal, item: EventCreate, digest: str, now: datetime,
                 data: str) -> Outcome | _Accepted:
    """A vessel's own call (an event without a shipment): refused (:func:`_call_refusal`),
    or accepted under the name the event gives the vessel of the fleet of ``data``.
    """
    refusal, vessel = _call_refusal(principal, item, data)
    if refusal is not None:
        return refusal
    return _Accepted(_row(principal, item, digest, now, shipment=None, places=set(),
                          vehicle=vessel), [], vessel)


def _shipment_event(principal: access.Principal, item: EventCreate, digest: str, now: datetime,
                    shipments: dict[int, Shipment], route_of: dict[int, set[str]],
                    queues: forecast.Queues) -> Outcome | _Accepted:
    """An event on a shipment (locked in ``shipments``): rejected when the caller may not
    report it there, else accepted and folded into the shipment's progress; ``route_of``
    keeps each shipment's route places for the batch.
    """
    assert item.shipment_id is not None
    if not principal.may(access.Action.post_event):
        return Outcome(
            item.event_id, "rejected", http_status=403,
            error=f"role {principal.role.value} may not report events on shipments, only "
            "a vessel's own call (an event without shipment_id)")
    shipment = shipments.get(item.shipment_id)
    places = route_of.get(item.shipment_id)
    if shipment is not None and places is None:
        places = route_of[item.shipment_id] = access.route_places(shipment)
    if shipment is None or not access.can_see(principal, shipment, places):
        return Outcome(item.event_id, "rejected", error=NOT_FOUND, http_status=404)
    refusal = _forbidden(principal, item, shipment, places)
    if refusal is not None:
        return refusal
    row = _row(principal, item, digest, now, shipment=shipment, places=places or set(),
               vehicle=item.vehicle)
    durations = _step_durations(queues, shipment, item, now)
    vessel = ((item.vehicle or "") if item.event_code in VESSEL_CODES
              and forecast.vessel_id(queues.data, item.vehicle) else None)
    return _Accepted(row, durations, vessel)


def _follow_up(session: Session, touched: list[tuple[Shipment, Event]],
               created: dict[str, Event], *, vessel_news: set[str], now: datetime,
               slip_threshold_h: float) -> None:
    """After new events: each touched shipment's ETA recomputed (from its last new event)
    and its slip alert checked, the vessels' sightings read afresh when a vessel moved, and
    a delivery queued for each subscription.
    """
    if vessel_news:
        forecast.vessels_moved(session, vessel_news)
    queues = forecast.Queues(session)
    for shipment, event in touched:
        refresh_eta(session, shipment, now, queues, event.id)
        alerts.check_slip(session, shipment, now=now, threshold_h=slip_threshold_h)
    webhooks.enqueue(session, list(created.values()), now=now)


def _insert(session: Session, new_rows: list[dict[str, object]],
            durations: list[dict[str, object]]) -> dict[str, Event]:
    """Insert the new events (one multi-row INSERT ... RETURNING) and the step durations;
    the new events by client event id.
    """
    created: dict[str, Event] = {}
    if new_rows:
        stored_rows = session.scalars(
            insert(Event).returning(Event, sort_by_parameter_order=True), new_rows
        ).all()
        created = {row.client_event_id: row for row in stored_rows}
    if durations:
        session.execute(insert(StepDuration), durations)
    return created


# Built once, not per ingested batch (the lists are bound at each call).
_STORED = select(Event).where(Event.org_id == bindparam("org"),
                              Event.client_event_id.in_(bindparam("ids", expanding=True)))
_LOCKED = (select(Shipment).where(Shipment.id.in_(bindparam("ids", expanding=True)))
           .order_by(Shipment.id).options(lazyload(Shipment.legs)).with_for_update())
_LEGS = (select(Leg).where(Leg.shipment_id.in_(bindparam("ids", expanding=True)))
         .order_by(Leg.shipment_id, Leg.seq))


def _stored_events(session: Session, principal: access.Principal,
                   events: Sequence[EventCreate]) -> dict[str, Event]:
    """The caller's stored events with the ids of ``events``, by client event id."""
    ids = [e.event_id for e in events]
    return {row.client_event_id: row
            for row in session.scalars(_STORED, {"org": principal.org_id, "ids": ids})}


def _locked_shipments(session: Session, events: Sequence[EventCreate]) -> dict[int, Shipment]:
    """The shipments the events are on, by id, locked in id order (PostgreSQL) so that
    concurrent writers never deadlock; their legs read unless the session holds them already
    (a caller ingesting many batches in one transaction reads each shipment's legs once).
    """
    shipment_ids = sorted({e.shipment_id for e in events if e.shipment_id is not None})
    found = {s.id: s for s in session.scalars(_LOCKED, {"ids": shipment_ids})}
    unread = {i: s for i, s in found.items() if "legs" not in inspect(s).dict}
    if unread:
        legs: dict[int, list[Leg]] = {i: [] for i in unread}
        for leg in session.scalars(_LEGS, {"ids": sorted(unread)}):
            legs[leg.shipment_id].append(leg)
        for i, shipment in unread.items():
            set_committed_value(shipment, "legs", legs[i])
    return found


def _seen_before(item: EventCreate, digest: str, known: str, stored: Event | None,
                 strict: bool) -> Outcome | tuple[str, str]:
    """The answer to an event id already used: a duplicate (the stored row, or the new row
    of this batch by id) when the content is the same, else a rejection (409), or with
    ``strict`` an :class:`EventConflict`.
    """
    if known != digest:
        message = f"event_id {item.event_id!r} was already used for a different event"
        if strict:
            raise EventConflict(message)
        return Outcome(item.event_id, "rejected", error=message, http_status=409)
    return (Outcome(item.event_id, "duplicate", stored) if stored is not None
            else ("duplicate", item.event_id))


def _forbidden(principal: access.Principal, item: EventCreate, shipment: Shipment,
               places: set[str] | None) -> Outcome | None:
    """The rejection (403) of an event on a shipment the caller sees but may not report: of a
    type its role may not report, or at a place outside its segment.
    """
    if not access.can_post(principal, shipment, item.event_type.value, places):
        message = (f"role {principal.role.value} may not report "
                   f"{item.event_type.value} events")
        return Outcome(item.event_id, "rejected", error=message, http_status=403)
    if not access.can_report_at(principal, item.location):
        return Outcome(item.event_id, "rejected",
                       error=access.segment_error(principal, item.location), http_status=403)
    return None


def _step_durations(queues: forecast.Queues, shipment: Shipment, item: EventCreate,
                    now: datetime) -> list[dict[str, object]]:
    """Fold the event into the shipment's progress (:func:`_advance`); the step durations
    to record when it ends a segment (and the whole stay after a crossing on one ship).
    """
    took = _advance(shipment, item, now)
    if took is None:
        return []
    segments = [took[0]]
    crossed = _crossed(shipment, took[0])
    if crossed and queues.crossed_whole(shipment, crossed):
        segments.append(whole(took[0]))
    return [{"shipment_id": shipment.id, "segment": segment[:40],
             "unit_type": shipment.unit_type, "ended_at": item.event_time, "hours": took[1]}
            for segment in segments]


def ingest_many(
    session: Session,
    items: Sequence[tuple[access.Principal, EventCreate]],
    *,
    now: datetime,
    slip_threshold_h: float,
) -> list[Outcome]:
    """:func:`ingest` for events of several callers in one transaction, outcomes in order.

    A reused id with different content is rejected in its outcome (409), as in bulk posts.
    """
    groups: dict[access.Principal, list[int]] = {}
    for index, (principal, _) in enumerate(items):
        groups.setdefault(principal, []).append(index)
    if len(groups) > 1:
        # Lock every shipment of the batch up front, in id order, so no deadlock can arise
        # with another transaction however the callers' shipments interleave.
        ids = sorted({event.shipment_id for _, event in items if event.shipment_id is not None})
        session.scalars(select(Shipment.id).where(Shipment.id.in_(ids)).order_by(Shipment.id)
                        .with_for_update()).all()
    outcomes: list[Outcome | None] = [None] * len(items)
    for principal, indices in groups.items():
        results = ingest(session, principal, [items[i][1] for i in indices], now=now,
                         slip_threshold_h=slip_threshold_h)
        for index, outcome in zip(indices, results, strict=True):
            outcomes[index] = outcome
    return [o for o in outcomes if o is not None]


def _row(principal: access.Principal, item: EventCreate, digest: str, now: datetime, *,
         shipment: Shipment | None, places: set[str], vehicle: str) -> dict[str, object]:
    """The column values of a new event row: on ``shipment`` (off its route when the place is
    not among its ``places``), or with None a vessel's own call (``vehicle``: how it names the
    vessel).
    """
    return {
        "shipment_id": shipment.id if shipment is not None else None,
        "org_id": principal.org_id, "client_event_id": item.event_id,
        "payload_hash": digest, "event_type": item.event_type.value,
        "event_code": item.event_code, "classifier": item.classifier,
        "event_time": item.event_time, "received_at": now, "location": item.location,
        "vehicle": vehicle, "mode": item.mode,
        "equipment_reference": item.equipment_reference, "document_type": item.document_type,
        "description": item.description,
        "off_route": shipment is not None and item.location not in places,
        "facility": item.facility,
    }


def _call_refusal(principal: access.Principal, item: EventCreate,
                  data: str) -> tuple[Outcome | None, str]:
    """The rejection of a vessel's own call, or None and how the event names the vessel
    (as the data set spells it): refused (403) to a role that may not report one or to an
    operator away from its places, and (422) when its vehicle is not a vessel of the Caspian
    fleet or its location not a Caspian port.
    """
    if not principal.may(access.Action.post_call):
        return Outcome(item.event_id, "rejected", http_status=403,
                       error=f"role {principal.role.value} may not report a vessel's call"), ""
    try:
        vessel = forecast.vessel_id(data, item.vehicle)
        ports = corridor.caspian_ports(data)
        fleet = {v.id: v for v in corridor.fleet(data)}
    except MidcorridorError as exc:
        return _invalid(item, "vehicle", f"the service's data set cannot tell its vessels "
                        f"({exc})"), ""
    if not vessel:
        known = ", ".join(sorted(v.name for v in fleet.values())[:5])
        return _invalid(item, "vehicle", f"{item.vehicle!r} is not a vessel of the Caspian "
                        f"fleet; name one by its id or name (e.g. {known})"), ""
    if item.location not in ports:
        return _invalid(item, "location", f"{item.location} is not a Caspian port; a vessel "
                        f"calls at {', '.join(sorted(ports))}"), ""
    if not access.can_report_at(principal, item.location):
        return Outcome(item.event_id, "rejected", http_status=403,
                       error=access.segment_error(principal, item.location)), ""
    named = item.vehicle if item.vehicle in (vessel, fleet[vessel].name) else vessel
    return None, named


def _crossed(shipment: Shipment, segment: str) -> str:
    """The port a shipment crossed from by water just before the stay ``segment`` it ends
    (``at PLACE for NEXT``), or "" when that stay does not follow a crossing.
    """
    legs = shipment.legs
    for before, leg in zip(legs, legs[1:], strict=False):
        if segment_key(leg, dwell=True) == segment and before.mode in WATER_MODES:
            return before.origin
    return ""


def _advance(shipment: Shipment, item: EventCreate, now: datetime) -> tuple[str, float] | None:
    """Fold one event into the shipment's progress point and last sighting; the segment it
    ends and its hours, if it moves the shipment on to the next milestone.
    """
    shipment.last_received_at = now
    if item.classifier == "ACT" and (
        shipment.last_seen_at is None or item.event_time > shipment.last_seen_at
    ):
        shipment.last_seen_at = item.event_time
    took = corridor.advance(shipment, item.event_code, item.classifier, item.location,
                            item.event_time)
    if item.event_type.value != "TRANSPORT":
        return took
    mark = eta.milestone(shipment.legs, item.event_code, item.classifier, item.location,
                         item.event_time)
    if mark is None:
        return took
    current = (
        eta.Milestone(shipment.progress_rank, shipment.progress_weight, shipment.progress_delay_h)
        if shipment.progress_rank >= 0 else None
    )
    if eta.better(current, mark):
        shipment.progress_rank = mark.rank
        shipment.progress_weight = mark.weight
        shipment.progress_delay_h = mark.delay_h
    return took


def refresh_eta(session: Session, shipment: Shipment, now: datetime, queues: forecast.Queues,
                event_id: int | None, *, always: bool = False) -> None:
    """Recompute the ETA and its spread; keep a history record when either moved (or
    ``always``, e.g. when a published plan changed the legs).
    """
    result = eta.estimate(shipment.legs, eta.progress_of(shipment), shipment.last_seen_at,
                          fixed=eta.fixed_leg(shipment.legs))
    shipment.status = result.status
    moved = result.eta != shipment.eta or result.delay_h != shipment.delay_h
    shipment.eta = result.eta
    shipment.delay_h = result.delay_h
    corridor.refresh_next_port(shipment, corridor.caspian_ports(queues.data))
    if forecast.refresh(shipment, now, queues) or moved or always:
        session.add(EtaRecord(shipment_id=shipment.id, computed_at=now, eta=result.eta,
                              delay_h=result.delay_h, event_id=event_id, p10=shipment.eta_p10,
                              p50=shipment.eta_p50, p90=shipment.eta_p90))


#: What a caller gets for one event: the outcome, and the stored event in the API's shape.
Result = tuple[Outcome, EventPublic | None]


def ingest_items(
    db: Database, settings: Settings, items: Sequence[tuple[access.Principal, EventCreate]],
    *, public: bool = True,
) -> list[Result]:
    """Ingest events of one or more callers in one transaction (retried on a lost race)."""
    # A concurrent writer may insert the same event id between our check and our insert
    # (PostgreSQL, or another worker); the unique constraint stops it and the retry answers
    # it as a duplicate.
    for attempt in range(3):
        try:
            with db.write() as session:
                outcomes = ingest_many(session, items, now=datetime.now(UTC),
                                       slip_threshold_h=settings.eta_slip_alert_h)
                session.flush()
                return [(o, event_public(o.event) if public and o.event is not None else None)
                        for o in outcomes]
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def group_commit(db: Database, settings: Settings) -> GroupCommit:
    """The per-process batcher of single-event posts."""
    return GroupCommit(lambda items: list(ingest_items(db, settings, items)))


def refresh_behind_departures(session: Session, *, after_id: int, now: datetime,
                              limit: int = 5000) -> int:
    """Recompute the spread of every shipment waiting at a Caspian port that someone left
    (loading, departure or gate-out reported there) in the events after ``after_id``: the
    queue ahead of them shrank; and at both ports of the line of every vessel those events
    name: its next call there moved. Returns the last event id looked at (the next call's
    ``after_id``). Run by the worker's minute sweep, so posting an event pays nothing for it.
    """
    data = corridor.data_of(session)
    ports = sorted(corridor.caspian_ports(data))
    newest = session.scalar(select(func.max(Event.id))) or 0
    if newest <= after_id or not ports:
        return max(after_id, newest)
    fresh = (Event.id > after_id, Event.id <= newest, Event.classifier == "ACT")
    left = set(session.scalars(
        select(Event.location).where(
            *fresh, Event.location.in_(ports),
            Event.event_code.in_(sorted(DEPARTURE_CODES))).distinct()))
    vehicles = session.scalars(select(Event.vehicle).where(
        *fresh, Event.event_code.in_(sorted(VESSEL_CODES)), Event.vehicle != "").distinct())
    moved = {vessel for vessel in (forecast.vessel_id(data, v) for v in vehicles) if vessel}
    for line in forecast.leg_times(data).lines:
        if any(v.id in moved for v in line.vessels):
            left.update(p for p in line.ports if p in ports)
    if left:
        refresh_waiting(session, sorted(left), now=now, limit=limit)
    return newest


def refresh_waiting(session: Session, places: Sequence[str], *, now: datetime,
                    limit: int = 5000) -> int:
    """Recompute the spread of (up to ``limit``) shipments waiting at ``places``; how many."""
    queues = forecast.Queues(session)
    waiting = session.scalars(
        select(Shipment).where(Shipment.position_place.in_(places),
                               Shipment.position_next == "", Shipment.status != "arrived")
        .order_by(Shipment.id).limit(limit)).all()
    for shipment in waiting:
        refresh_eta(session, shipment, now, queues, None)
    return len(waiting)


def refresh_opened_or_closed(session: Session, *, since: datetime, now: datetime) -> int:
    """Recompute the spread of the cargo waiting at every Caspian port where a posted closure
    began or ended after ``since`` and by ``now`` (run by the minute sweep, so a closure
    posted ahead of time counts from its start); how many shipments.
    """
    c = PortClosureRecord
    changed = session.scalars(select(c.place).where(
        c.cancelled_at.is_(None),
        or_(and_(c.starts_at > since, c.starts_at <= now),
            and_(c.ends_at > since, c.ends_at <= now))).distinct()).all()
    if not changed:
        return 0
    ports = corridor.caspian_ports(corridor.data_of(session))
    places = ports if CASPIAN in changed else ports & set(changed)
    return refresh_waiting(session, sorted(places), now=now) if places else 0


def refresh_closed(session: Session, closure: PortClosureRecord, *, now: datetime) -> None:
    """Recompute the spread of the cargo waiting where ``closure`` holds now (just posted or
    cancelled), so that its wait for a ferry counts the closure, or no longer does.
    """
    if not closure.starts_at <= now < closure.ends_at:
        return
    session.flush()
    ports = corridor.caspian_ports(corridor.data_of(session))
    places = ports if closure.place == CASPIAN else ports & {closure.place}
    refresh_waiting(session, sorted(places), now=now)
