"""A planned leg as the live corridor reads it, for tests that build shipments by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class PlannedLeg:
    """One planned leg: the fields the live state and the ETA read from a stored leg."""

    origin: str
    destination: str
    mode: str
    planned_depart: datetime
    planned_arrive: datetime
