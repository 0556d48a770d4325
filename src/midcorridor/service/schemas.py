"""Pydantic API shapes, one family per resource: ``XCreate`` in, ``XPublic``/``XsPublic`` out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from midcorridor import iso6346
from midcorridor.errors import InputError

# UN/LOCODE-like place ids: country + three letters/digits (e.g. KZAAU Aktau, AZBAK Baku).
Locode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{3}$")]
# Planned legs may pass through network nodes that are not LOCODEs (e.g. sea waypoints).
NodeId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Za-z0-9_.-]{1,9}$")]
Text100 = Annotated[str, StringConstraints(max_length=100)]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first problem of a failed validation: the field's dotted path (may be empty) and
    what is wrong with it.
    """
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]), first["msg"]



def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("holds a NUL character (%00), which no stored text can match; remove it")
    return value


# Text searched for in the database (PostgreSQL text can never hold a NUL character).
SearchText = Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_nul)]
# Numbers are JSON numbers: ``true`` is not 1 and ``"5"`` is not 5 (strict, no coercion).
# Database ids fit a 32-bit signed integer on every backend.
Id = Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)]
Flag = Annotated[bool, Strict()]

# Every timestamp the service stores or plans with lies in these years (UTC): enough for any
# real shipment, and far from the ends of the datetime range, so offsets and delays added to
# it can never overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _in_service_years(value: datetime) -> datetime:
    try:
        year = value.astimezone(UTC).year
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR} (UTC)")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_service_years)]
# A planned route longer than this is a typing error, not a plan.
MAX_PLAN_DAYS = 366
ClientEventId = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:/-]+$")
]


class OrgKind(StrEnum):
    """What kind of organization an account belongs to."""

    shipper = "shipper"
    forwarder = "forwarder"
    operator = "operator"
    coordinator = "coordinator"


class EventType(StrEnum):
    """The event classes of the track-and-trace feed."""

    TRANSPORT = "TRANSPORT"
    EQUIPMENT = "EQUIPMENT"
    SHIPMENT = "SHIPMENT"


# DCSA Track & Trace event type codes per event type.
EVENT_CODES: dict[EventType, frozenset[str]] = {
    EventType.TRANSPORT: frozenset({"ARRI", "DEPA"}),
    EventType.EQUIPMENT: frozenset({"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP", "INSP"}),
    # SUBM = lodged/submitted, HOLD, RELS = released, ISSU = issued, RECE = received.
    EventType.SHIPMENT: frozenset({"RECE", "SUBM", "HOLD", "RELS", "ISSU", "CONF"}),
}
DOCUMENT_TYPES = frozenset({"CUS", "BOL", "SMG", "CIM", "CMR", "INV", "PKL", "SWB"})
MODES = ("rail", "road", "sea", "ferry")


def _normalize_container(value: str) -> str:
    try:
        return iso6346.normalize(value)
    except InputError as exc:
        raise ValueError(str(exc)) from None


# -- organizations, users, tokens -------------------------------------------------------------


