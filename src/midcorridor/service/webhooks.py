"""Subscriptions: HMAC-signed deliveries of a shipment's events, retried with back-off, logged.

A delivery row is written in the same transaction as its event (an outbox), so an accepted
event is never left undelivered by a crash. ``deliver_due`` sends what is due.

Signature: header ``X-Midcorridor-Signature: t=<unix seconds>,v1=<hex>`` where ``hex`` is
HMAC-SHA256 with the subscription secret over ``"<t>." + body``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Delivery, Event, Subscription
from midcorridor.service.schemas import EventPublic

SIGNATURE_HEADER = "X-Midcorridor-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """Whether ``header`` is a valid signature of ``body`` (for receivers and tests)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        expected = sign(secret, int(parts["t"]), body)
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(expected, header)


def enqueue(session: Session, events: Sequence[Event], *, now: datetime) -> int:
    """Queue new events for every active subscription on their shipments (one query)."""
    shipment_ids = {e.shipment_id for e in events}
    if not shipment_ids:
        return 0
    subscribers: dict[int, list[int]] = {}
    for sub_id, shipment_id in session.execute(
        select(Subscription.id, Subscription.shipment_id).where(
            Subscription.shipment_id.in_(shipment_ids), Subscription.active.is_(True)
        )
    ):
        subscribers.setdefault(shipment_id, []).append(sub_id)
    queued = 0
    for event in events:
        for sub_id in subscribers.get(event.shipment_id, ()):
            session.add(Delivery(subscription_id=sub_id, event_id=event.id, created_at=now,
                                 next_attempt_at=now))
            queued += 1
    return queued


def event_public(event: Event) -> EventPublic:
    """The API shape of a stored event."""
    return EventPublic(
        id=event.id, event_id=event.client_event_id, shipment_id=event.shipment_id,
        reporting_org_id=event.org_id, event_type=event.event_type, event_code=event.event_code,
        classifier=event.classifier, event_time=event.event_time, received_at=event.received_at,
        location=event.location, vehicle=event.vehicle, mode=event.mode,
        equipment_reference=event.equipment_reference, document_type=event.document_type,
        description=event.description, off_route=event.off_route,
    )


def deliver_due(
    db: Database,
    client: httpx.Client,
    *,
    now: datetime,
    max_attempts: int,
    backoff_s: float,
    limit: int = 100,
) -> int:
    """Attempt every due delivery once; returns how many were attempted.

    A failure is retried after ``backoff_s * 2**(attempts-1)`` seconds until ``max_attempts``,
    then marked ``failed``. HTTP happens outside any database transaction.
    """
    with db.read() as session:
        rows = session.execute(
            select(Delivery.id, Subscription.callback_url, Subscription.secret, Event)
            .join(Subscription, Subscription.id == Delivery.subscription_id)
            .join(Event, Event.id == Delivery.event_id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        ).all()
        jobs = [(d_id, url, secret, event_public(ev)) for d_id, url, secret, ev in rows]
    results: list[tuple[int, int | None, str]] = []
    for delivery_id, url, secret, public in jobs:
        body = json.dumps(
            {"delivery_id": delivery_id, "event": public.model_dump(mode="json")},
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, int(now.timestamp()), body),
            "X-Midcorridor-Delivery": str(delivery_id),
        }
        try:
            response = client.post(url, content=body, headers=headers)
            code: int | None = response.status_code
            error = "" if response.is_success else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            code, error = None, f"{type(exc).__name__}: {exc}"[:500]
        results.append((delivery_id, code, error))
    with db.write() as session:
        for delivery_id, code, error in results:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:
                continue
            delivery.attempts += 1
            delivery.last_attempt_at = now
            delivery.last_status_code = code
            delivery.last_error = error
            if not error:
                delivery.status = "delivered"
                delivery.delivered_at = now
            elif delivery.attempts >= max_attempts:
                delivery.status = "failed"
            else:
                wait = backoff_s * 2 ** (delivery.attempts - 1)
                delivery.next_attempt_at = now + timedelta(seconds=wait)
    return len(results)
