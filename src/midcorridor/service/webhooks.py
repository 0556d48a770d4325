"""Subscriptions: HMAC-signed deliveries of a shipment's events, retried with back-off, logged.

A delivery row is written in the same transaction as its event (an outbox), so an accepted
event is never left undelivered by a crash; once it commits, the subscription is handed to
the deliveries queue (``midcorridor.service.queue``), whose worker takes the subscription's
lease and sends what is due in order (:func:`deliver_subscription`). One subscription is
served by one worker at a time; different subscriptions in parallel. Delivery is at least
once: a receiver deduplicates by ``X-Midcorridor-Delivery``.

Signature: header ``X-Midcorridor-Signature: t=<unix seconds>,v1=<hex>`` where ``hex`` is
HMAC-SHA256 with the subscription secret over ``"<t>." + body``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from midcorridor.service.callbacks import CallbackRefused, post_callback
from midcorridor.service.db.engine import Database, after_commit, database_of
from midcorridor.service.db.models import Delivery, Event, Subscription
from midcorridor.service.public import event_public
from midcorridor.service.queue import job_queue
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


_SUBSCRIBERS = select(Subscription.id, Subscription.shipment_id).where(
    Subscription.shipment_id.in_(bindparam("ids", expanding=True)), Subscription.active.is_(True))


def enqueue(session: Session, events: Sequence[Event], *, now: datetime) -> int:
    """Queue new events for every active subscription on their shipments (one query)."""
    shipment_ids = {e.shipment_id for e in events if e.shipment_id is not None}
    if not shipment_ids:
        return 0
    subscribers: dict[int, list[int]] = {}
    for sub_id, shipment_id in session.execute(_SUBSCRIBERS, {"ids": sorted(shipment_ids)}):
        subscribers.setdefault(shipment_id, []).append(sub_id)
    queued, woken = 0, set()
    for event in events:
        for sub_id in subscribers.get(event.shipment_id or 0, ()):
            session.add(Delivery(subscription_id=sub_id, event_id=event.id, created_at=now,
                                 next_attempt_at=now))
            queued += 1
            woken.add(sub_id)
    if woken:
        db = database_of(session)
        after_commit(session, lambda: job_queue(db.settings).wake_deliveries(sorted(woken)))
    return queued


@dataclass(frozen=True)
class DrainOutcome:
    """What one turn of delivering to a subscription did."""

    attempted: int
    retry_at: datetime | None  # the earliest pending retry, when one waits in the future


def _now() -> datetime:
    return datetime.now(UTC)


def claim(db: Database, subscription_id: int, *, lease_s: float,
          now: datetime | None = None) -> bool:
    """Take the subscription's delivery lease (one worker delivers to it at a time)."""
    now = now or _now()
    with db.write() as session:
        return bool(session.execute(  # type: ignore[attr-defined]
            update(Subscription).where(
                Subscription.id == subscription_id,
                or_(Subscription.delivery_lease_until.is_(None),
                    Subscription.delivery_lease_until < now))
            .values(delivery_lease_until=now + timedelta(seconds=lease_s))
        ).rowcount)


def release(db: Database, subscription_id: int) -> None:
    """Give the delivery lease back."""
    with db.write() as session:
        session.execute(update(Subscription).where(Subscription.id == subscription_id)
                        .values(delivery_lease_until=None))


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return (Delivery.status == "pending", Delivery.next_attempt_at <= now)


def has_due(db: Database, subscription_id: int, *, now: datetime) -> bool:
    """Whether the subscription has a delivery due now."""
    with db.read() as session:
        return session.scalar(select(Delivery.id).where(
            Delivery.subscription_id == subscription_id, *_due(now)).limit(1)) is not None


def due_subscriptions(db: Database, *, now: datetime) -> list[int]:
    """Subscriptions with a delivery due now."""
    with db.read() as session:
        return list(session.scalars(
            select(Delivery.subscription_id).where(*_due(now)).distinct()
            .order_by(Delivery.subscription_id)).all())


def _send(client: httpx.Client, url: str, secret: str, delivery_id: int, public: EventPublic,
          now: datetime, *, allow_loopback: bool) -> tuple[int | None, str]:
    """One attempt. The callback URL is checked again first (see
    :mod:`midcorridor.service.callbacks`): a refused one is a failed attempt, nothing sent.
    """
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
        response = post_callback(client, url, content=body, headers=headers,
                                 allow_loopback=allow_loopback)
    except CallbackRefused as exc:
        return None, f"refused: {exc}"[:500]
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return response.status_code, "" if response.is_success else f"HTTP {response.status_code}"


def _record(session: Session, delivery: Delivery, code: int | None, error: str, *,
            now: datetime, max_attempts: int, backoff_s: float) -> None:
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


def deliver_subscription(
    db: Database,
    client: httpx.Client,
    subscription_id: int,
    *,
    max_attempts: int,
    backoff_s: float,
    now: datetime | None = None,
    lease_s: float | None = None,
    limit: int = 1000,
) -> DrainOutcome:
    """Send the subscription's due deliveries in order, each recorded as it is attempted.

    Stops at the first failure (the receiver is likely down; its next try waits for the
    back-off of ``backoff_s * 2**(attempts-1)`` seconds, until ``max_attempts``, then the
    delivery is ``failed``). ``now`` fixes the clock (tests); ``lease_s`` renews the lease
    before each attempt. HTTP happens outside any database transaction.
    """
    attempted = 0
    while attempted < limit:
        at = now or _now()
        with db.read() as session:
            row = session.execute(
                select(Delivery.id, Subscription.callback_url, Subscription.secret, Event)
                .join(Subscription, Subscription.id == Delivery.subscription_id)
                .join(Event, Event.id == Delivery.event_id)
                .where(Delivery.subscription_id == subscription_id, *_due(at))
                .order_by(Delivery.next_attempt_at, Delivery.id).limit(1)
            ).first()
            if row is None:
                break
            delivery_id, url, secret, public = row[0], row[1], row[2], event_public(row[3])
        if lease_s is not None:
            with db.write() as session:
                session.execute(update(Subscription).where(Subscription.id == subscription_id)
                                .values(delivery_lease_until=at + timedelta(seconds=lease_s)))
        code, error = _send(client, url, secret, delivery_id, public, at,
                            allow_loopback=db.settings.callback_allow_loopback)
        attempted += 1
        with db.write() as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is not None:
                _record(session, delivery, code, error, now=now or _now(),
                        max_attempts=max_attempts, backoff_s=backoff_s)
        if error:
            break
    with db.read() as session:
        retry_at = session.scalar(select(func.min(Delivery.next_attempt_at)).where(
            Delivery.subscription_id == subscription_id, Delivery.status == "pending"))
    if retry_at is not None and retry_at <= (now or _now()):
        retry_at = None  # due already: whoever woke us looks again
    return DrainOutcome(attempted, retry_at)


def deliver_due(
    db: Database,
    client: httpx.Client,
    *,
    now: datetime,
    max_attempts: int,
    backoff_s: float,
) -> int:
    """Deliver to every subscription with something due, one after another (the sweep and
    tests; the worker delivers to each subscription on its own thread). Returns attempts.
    """
    return sum(
        deliver_subscription(db, client, sub_id, now=now, max_attempts=max_attempts,
                             backoff_s=backoff_s).attempted
        for sub_id in due_subscriptions(db, now=now)
    )
