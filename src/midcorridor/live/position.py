"""Where a shipment is: the furthest milestone its actual events reach, at any moment.

Milestones follow the planned legs: rank ``2*i`` is leaving the origin of leg ``i``, rank
``2*i + 1`` reaching its destination, and rank -1 being at the origin before leaving it (a truck
gated in at the port its journey starts from). An arrival (ARRI), gate-in (GTIN) or discharge
(DISC) at a leg's destination marks the arrival, at the first leg's origin rank -1; a
departure (DEPA), loading (LOAD) or gate-out (GTOT) at a leg's origin marks the departure.
Only actual (ACT) events count. The position at ``at`` is the greatest (rank, time) among the
marks up to ``at``: a maximum, so the order in which events arrive, and a missing intermediate
event, change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from midcorridor.live.state import Whereabouts, crossing_units

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from midcorridor.crossing.model import UnitType

ARRIVAL_CODES = frozenset({"ARRI", "GTIN", "DISC"})
DEPARTURE_CODES = frozenset({"DEPA", "LOAD", "GTOT"})
WATER_MODES = frozenset({"ferry", "sea"})


class PlannedLeg(Protocol):
    """A planned leg of a shipment, as the service stores it."""

    @property
    def origin(self) -> str:
        """Where the leg starts (node id)."""
    @property
    def destination(self) -> str:
        """Where the leg ends (node id)."""
    @property
    def mode(self) -> str:
        """The leg's mode: rail, road, sea or ferry."""
    @property
    def planned_depart(self) -> datetime:
        """When the leg is planned to leave (UTC)."""
    @property
    def planned_arrive(self) -> datetime:
        """When the leg is planned to arrive (UTC)."""


@dataclass(frozen=True, order=True)
class Position:
    """The furthest milestone reached and when."""

    rank: int
    at: datetime


@dataclass(frozen=True)
class Mark:
    """An actual event reduced to what places a shipment: its code, place and time."""

    code: str
    location: str
    time: datetime


def milestone_rank(legs: Sequence[PlannedLeg], code: str, location: str) -> int | None:
    """The milestone an actual event marks on ``legs``, or None if it marks none."""
    if code in ARRIVAL_CODES:
        for i, leg in enumerate(legs):
            if leg.destination == location:
                return 2 * i + 1
        if legs and legs[0].origin == location:
            return -1
    elif code in DEPARTURE_CODES:
        for i, leg in enumerate(legs):
            if leg.origin == location:
                return 2 * i
    return None


def furthest(legs: Sequence[PlannedLeg], marks: Iterable[Mark],
             at: datetime | None = None) -> Position | None:
    """The position the marks up to ``at`` (all when None) give, or None before any."""
    best: Position | None = None
    for mark in marks:
        if at is not None and mark.time > at:
            continue
        rank = milestone_rank(legs, mark.code, mark.location)
        if rank is None:
            continue
        here = Position(rank, mark.time)
        if best is None or here > best:
            best = here
    return best


def planned_time(legs: Sequence[PlannedLeg], rank: int) -> datetime:
    """The planned time of milestone ``rank`` (rank -1, at the origin: its departure)."""
    if rank < 0:
        return legs[0].planned_depart
    leg = legs[rank // 2]
    return leg.planned_depart if rank % 2 == 0 else leg.planned_arrive


def standing_at(legs: Sequence[PlannedLeg], rank: int) -> str:
    """Where a shipment stands at an odd milestone ``rank`` (an arrival; -1: its origin)."""
    return legs[0].origin if rank < 0 else legs[rank // 2].destination


def segment_key(leg: PlannedLeg, *, dwell: bool = False) -> str:
    """The name durations observed on a segment are kept under: a leg ``ORIGIN-DESTINATION``,
    or the dwell at a leg's origin before it, by where it goes next (``at ORIGIN for
    DESTINATION``: waiting for a ferry and waiting for a train at one port differ).
    """
    if dwell:
        return f"at {leg.origin} for {leg.destination}"
    return f"{leg.origin}-{leg.destination}"


def step_took(legs: Sequence[PlannedLeg], before: Position | None,
              after: Position) -> tuple[str, float] | None:
    """The segment a shipment just covered (its :func:`segment_key`) and its hours, when it
    moves on from one milestone (``before``: first reached then) to the next: a leg
    (arriving) or the dwell before a leg (leaving). None for any other move.
    """
    if before is None or after.rank != before.rank + 1 or after.rank >= 2 * len(legs):
        return None
    leg = legs[after.rank // 2]
    segment = segment_key(leg, dwell=after.rank % 2 == 0)
    return segment, (after.at - before.at).total_seconds() / 3600


def crossing_leg(legs: Sequence[PlannedLeg], ports: Collection[str], after: int = -1) -> int | None:
    """The first leg leaving a Caspian port by water whose departure is after rank ``after``."""
    for i, leg in enumerate(legs):
        if 2 * i > after and leg.mode in WATER_MODES and leg.origin in ports:
            return i
    return None


def deck_units(legs: Sequence[PlannedLeg], cargo_teu: float, cargo_units: int,
               ports: Collection[str]) -> tuple[UnitType, int]:
    """How the shipment's cargo counts on a deck at its crossing from one of the Caspian
    ``ports``: by the mode of the land leg that brings it there, or of the one that takes it
    on when its journey starts at the port (a truck gated in at Kuryk drives on from Alat).
    """
    j = crossing_leg(legs, ports)
    if j:
        mode = legs[j - 1].mode
    else:
        mode = next((leg.mode for leg in legs if leg.mode not in WATER_MODES), "rail")
    return crossing_units(cargo_teu, cargo_units, mode)


def whereabouts(
    shipment_id: int,
    unit_type: UnitType,
    units: int,
    legs: Sequence[PlannedLeg],
    position: Position | None,
    *,
    delay_h: float,
    ports: Collection[str],
) -> Whereabouts:
    """Where the shipment stands or travels, and when it is due at its next Caspian port.

    ``delay_h`` shifts the planned arrival at that port (the shipment's current delay).
    """
    rank = position.rank if position is not None else -1
    final = 2 * len(legs) - 1
    place, since, segment = "", None, None
    if position is not None and rank < final:
        if rank % 2 == 1:
            place, since = standing_at(legs, rank), position.at
        else:
            leg = legs[rank // 2]
            segment = (leg.origin, leg.destination)
    next_port, eta = "", None
    j = crossing_leg(legs, ports, after=rank) if rank < final else None
    if j is not None and rank < 2 * j - 1:  # not yet at the port
        planned = legs[j - 1].planned_arrive if j > 0 else legs[0].planned_depart
        next_port, eta = legs[j].origin, planned + timedelta(hours=delay_h)
    return Whereabouts(shipment_id, unit_type, units, place, since, segment, next_port, eta)
