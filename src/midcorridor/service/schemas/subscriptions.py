"""Subscriptions to a shipment's events and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from midcorridor.service.schemas.fields import Id


class SubscriptionCreate(BaseModel):
    """A new webhook subscription to a shipment's events."""

    shipment_id: Id
    callback_url: Annotated[
        str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s/$.?#][^\s]*$")
    ]
    secret: Annotated[str, StringConstraints(min_length=16, max_length=100)] | None = None


class SubscriptionPublic(BaseModel):
    """A webhook subscription, without its secret."""

    id: int
    shipment_id: int
    callback_url: str
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    """A subscription just created, with its signing secret."""

    secret: str = Field(description="The HMAC-SHA256 key of the deliveries; shown once.")


class SubscriptionsPublic(BaseModel):
    """A page of subscriptions."""

    data: list[SubscriptionPublic]
    count: int


class DeliveryPublic(BaseModel):
    """One delivery of an event to a subscription, with its attempts."""

    id: int
    subscription_id: int
    event_id: int
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None


class DeliveriesPublic(BaseModel):
    """A page of deliveries."""

    data: list[DeliveryPublic]
    count: int = Field(description="How many there are in all (not only on this page).")


