"""What-if runs on the live corridor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field


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


