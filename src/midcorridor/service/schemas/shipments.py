"""Shipments: their planned legs and cargo, positions and pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, Strict, field_validator, model_validator

from midcorridor.service.schemas.fields import (
    MAX_PLAN_DAYS,
    Flag,
    Instant,
    NodeId,
    Text100,
    normalize_container,
)


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
        return [normalize_container(v) for v in value]


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


