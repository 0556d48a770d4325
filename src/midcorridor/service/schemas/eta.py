"""ETA forecasts, their history, and alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


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
    eta_before_p10: bool = Field(
        False, description="Whether eta lies before eta_p10: the spread knows a delay the plan "
                           "does not show yet (a posted closure, a queue, a long silence); "
                           "eta_note says which step.")
    eta_note: str | None = Field(
        None, description="Why eta lies before eta_p10 (null when it does not).")
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


