"""ETA from the remaining planned legs and the delay observed so far.

Progress is the furthest *milestone* reached: rank ``2*i`` is the departure of leg ``i`` from
its origin, ``2*i + 1`` its arrival at its destination. A transport event (ARRI/DEPA) at the
milestone's place gives the delay at that point (actual or estimated minus planned). The ETA is
the planned final arrival plus that delay, and never earlier than the latest sighting allows: a
shipment seen at time ``t`` that has not yet reached the next milestone is at least
``t - planned(next)`` late. Both inputs are maxima over events, so the ETA does not depend on
the order in which events arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

# An actual beats an estimate at the same milestone; planned (PLN) events carry no news.
WEIGHT = {"ACT": 2, "EST": 1}


class PlannedLeg(Protocol):
    """The fields of a planned leg that the ETA needs."""

    origin: str
    destination: str
    planned_depart: datetime
    planned_arrive: datetime


@dataclass(frozen=True)
class Milestone:
    """A milestone seen: its rank along the plan, its weight (ACT over EST), its delay."""

    rank: int
    weight: int
    delay_h: float


@dataclass(frozen=True)
class Estimate:
    """An ETA with the delay it adds to the plan and a status (planned, in_transit, arrived)."""

    eta: datetime
    delay_h: float
    status: str


def planned_time(legs: Sequence[PlannedLeg], rank: int) -> datetime:
    """The planned time of milestone ``rank``."""
    leg = legs[rank // 2]
    return leg.planned_depart if rank % 2 == 0 else leg.planned_arrive


def milestone(
    legs: Sequence[PlannedLeg], code: str, classifier: str, location: str, when: datetime
) -> Milestone | None:
    """The milestone a transport event marks, or None if it marks none."""
    weight = WEIGHT.get(classifier)
    if weight is None or code not in ("DEPA", "ARRI"):
        return None
    for i, leg in enumerate(legs):
        if code == "DEPA" and leg.origin == location:
            rank = 2 * i
        elif code == "ARRI" and leg.destination == location:
            rank = 2 * i + 1
        else:
            continue
        return Milestone(rank, weight, (when - planned_time(legs, rank)).total_seconds() / 3600)
    return None


def better(current: Milestone | None, new: Milestone) -> bool:
    """Whether ``new`` replaces ``current`` as the progress point (a total order)."""
    if current is None:
        return True
    return (new.rank, new.weight, new.delay_h) > (current.rank, current.weight, current.delay_h)


def estimate(
    legs: Sequence[PlannedLeg], progress: Milestone | None, last_seen: datetime | None,
    fixed: int | None = None,
) -> Estimate:
    """The ETA given the progress point and the latest actual sighting.

    ``fixed`` is the index of a leg a published crossing plan put on a sailing: until the
    shipment leaves on it, only the delay that makes it miss the sailing carries on (the
    sailing's time already is the plan).
    """
    final = 2 * len(legs) - 1
    delay_h = progress.delay_h if progress is not None else 0.0
    rank = progress.rank if progress is not None else -1
    arrived = progress is not None and rank == final and progress.weight == WEIGHT["ACT"]
    if not arrived and last_seen is not None and rank < final:
        floor_h = (last_seen - planned_time(legs, rank + 1)).total_seconds() / 3600
        delay_h = max(delay_h, floor_h)
    if fixed is not None and 0 < fixed < len(legs) and rank < 2 * fixed:
        slack_h = (legs[fixed].planned_depart
                   - legs[fixed - 1].planned_arrive).total_seconds() / 3600
        delay_h = max(0.0, delay_h - max(0.0, slack_h))
    status = "arrived" if arrived else ("planned" if last_seen is None and rank < 0 else
                                        "in_transit")
    eta = legs[-1].planned_arrive + timedelta(hours=delay_h)
    return Estimate(eta=eta, delay_h=round(delay_h, 6), status=status)


def step_hours(legs: Sequence[PlannedLeg], rank: int) -> float:
    """How long the step after milestone ``rank`` should take (leg time or dwell), in hours."""
    if rank >= 2 * len(legs) - 1:
        return 0.0
    start = legs[0].planned_depart if rank < 0 else planned_time(legs, rank)
    end = planned_time(legs, rank + 1)
    if rank < 0:  # before the first departure: the first leg's run time
        end = legs[0].planned_arrive
    return max(1.0, (end - start).total_seconds() / 3600)


def fixed_leg(legs: Sequence[object]) -> int | None:
    """The index of the first leg a published crossing plan put on a sailing, if any."""
    for i, leg in enumerate(legs):
        if getattr(leg, "plan_id", None) is not None:
            return i
    return None


def progress_of(shipment: object) -> Milestone | None:
    """A shipment's stored progress point."""
    rank = int(getattr(shipment, "progress_rank", -1))
    if rank < 0:
        return None
    return Milestone(rank, int(getattr(shipment, "progress_weight", 0)),
                     float(getattr(shipment, "progress_delay_h", 0.0)))
