"""Track-and-trace events, one at a time or in bulk, and a shipment with its events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from midcorridor.service.schemas.fields import (
    DOCUMENT_TYPES,
    EVENT_CODES,
    ClientEventId,
    EventType,
    Id,
    Instant,
    Locode,
    Text100,
    normalize_container,
)
from midcorridor.service.schemas.shipments import ShipmentPublic


class EventCreate(BaseModel):
    """An operator event in the shape of DCSA Track & Trace: on a shipment, or without one a
    Caspian vessel's own call (a TRANSPORT event with the vessel as ``vehicle``).
    """

    model_config = ConfigDict(str_strip_whitespace=True)

    event_id: ClientEventId = Field(description="The client's id; posting it again is a no-op.")
    event_type: EventType
    event_code: Annotated[str, StringConstraints(min_length=4, max_length=4)]
    classifier: Literal["ACT", "EST", "PLN"] = "ACT"
    event_time: Instant
    location: Locode
    vehicle: Text100 = ""
    shipment_id: Id | None = Field(
        None, validate_default=True,
        description="The shipment the event is on; none for a Caspian vessel's own call (an "
        "arrival or sailing reported by its port or its line, laden or empty), a TRANSPORT "
        "event whose vehicle is the vessel.")
    mode: Literal["rail", "road", "sea", "ferry"] | None = None
    equipment_reference: str | None = None
    document_type: str | None = None
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    facility: Literal["anchorage", "berth"] | None = Field(
        None, description="Where a vessel arrived (ARRI): at the port's anchorage, waiting for "
        "a berth, or at a berth.")

    @field_validator("event_code")
    @classmethod
    def _code_fits_type(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("event_type")
        if kind is not None and value not in EVENT_CODES[kind]:
            allowed = ", ".join(sorted(EVENT_CODES[kind]))
            raise ValueError(f"{value!r} is not a {kind.value} event code; use one of {allowed}")
        return value

    @field_validator("shipment_id")
    @classmethod
    def _call_without_shipment(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("event_type")
        if value is None and kind is not None and (
                kind is not EventType.TRANSPORT or not info.data.get("vehicle")):
            raise ValueError("give the shipment's id; only a vessel's own call (a TRANSPORT "
                             "event with the vessel as vehicle) is reported without one")
        return value

    @field_validator("facility")
    @classmethod
    def _arrival_facility(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("event_code", "ARRI") != "ARRI":
            raise ValueError("facility tells where a vessel arrived: give it only with ARRI")
        return value

    @field_validator("equipment_reference")
    @classmethod
    def _container(cls, value: str | None) -> str | None:
        return None if value is None else normalize_container(value)

    @field_validator("document_type")
    @classmethod
    def _document(cls, value: str | None) -> str | None:
        if value is not None and value not in DOCUMENT_TYPES:
            known = ", ".join(sorted(DOCUMENT_TYPES))
            raise ValueError(f"unknown document type; use one of {known}")
        return value

    @field_validator("event_time")
    @classmethod
    def _not_far_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        limit = datetime.now(UTC) + timedelta(hours=1)
        if info.data.get("classifier", "ACT") == "ACT" and value > limit:
            raise ValueError("an actual (ACT) event cannot happen in the future")
        return value


class EventPublic(BaseModel):
    """A stored event."""

    id: int
    event_id: str
    shipment_id: int | None = Field(description="None for a vessel's own call.")
    reporting_org_id: int
    event_type: str
    event_code: str
    classifier: str
    event_time: datetime
    received_at: datetime
    location: str
    vehicle: str
    mode: str | None
    equipment_reference: str | None
    document_type: str | None
    description: str
    off_route: bool
    facility: str | None = None


class EventsPublic(BaseModel):
    """A page of events."""

    data: list[EventPublic]
    count: int = Field(description="How many there are in all (not only on this page).")


class ShipmentDetail(ShipmentPublic):
    """A shipment with its first events."""

    events: list[EventPublic] = Field(
        description="The first events in event-time order (at most 1000); page through all of "
        "them with GET /shipments/{id}/events.")
    events_count: int = Field(description="How many events the shipment has in all.")


class BulkEventsCreate(BaseModel):
    """Events sent together; each is accepted or refused on its own."""

    events: list[EventCreate] = Field(min_length=1, max_length=1000)


class BulkItem(BaseModel):
    """What became of one event of a bulk request."""

    event_id: str
    status: Literal["created", "duplicate", "rejected"]
    id: int | None = None
    off_route: bool = False
    error: str = ""


class BulkResult(BaseModel):
    """What became of a bulk request's events, counted and one by one."""

    created: int
    duplicates: int
    rejected: int
    results: list[BulkItem]


