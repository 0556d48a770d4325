"""Departures of timetabled services: the next sailing or train after a given time.

Times inside the planner are hours since 1970-01-01 00:00 UTC (floats), converted to and from
timezone-aware datetimes at the edges. A schedule repeats every ``period`` hours from
Monday 1970-01-05 00:00 UTC; weekly services have period 168 h, interval services their headway.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from midcorridor.errors import InputError

if TYPE_CHECKING:
    from midcorridor.network.model import Departures

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Hours from the Unix epoch to the first Monday, 1970-01-05 00:00 UTC.
WEEK_ANCHOR_H = 96.0
WEEK_H = 168.0


def to_hours(moment: datetime) -> float:
    """Hours since the epoch; a naive datetime is taken as UTC."""
    if not isinstance(moment, datetime):
        raise InputError(f"expected a date and time, got {moment!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH).total_seconds() / 3600.0


def from_hours(hours: float) -> datetime:
    """The UTC datetime ``hours`` after the epoch, rounded to the second."""
    return EPOCH + timedelta(seconds=round(hours * 3600.0))


def _clock_h(text: str, what: str) -> float:
    sign = -1.0 if text.startswith("-") else 1.0
    hh, mm = text.lstrip("+-").split(":")
    try:
        return sign * (int(hh) + int(mm) / 60.0)
    except ValueError as exc:
        raise InputError(f"bad {what} {text!r}; use HH:MM") from exc


@dataclass(frozen=True)
class Schedule:
    """Departure times within a repeating period (hours after the anchor, sorted, UTC)."""

    period: float
    times: tuple[float, ...]

    def __post_init__(self) -> None:
        if self.period <= 0 or not self.times:
            raise InputError("a schedule needs a positive period and at least one departure")

    def shifted(self, hours: float) -> Schedule:
        """The same departures ``hours`` later (e.g. at a later stop of the route)."""
        return Schedule(self.period, tuple(sorted((t + hours) % self.period for t in self.times)))

    def next_departure(self, ready_h: float) -> float:
        """The first departure at or after ``ready_h`` (hours since the epoch)."""
        x = (ready_h - WEEK_ANCHOR_H) % self.period
        i = bisect_left(self.times, x)
        if i == len(self.times):
            return ready_h - x + self.period + self.times[0]
        return ready_h - x + self.times[i]


def schedule_of(departures: Departures) -> Schedule:
    """Compile a service's departures into a :class:`Schedule`.

    Weekly departures are local times at the first stop, turned into UTC with ``utc_offset``.
    A service with ``headway_h`` leaves every ``headway_h`` hours from the anchor. With neither,
    it is taken to leave daily at ``time``.
    """
    if departures.headway_h is not None:
        return Schedule(float(departures.headway_h), (0.0,))
    local = _clock_h(departures.time, "departure time")
    offset = _clock_h(departures.utc_offset, "UTC offset")
    if not departures.weekdays:
        return Schedule(24.0, ((local - offset) % 24.0,))
    times = sorted({(day * 24.0 + local - offset) % WEEK_H for day in departures.weekdays})
    return Schedule(WEEK_H, tuple(times))