class OrganizationCreate(BaseModel):
    """A new organization."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: OrgKind
    places: list[NodeId] = Field(default_factory=list, max_length=500)


class OrganizationPublic(BaseModel):
    """An organization."""

    id: int
    name: str
    kind: OrgKind
    places: list[str]


class OrganizationsPublic(BaseModel):
    """A page of organizations."""

    data: list[OrganizationPublic]
    count: int


class UserCreate(BaseModel):
    """A new user of an organization."""

    org_id: Id
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]{1,189}$")]
    name: Annotated[str, StringConstraints(max_length=200)] = ""
    is_admin: Flag = False


class UserPublic(BaseModel):
    """A user."""

    id: int
    org_id: Id
    email: str
    name: str
    is_admin: bool
    role: str


class UsersPublic(BaseModel):
    """A page of users."""

    data: list[UserPublic]
    count: int


class TokenCreate(BaseModel):
    """A new API token for a user."""

    user_id: Id
    name: Annotated[str, StringConstraints(max_length=200)] = ""


class TokenPublic(BaseModel):
    """An API token, without its secret."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    """A token just created, with its secret."""

    token: str = Field(description="The secret; shown once, stored only as a hash.")


class TokensPublic(BaseModel):
    """A page of API tokens."""

    data: list[TokenPublic]
    count: int


# -- shipments ---------------------------------------------------------------------------------


class LegIn(BaseModel):
    """A planned leg of a new shipment."""

    origin: NodeId
    destination: NodeId
    mode: Literal["rail", "road", "sea", "ferry"]
    planned_depart: Instant
    planned_arrive: Instant
    distance_km: Annotated[float, Strict(), Field(ge=0, le=50_000)] | None = None
    link_id: Text100 | None = None

    @model_validator(mode="after")
    def _times_in_order(self) -> LegIn:
        if self.planned_arrive < self.planned_depart:
            raise ValueError("planned_arrive is before planned_depart")
        return self


class LegPublic(LegIn):
    """A planned leg with its place in the plan."""

    seq: int


class CargoIn(BaseModel):
    """What a new shipment carries."""

    units: Annotated[int, Strict(), Field(ge=0, le=100_000)] = 0
    weight_kg: Annotated[float, Strict(), Field(ge=0, le=1e8)] = 0.0
    teu: Annotated[float, Strict(), Field(ge=0, le=100_000)] = 0.0
    containers: list[str] = Field(default_factory=list, max_length=1000)

    @field_validator("containers")
    @classmethod
    def _iso6346(cls, value: list[str]) -> list[str]:
        return [_normalize_container(v) for v in value]


class ShipmentCreate(BaseModel):
    """Either ``legs`` (the planned route) or ``plan: true`` with ``depart`` for the planner."""

    reference: Text100 = ""
    origin: NodeId
    destination: NodeId
    cargo: CargoIn = Field(default_factory=CargoIn)
    legs: list[LegIn] | None = Field(default=None, max_length=200)
    plan: Flag = False
    depart: Instant | None = None
    alert_threshold_h: Annotated[float, Strict(), Field(gt=0, le=24 * 365)] | None = None
    priority: Annotated[int, Strict(), Field(ge=1, le=3, description="1 normal to 3 urgent: "
                                   "how much its waiting weighs in a crossing plan.")] = 1

    @model_validator(mode="after")
    def _route_is_consistent(self) -> ShipmentCreate:
        if self.plan:
            if self.legs:
                raise ValueError("give either legs or plan: true, not both")
            if self.depart is None:
                raise ValueError("depart is required with plan: true")
            return self
        if not self.legs:
            raise ValueError("legs is required (at least one leg) unless plan is true")
        if self.legs[0].origin != self.origin:
            raise ValueError("legs[0].origin must equal origin")
        if self.legs[-1].destination != self.destination:
            raise ValueError("the last leg's destination must equal destination")
        for i, (a, b) in enumerate(zip(self.legs, self.legs[1:], strict=False)):
            if a.destination != b.origin:
                raise ValueError(f"legs[{i + 1}].origin must equal legs[{i}].destination")
            if b.planned_depart < a.planned_arrive:
                raise ValueError(f"legs[{i + 1}] departs before legs[{i}] arrives")
        days = (self.legs[-1].planned_arrive - self.legs[0].planned_depart).total_seconds() / 86400
        if days > MAX_PLAN_DAYS:
            raise ValueError(
                f"the planned legs span {days:.0f} days (legs[0].planned_depart to "
                f"legs[{len(self.legs) - 1}].planned_arrive); a route may span at most "
                f"{MAX_PLAN_DAYS} days")
        return self


class CargoPublic(BaseModel):
    """What a shipment carries."""

    units: int
    weight_kg: float
    teu: float
    containers: list[str]


class ShipmentPublic(BaseModel):
    """A shipment with its plan and where it is."""

    id: int
    org_id: int
    reference: str
    origin: str
    destination: str
    cargo: CargoPublic
    legs: list[LegPublic]
    corridor: Literal["Middle", "Northern", "Sea", "Direct"] = Field(
        description="The corridor family of the planned route.")
    status: str
    planned_arrival: datetime
    eta: datetime
    delay_h: float
    last_seen_at: datetime | None
    created_at: datetime


class ShipmentPositionPublic(BaseModel):
    """Where a shipment is on the map: at ``place``, or between it and ``toward``."""

    id: int
    reference: str
    status: str
    delay_h: float
    place: str
    toward: str | None
    lat: float
    lon: float


class ShipmentPositionsPublic(BaseModel):
    """The caller's shipments that have not arrived, as points."""

    data: list[ShipmentPositionPublic]
    count: int = Field(description="How many match in all (not only those drawn).")


class ShipmentsPublic(BaseModel):
    """A page of shipments."""

    data: list[ShipmentPublic]
    count: int = Field(description="How many there are in all (not only on this page).")


# -- events --------------------------------------------------------------------------------


