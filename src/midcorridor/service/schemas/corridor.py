"""The live corridor: port and vessel states, closures and published crossing plans."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, Strict, StringConstraints

from midcorridor.service.schemas.fields import Instant
from midcorridor.service.schemas.planner import CrossingFigures


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
    """A vessel now: at berth, anchored off a port (waiting for a berth), at sea, or unknown;
    from its last transport event, its own call or one of its cargo's.
    """

    id: str
    name: str
    status: Literal["at_berth", "anchored", "at_sea", "unknown"]
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


