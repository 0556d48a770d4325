"""Subscriptions: callback URLs receiving a shipment's events, and their delivery log."""

from __future__ import annotations

import secrets

from fastapi import APIRouter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from midcorridor.service import callbacks
from midcorridor.service.access import Action, Principal
from midcorridor.service.db.models import Delivery, Subscription
from midcorridor.service.deps import (
    PathId,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    require,
    utcnow,
)
from midcorridor.service.http_errors import answers, found_or_404
from midcorridor.service.paging import Limit, Skip
from midcorridor.service.public import subscription_public
from midcorridor.service.routes.shipments import visible_or_404
from midcorridor.service.schemas import (
    DeliveriesPublic,
    DeliveryPublic,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionsPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/subscriptions", tags=["subscriptions"])
Subscriber = require(Action.subscribe)


def _own_or_404(session: Session, principal: Principal, subscription_id: int) -> Subscription:
    """The subscription if the caller's organization owns it; otherwise a 404."""
    sub = session.get(Subscription, subscription_id)
    return found_or_404(sub if sub is not None and sub.org_id == principal.org_id else None,
                        "subscription")


@router.post("", status_code=201, responses=answers(404))
def create_subscription(
    body: SubscriptionCreate, session: WriteSessionDep, settings: SettingsDep,
    principal: Principal = Subscriber,
) -> SubscriptionCreated:
    """Register a callback URL (http or https, at a public address) for a shipment's events."""
    visible_or_404(session, principal, body.shipment_id)
    callbacks.check(body.callback_url, allow_loopback=settings.callback_allow_loopback)
    sub = Subscription(org_id=principal.org_id, shipment_id=body.shipment_id,
                       callback_url=body.callback_url,
                       secret=body.secret or secrets.token_urlsafe(24), active=True,
                       created_at=utcnow())
    session.add(sub)
    session.flush()
    return SubscriptionCreated(**subscription_public(sub).model_dump(), secret=sub.secret)


@router.get("")
def list_subscriptions(
    session: SessionDep, principal: Principal = Subscriber,
) -> SubscriptionsPublic:
    """The caller's organization's subscriptions."""
    rows = session.scalars(
        select(Subscription).where(Subscription.org_id == principal.org_id)
        .order_by(Subscription.id)
    ).all()
    return SubscriptionsPublic(data=[subscription_public(s) for s in rows], count=len(rows))


@router.delete("/{subscription_id}")
def cancel_subscription(
    subscription_id: PathId, session: WriteSessionDep, principal: Principal = Subscriber,
) -> SubscriptionPublic:
    """Stop deliveries to a subscription (its log is kept)."""
    sub = _own_or_404(session, principal, subscription_id)
    sub.active = False
    return subscription_public(sub)


@router.get("/{subscription_id}/deliveries")
def list_deliveries(
    subscription_id: PathId, session: SessionDep, principal: Principal = Subscriber,
    skip: Skip = 0, limit: Limit = 100,
) -> DeliveriesPublic:
    """A page of the delivery log (status, attempts and last error of each delivery), and
    how many deliveries there are in all.
    """
    sub = _own_or_404(session, principal, subscription_id)
    rows = session.scalars(
        select(Delivery).where(Delivery.subscription_id == sub.id).order_by(Delivery.id)
        .offset(skip).limit(limit)
    ).all()
    total = session.scalar(select(func.count(Delivery.id))
                           .where(Delivery.subscription_id == sub.id)) or 0
    data = [DeliveryPublic.model_validate(d, from_attributes=True) for d in rows]
    return DeliveriesPublic(data=data, count=total)