class EventCreate(BaseModel):
    """An operator event in the shape of DCSA Track & Trace."""

    model_config = ConfigDict(str_strip_whitespace=True)

    event_id: ClientEventId = Field(description="The client's id; posting it again is a no-op.")
    shipment_id: Id
    event_type: EventType
    event_code: Annotated[str, StringConstraints(min_length=4, max_length=4)]
    classifier: Literal["ACT", "EST", "PLN"] = "ACT"
    event_time: Instant
    location: Locode
    vehicle: Text100 = ""
    mode: Literal["rail", "road", "sea", "ferry"] | None = None
    equipment_reference: str | None = None
    document_type: str | None = None
    description: Annotated[str, StringConstraints(max_length=500)] = ""

    @field_validator("event_code")
    @classmethod
    def _code_fits_type(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("event_type")
        if kind is not None and value not in EVENT_CODES[kind]:
            allowed = ", ".join(sorted(EVENT_CODES[kind]))
            raise ValueError(f"{value!r} is not a {kind.value} event code; use one of {allowed}")
        return value

    @field_validator("equipment_reference")
    @classmethod
    def _container(cls, value: str | None) -> str | None:
        return None if value is None else _normalize_container(value)

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
    shipment_id: int
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


# -- ETA and alerts ----------------------------------------------------------------------------


class EtaSegmentPublic(BaseModel):
    """The expected hours of one remaining leg or stop."""

    segment: str = Field(description="A leg 'KZAAU-AZALT' or a stop 'at KZAAU'.")
    p50_h: float
    p90_h: float
    reason: str


class EtaPublic(BaseModel):
    """A shipment's ETA, its spread and what it rests on."""

    shipment_id: int
    eta: datetime = Field(description="The single best estimate: planned arrival plus the delay "
                                      "observed or estimated so far; eta_p90 is never earlier."
                                      )
    planned_arrival: datetime
    delay_h: float
    status: str
    eta_p10: datetime | None
    eta_p50: datetime | None
    eta_p90: datetime | None
    segments: list[EtaSegmentPublic] = Field(
        description="Hours each remaining step should take (median and 90th percentile).")


class EtaRecordPublic(BaseModel):
    """An ETA as it was computed at one time."""

    computed_at: datetime
    eta: datetime
    delay_h: float
    event_id: int | None
    p10: datetime | None = None
    p50: datetime | None = None
    p90: datetime | None = None


class EtaHistoryPublic(BaseModel):
    """A shipment's ETAs over time."""

    data: list[EtaRecordPublic]
    count: int


class AlertPublic(BaseModel):
    """An alert about a shipment: its ETA slipped or its events went silent."""

    id: int
    shipment_id: int
    kind: Literal["eta_slip", "silent"]
    created_at: datetime
    message: str
    slip_h: float | None


class AlertsPublic(BaseModel):
    """A page of alerts."""

    data: list[AlertPublic]
    count: int = Field(description="How many there are in all (not only on this page).")


# -- subscriptions -----------------------------------------------------------------------------


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


# -- aggregates and planner --------------------------------------------------------------------


class PortQueue(BaseModel):
    """Shipments waiting at one location."""

    location: str
    waiting: int = Field(description="Shipments whose last transport event there is an arrival.")
    oldest_arrival: datetime | None
    mean_wait_h: float


class PortQueuesPublic(BaseModel):
    """Shipments waiting, per location."""

    data: list[PortQueue]
    count: int


class Dwell(BaseModel):
    """How long shipments stayed at one location."""

    location: str
    shipments: int
    mean_dwell_h: float
    max_dwell_h: float


class DwellPublic(BaseModel):
    """Dwell times, per location."""

    data: list[Dwell]
    count: int


class PlanRequest(BaseModel):
    """What to plan: from, to, when and how much."""

    origin: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    destination: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    depart: Instant
    teu: Annotated[float, Strict(), Field(gt=0, le=10_000)] = 1.0


class PlanPublic(BaseModel):
    """The planner's options, each as a list of legs."""

    options: list[list[LegIn]]


class CrossingRequest(BaseModel):
    """A seeded crossing instance generated from the data set, solved within the time limit."""

    days: Annotated[float, Strict(), Field(ge=1, le=14)] = 7.0
    seed: Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)] = 0
    mode: Literal["assignment", "rotation"] = "assignment"
    time_limit_s: Annotated[float, Strict(), Field(gt=0, le=30)] = 5.0


