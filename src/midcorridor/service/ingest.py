"""Idempotent event ingestion keyed by (reporting organization, client event id).

One call handles one or many events in the caller's transaction: duplicates are answered from
the stored row, events on shipments the caller may not report on are rejected, events at a
place off the planned route are stored and flagged. Every touched shipment then gets its ETA
recomputed (history kept), a slip alert if due, and a delivery for each subscription.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.service import access, alerts, eta, webhooks
from midcorridor.service.db.models import EtaRecord, Event, Shipment
from midcorridor.service.schemas import EventCreate

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
    http_status: int = 0  # for a rejection: 403, 404 or 409


def payload_hash(event: EventCreate) -> str:
    """A fingerprint of the event's content, to tell a replay from a reuse of its id."""
    body = json.dumps(event.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
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
    ids = [e.event_id for e in events]
    existing = {
        row.client_event_id: row
        for row in session.scalars(
            select(Event).where(Event.org_id == principal.org_id, Event.client_event_id.in_(ids))
        )
    }
    shipment_ids = sorted({e.shipment_id for e in events})
    # Lock the shipments in id order (PostgreSQL), so concurrent writers never deadlock.
    shipments = {
        s.id: s
        for s in session.scalars(
            select(Shipment).where(Shipment.id.in_(shipment_ids)).order_by(Shipment.id)
            .with_for_update()
        )
    }
    outcomes: list[Outcome] = []
    touched: dict[int, Event] = {}
    route_of: dict[int, set[str]] = {}
    for item in events:
        digest = payload_hash(item)
        stored = existing.get(item.event_id)
        if stored is not None:
            if stored.payload_hash != digest:
                message = f"event_id {item.event_id!r} was already used for a different event"
                if strict:
                    raise EventConflict(message)
                outcomes.append(Outcome(item.event_id, "rejected", error=message,
                                        http_status=409))
            else:
                outcomes.append(Outcome(item.event_id, "duplicate", stored))
            continue
        shipment = shipments.get(item.shipment_id)
        places = route_of.get(item.shipment_id)
        if shipment is not None and places is None:
            places = route_of[item.shipment_id] = access.route_places(shipment)
        if shipment is None or not access.can_see(principal, shipment, places):
            outcomes.append(Outcome(item.event_id, "rejected", error=NOT_FOUND, http_status=404))
            continue
        if not access.can_post(principal, shipment, item.event_type.value, places):
            message = (f"role {principal.role.value} may not report "
                       f"{item.event_type.value} events")
            outcomes.append(Outcome(item.event_id, "rejected", error=message, http_status=403))
            continue
        row = _store(session, principal, item, shipment, digest, now, places or set())
        existing[item.event_id] = row
        touched[shipment.id] = row
        outcomes.append(Outcome(item.event_id, "created", row))
    session.flush()
    for shipment_id, last_event in touched.items():
        shipment = shipments[shipment_id]
        _refresh_eta(session, shipment, last_event, now)
        alerts.check_slip(session, shipment, now=now, threshold_h=slip_threshold_h)
    created = [o.event for o in outcomes if o.status == "created" and o.event is not None]
    webhooks.enqueue(session, created, now=now)
    return outcomes


def _store(
    session: Session,
    principal: access.Principal,
    item: EventCreate,
    shipment: Shipment,
    digest: str,
    now: datetime,
    places: set[str],
) -> Event:
    row = Event(
        shipment_id=shipment.id, org_id=principal.org_id, client_event_id=item.event_id,
        payload_hash=digest, event_type=item.event_type.value, event_code=item.event_code,
        classifier=item.classifier, event_time=item.event_time, received_at=now,
        location=item.location, vehicle=item.vehicle, mode=item.mode,
        equipment_reference=item.equipment_reference, document_type=item.document_type,
        description=item.description,
        off_route=item.location not in places,
    )
    session.add(row)
    _advance(shipment, row, now)
    return row


def _advance(shipment: Shipment, row: Event, now: datetime) -> None:
    """Fold one event into the shipment's progress point and last sighting."""
    shipment.last_received_at = now
    if row.classifier == "ACT" and (
        shipment.last_seen_at is None or row.event_time > shipment.last_seen_at
    ):
        shipment.last_seen_at = row.event_time
    if row.event_type != "TRANSPORT":
        return
    mark = eta.milestone(shipment.legs, row.event_code, row.classifier, row.location,
                         row.event_time)
    if mark is None:
        return
    current = (
        eta.Milestone(shipment.progress_rank, shipment.progress_weight, shipment.progress_delay_h)
        if shipment.progress_rank >= 0 else None
    )
    if eta.better(current, mark):
        shipment.progress_rank = mark.rank
        shipment.progress_weight = mark.weight
        shipment.progress_delay_h = mark.delay_h


def _refresh_eta(session: Session, shipment: Shipment, cause: Event, now: datetime) -> None:
    progress = (
        eta.Milestone(shipment.progress_rank, shipment.progress_weight, shipment.progress_delay_h)
        if shipment.progress_rank >= 0 else None
    )
    result = eta.estimate(shipment.legs, progress, shipment.last_seen_at)
    shipment.status = result.status
    if result.eta != shipment.eta or result.delay_h != shipment.delay_h:
        shipment.eta = result.eta
        shipment.delay_h = result.delay_h
        session.add(EtaRecord(shipment_id=shipment.id, computed_at=now, eta=result.eta,
                              delay_h=result.delay_h, event_id=cause.id))
