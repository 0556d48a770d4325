"""Port queues and dwell, the route planner and the crossing optimizer's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, Strict, StringConstraints

from midcorridor.crossing.result import PlanFigures
from midcorridor.service.schemas.fields import Instant
from midcorridor.service.schemas.shipments import LegIn


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


class CrossingFigures(PlanFigures):
    """The objective and waiting figures of a crossing plan."""


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
    plan_from: Literal["optimizer", "fifo", "fifo_voyages"] = Field(
        "optimizer", description="`fifo` when the solver found nothing better than first come, "
        "first served in time and FIFO's plan is shown; `fifo_voyages` (rotation mode) when "
        "the plan sails FIFO's voyages with the cargo loaded by the optimizer")
    notes: list[str] = Field(default_factory=list, description="How the plan was found.")