class CrossingFigures(BaseModel):
    """The objective and waiting figures of a crossing plan."""

    objective: float
    mean_wait_hours: float
    p95_wait_hours: float
    left_behind_units: int
    assigned_units: int
    sailings: int


class CrossingPublic(BaseModel):
    """The crossing optimizer's answer."""

    mode: str
    status: str
    objective: float
    gap: float
    seconds: float
    bookings: int
    plan: CrossingFigures
    fifo: CrossingFigures
    mean_wait_reduction: float
    plan_from: Literal["optimizer", "fifo"] = Field(
        "optimizer", description="`fifo` when the solver found nothing better than first come, "
        "first served in time and FIFO's plan is shown")
    notes: list[str] = Field(default_factory=list, description="How the plan was found.")


# -- live corridor ---------------------------------------------------------------------------


class UnitsPublic(BaseModel):
    """Units per Caspian deck unit type."""

    railcar: int
    teu: int
    truck: int


class PortClosurePost(BaseModel):
    """Close a Caspian port, or every one (``caspian``), from ``start`` to ``end``."""

    place: Annotated[str, StringConstraints(min_length=2, max_length=20)] = Field(
        description="A Caspian port's id (e.g. KZAAU) or caspian for the whole sea.")
    start: Instant | None = Field(None, description="Default: now.")
    end: Instant
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500,
                                             strip_whitespace=True)] = Field(
        description="Why, for the people who plan around it (e.g. storm warning).")


class PortClosurePublic(BaseModel):
    """A posted closure; ``status`` is current, upcoming, ended or cancelled."""

    id: int
    place: str
    name: str
    start: datetime
    end: datetime
    reason: str
    status: Literal["current", "upcoming", "ended", "cancelled"]
    organization_id: int
    created_at: datetime
    cancelled_at: datetime | None = None


class ClosureInForcePublic(BaseModel):
    """A posted closure holding at a port (``place`` is the port or ``caspian``)."""

    id: int
    place: str
    start: datetime
    end: datetime
    reason: str


class PortStatePublic(BaseModel):
    """A Caspian port now: cargo waiting and vessels at berth."""

    place: str
    name: str
    waiting: UnitsPublic
    shipments: list[int] = Field(description="Ids of the shipments waiting there.")
    oldest_wait_h: float | None
    arriving_next_72h: UnitsPublic
    arriving_shipments: list[int]
    closure: ClosureInForcePublic | None = Field(
        None, description="The posted closure in force there (the port's own or the whole "
                          "Caspian's), if any.")


class VesselStatePublic(BaseModel):
    """A vessel now: at berth, at sea, or unknown."""

    id: str
    name: str
    status: Literal["at_berth", "at_sea", "unknown"]
    place: str
    since: datetime | None


class SegmentStatePublic(BaseModel):
    """Cargo on its way between two ports."""

    origin: str
    destination: str
    units: UnitsPublic
    shipments: int = Field(description="How many shipments are on the leg.")


class CorridorStatePublic(BaseModel):
    """The live corridor: ports, vessels and cargo on the way."""

    as_of: datetime
    ports: list[PortStatePublic]
    vessels: list[VesselStatePublic]
    segments: list[SegmentStatePublic]


class ClosureIn(BaseModel):
    """A Caspian port (or ``caspian``: every one) closed for ``hours`` from ``start``."""

    place: Annotated[str, StringConstraints(min_length=2, max_length=20)]
    start: Instant | None = Field(None, description="Default: the plan's start (now).")
    hours: Annotated[float, Strict(), Field(gt=0, le=24 * 14)]


class FleetChanges(BaseModel):
    """Vessels taken out of service for a crossing plan."""

    out_of_service: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = \
        Field(default_factory=list, max_length=100,
              description="Vessel ids or names (e.g. Merkuriy-1) that will not sail.")


class CrossingPlanRequest(BaseModel):
    """Plan the Caspian crossings of the cargo waiting and due within the horizon."""

    horizon_days: Annotated[float, Strict(), Field(ge=0.5, le=14)] = 3.0
    mode: Literal["assignment", "rotation"] = "assignment"
    time_limit_s: Annotated[float, Strict(), Field(gt=0, le=120)] = 20.0
    closures: list[ClosureIn] = Field(default_factory=list, max_length=50)
    fleet: FleetChanges = Field(default_factory=FleetChanges)


class PlanAssignmentPublic(BaseModel):
    """Units of one shipment on one sailing."""

    shipment_id: int
    sailing: str
    units: int


