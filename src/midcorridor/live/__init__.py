"""The live corridor: state from operators' events, crossing instances from it, ETA spreads.

Plain functions over small immutable types; the service and the command line call them and
keep every database and HTTP concern to themselves.
"""

from __future__ import annotations

from midcorridor.live.position import (
    ARRIVAL_CODES,
    DEPARTURE_CODES,
    Mark,
    Position,
    furthest,
    milestone_rank,
    whereabouts,
)
from midcorridor.live.state import (
    CorridorState,
    PortState,
    SegmentState,
    UnitCounts,
    VesselState,
    Whereabouts,
    corridor_state,
    crossing_units,
)

__all__ = [
    "ARRIVAL_CODES", "DEPARTURE_CODES", "CorridorState", "Mark", "PortState", "Position",
    "SegmentState", "UnitCounts", "VesselState", "Whereabouts", "corridor_state",
    "crossing_units", "furthest", "milestone_rank", "whereabouts",
]