class PlanSailingPublic(BaseModel):
    """A sailing of a crossing plan."""

    id: str
    vessel: str
    vessel_name: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    units: int = Field(description="Units (railcars, TEU or trucks) the plan puts on it.")
    shipments: int = Field(description="How many shipments the plan puts on it.")


class PlanFiguresPublic(CrossingFigures):
    """A published plan's figures: the same as the optimizer's, under the plan's own name."""


class CrossingPlanPublic(BaseModel):
    """A stored crossing plan: its sailings and who goes on them."""

    id: int
    created_at: datetime
    start: datetime
    horizon_h: float
    job_id: int | None
    solver: str
    mode: str
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    mean_wait_hours: float
    p95_wait_hours: float
    left_behind_units: int
    assigned_units: int
    mean_wait_reduction: float = Field(description="Share of FIFO's mean wait saved.")
    fifo: PlanFiguresPublic
    bookings: int
    assignments: list[PlanAssignmentPublic]
    sailings: list[PlanSailingPublic]
    notes: list[str]


class HealthPublic(BaseModel):
    """Whether the service, its database and the planner can answer."""

    status: str
    database: str
    planner: bool


class JobAccepted(BaseModel):
    """A job was queued: follow it at ``url``."""

    job_id: int
    kind: str
    status: Literal["queued"] = "queued"
    url: str


class JobPublic(BaseModel):
    """A job's state: ``progress`` is 0..1; ``result`` when succeeded, ``error`` when failed."""

    id: int
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: float
    progress_message: str
    organization_id: int
    requested_by: int | None
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# -- what if -----------------------------------------------------------------------------------


class WhatIfRequest(BaseModel):
    """Simulate ``days`` from the live corridor with ``changes``, against doing nothing.

    ``changes``: ``vessels_out`` (names), ``vessels_added`` (``line``, ``name``, ``railcars``,
    ``teu``, ``trucks``), ``closures`` (``place``: a port or ``caspian``, ``hours``,
    ``start_h``), ``berths`` and ``handling_h`` per port, ``border_dwell_h`` per border.
    """

    days: Annotated[float, Field(gt=0, le=30)] = 7.0
    replications: Annotated[int, Field(ge=2, le=100)] = 10
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    changes: dict[str, Any] = Field(default_factory=dict)


class EstimatePublic(BaseModel):
    """A mean over replications with its 95% interval (``null`` bounds for one value)."""

    mean: float | None
    ci95: list[float | None] = Field(min_length=2, max_length=2)
    n: int


class KpiDeltaPublic(BaseModel):
    """One KPI doing nothing, with the change, and the paired difference."""

    kpi: str
    measures: str
    base: EstimatePublic = Field(description="Doing nothing.")
    changed: EstimatePublic = Field(description="With the change.")
    delta: EstimatePublic = Field(description="Changed minus base, paired per replication.")


class ShipmentShiftPublic(BaseModel):
    """A shipment of the corridor now whose median arrival the change moves."""

    shipment: str
    reference: str = ""
    base_p50_h: float | None = Field(description="Median hours to arrival, doing nothing.")
    changed_p50_h: float | None
    shift_h: float | None = Field(description="null when it arrives past the horizon.")


class WhatIfResultPublic(BaseModel):
    """A finished what-if: KPI deltas with 95% intervals and the shipments moved most."""

    days: float
    replications: int
    seed: int
    backend: str
    as_of: datetime
    shipments_in_state: int
    shipments_left_out: int
    vessels_placed: int
    kpis: list[KpiDeltaPublic]
    shipments: list[ShipmentShiftPublic]


class WhatIfVesselPublic(BaseModel):
    """A vessel of the simulated fleet and the line it sails."""

    name: str
    line: str


class WhatIfPlacePublic(BaseModel):
    """A Caspian port a what-if may close."""

    id: str
    name: str


class WhatIfOptionsPublic(BaseModel):
    """What a what-if may change: the simulated fleet and the Caspian ports."""

    vessels: list[WhatIfVesselPublic]
    places: list[WhatIfPlacePublic]


# -- experiment comparison ---------------------------------------------------------------------


ExperimentId = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class CompareRequest(BaseModel):
    """Compare the simulator's experiments with the baseline, with common random numbers."""

    experiments: list[ExperimentId] = Field(min_length=1, max_length=10,
                                            description="Experiment ids from GET /experiments.")
    replications: Annotated[int, Strict(), Field(ge=2, le=30)] = 5
    seed: Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)] = 0


class ExperimentPublic(BaseModel):
    """An experiment of the simulator (a file of ``experiments/``)."""

    id: str
    name: str
    description: str


class ExperimentsPublic(BaseModel):
    """The simulator's experiments and the one comparisons are against."""

    data: list[ExperimentPublic]
    baseline: str = Field(description="The experiment every comparison is against.")


class SpreadPublic(BaseModel):
    """Mean, median and 95th percentile of a figure, each over replications."""

    mean: EstimatePublic
    p50: EstimatePublic
    p95: EstimatePublic


class ExperimentKpisPublic(BaseModel):
    """An experiment's headline KPIs (see ``docs/simulation.md``)."""

    transit_days: SpreadPublic
    caspian_wait_hours: EstimatePublic
    throughput_teu: EstimatePublic
    cargo_in_system_teu: EstimatePublic


class BottleneckPublic(BaseModel):
    """A place ranked by the waiting it adds per TEU delivered."""

    rank: int
    place: str
    name: str
    kind: str
    delay_hours_per_teu: EstimatePublic
    utilization: float | None


class ExperimentSummaryPublic(BaseModel):
    """One experiment's KPIs, bottlenecks and warnings."""

    id: str
    experiment: str
    description: str
    replications: int
    horizon_days: float
    warmup_days: float
    kpis: ExperimentKpisPublic
    bottlenecks: list[BottleneckPublic]
    warnings: list[str]


class DifferencePublic(BaseModel):
    """An experiment minus the baseline, paired per replication."""

    experiment: str
    against: str
    transit_days_mean: EstimatePublic
    transit_days_p95: EstimatePublic
    caspian_wait_hours: EstimatePublic
    throughput_teu: EstimatePublic


class ComparisonPublic(BaseModel):
    """Experiments side by side (the baseline first) and their differences to the baseline."""

    seed: int
    replications: int
    experiments: list[ExperimentSummaryPublic]
    differences: list[DifferencePublic]


# -- network and route options for the web app --------------------------------------------------


class ScenarioPublic(BaseModel):
    """A network scenario that can be planned with."""

    id: str
    name: str
    status: str
    expected: str


class ScenariosPublic(BaseModel):
    """The network scenarios."""

    data: list[ScenarioPublic]
    count: int


class PlaceHit(BaseModel):
    """A place that matches a search."""

    id: str
    name: str
    matched: str = Field(description="The name or alias that matched the query.")
    country: str
    kind: str
    score: float = Field(description="How well ``matched`` fits the query, out of 100.")


class PlaceHitsPublic(BaseModel):
    """Places that match a search, best first."""

    data: list[PlaceHit]
    count: int


Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
ScenarioId = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class RouteRequest(BaseModel):
    """Door-to-door options between two places (ids, names or aliases)."""

    origin: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    destination: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    depart: AwareDatetime
    teu: Annotated[float, Field(gt=0, le=10_000)] | None = None
    tonnes: Annotated[float, Field(gt=0, le=120_000)] | None = None
    objective: Literal["time", "cost", "co2"] = "time"
    avoid_countries: list[Country] = Field(default_factory=list, max_length=50)
    avoid_modes: list[Literal["rail", "road", "sea", "ferry"]] = Field(
        default_factory=list, max_length=4)
    scenarios: list[ScenarioId] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _one_amount(self) -> RouteRequest:
        if self.teu is not None and self.tonnes is not None:
            raise ValueError("give teu or tonnes, not both")
        return self


class RouteLegPublic(BaseModel):
    """One leg of a route option."""

    origin: str
    destination: str
    mode: str
    depart: datetime
    arrive: datetime
    distance_km: float
    dwell_h: float = Field(description="Handling, border or gauge-change dwell before leaving.")
    wait_h: float = Field(description="Waiting for the next sailing or train.")
    cost_usd: float
    co2e_kg: float
    service_id: str | None
    transshipment: bool


class RouteOptionPublic(BaseModel):
    """A route option with its totals."""

    rank: int
    corridor: str
    family: str
    pareto: bool = Field(description="False: the best of its family, dominated by another.")
    total_hours: float
    cost_usd: float
    co2e_kg: float = Field(description="Well-to-wheel CO2e (ISO 14083) of the shipment.")
    transshipments: int
    borders: int
    distance_km: float
    legs: list[RouteLegPublic]
    assumptions: list[str]


class RoutesPublic(BaseModel):
    """The planner's route options between two places."""

    origin: str
    destination: str
    cargo_teu: float
    options: list[RouteOptionPublic]
    geojson: dict[str, object] = Field(description="One LineString per option, by rank.")
