"""Drivers' hours: how long a truck takes to drive a number of hours at the wheel.

A road link's ``hours`` are driving time. One driver may not drive without stopping, so the
planner and the simulator both turn driving hours into elapsed hours here, with one rule:

* at most :data:`DAILY_DRIVING_H` (9 h) of driving a day, then a daily rest of
  :data:`DAILY_REST_H` (11 h) before driving on;
* a break of :data:`BREAK_H` (45 min) after :data:`DRIVING_BEFORE_BREAK_H` (4.5 h) of
  driving, before driving on.

These are the single-driver limits of the European Agreement concerning the Work of Crews of
Vehicles engaged in International Road Transport (AETR), Articles 6 (driving periods),
7 (breaks) and 8 (rest periods), consolidated version with amendments 1-6, in force
20 September 2010 (https://likumi.lv/ta/lv/en/starptautiskie-ligumi/id/1058); the depositary's
status page lists its Parties (UN Treaty Collection, chapter XI-B-21,
https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20XI/XI-B-21.en.xml).

Assumptions: the truck starts its road stretch rested, and a break or rest is taken only when
more driving follows. Not modelled: the 10 h day allowed twice a week, the reduced daily rest,
split breaks and two-driver crews (each would make some trips faster), and the weekly rest
after six days of driving (slower; no road stretch of the data set takes that long). Border and
gauge dwell is not driving time and does not count as rest (a queue at a border is not time
the driver may freely dispose of).
"""

from __future__ import annotations

import math
from functools import lru_cache

from midcorridor.errors import InputError

DAILY_DRIVING_H = 9.0
DAILY_REST_H = 11.0
DRIVING_BEFORE_BREAK_H = 4.5
BREAK_H = 0.75
#: the most pauses a stretch of driving can take beyond the same driving from a rested start:
#: one daily rest and one break
MAX_EXTRA_PAUSE_H = DAILY_REST_H + BREAK_H
#: positions in the driving day closer than this are not ordered by :func:`clock_slack` when
#: they lie on different days (their float sums may round either way about a threshold)
_CLOSE_H = 1e-9

_DAY_H = DAILY_DRIVING_H + BREAK_H + DAILY_REST_H  # a full driving day and its rest: 20.75 h


def road_elapsed_hours(driving_h: float) -> float:
    """Elapsed hours for ``driving_h`` hours of driving by one driver who starts rested.

    >>> road_elapsed_hours(4.0)
    4.0
    >>> road_elapsed_hours(9.0)  # 4.5 h, a 45 min break, 4.5 h
    9.75
    >>> road_elapsed_hours(20.0)  # two days of 9 h + 45 min + 11 h rest, then 2 h
    43.5
    """
    if not driving_h >= 0.0 or math.isinf(driving_h):
        raise InputError(f"driving hours must be a finite number >= 0, got {driving_h!r}")
    if driving_h == 0.0:
        return 0.0
    # full days that are followed by more driving (each ends with its break and a rest)
    days = max(0, math.ceil(driving_h / DAILY_DRIVING_H) - 1)
    last = driving_h - days * DAILY_DRIVING_H  # driving on the last day, in (0, 9]
    if last > DAILY_DRIVING_H:  # the division rounded down
        days, last = days + 1, last - DAILY_DRIVING_H
    pause = BREAK_H if last > DRIVING_BEFORE_BREAK_H else 0.0
    return days * _DAY_H + last + pause


#: the route searches ask the same few (clock, hours) pairs again and again
_CACHED = 1 << 16


@lru_cache(maxsize=_CACHED)
def road_leg_hours(driven_h: float, driving_h: float) -> float:
    """Elapsed hours of a road leg of ``driving_h`` driving hours, the driver having already
    driven ``driven_h`` hours since the start of the truck's road stretch.

    >>> road_leg_hours(4.0, 2.0)  # the break falls in this leg
    2.75
    >>> road_leg_hours(8.0, 2.0)  # and the daily rest: 1 h, 11 h rest, 1 h
    13.0
    """
    return road_elapsed_hours(driven_h + driving_h) - road_elapsed_hours(driven_h)


def _day_position(driven_h: float) -> tuple[int, float]:
    """The driving day ``driven_h`` hours of driving end in (0 for the first) and the hours
    driven in it, in (0, 9]; ``(0, 0.0)`` for a rested driver. Split as
    :func:`road_elapsed_hours` splits it.
    """
    if driven_h <= 0.0:
        return 0, 0.0
    days = max(0, math.ceil(driven_h / DAILY_DRIVING_H) - 1)
    last = driven_h - days * DAILY_DRIVING_H
    if last > DAILY_DRIVING_H:
        days, last = days + 1, last - DAILY_DRIVING_H
    return days, last


@lru_cache(maxsize=_CACHED)
def clock_slack(driven_a: float, driven_b: float) -> float:
    """The most longer any further driving can take a driver who has driven ``driven_a`` hours
    than one who has driven ``driven_b`` (hours since the truck came onto the road).

    Driving on depends only on the position in the driving day: before the day's break
    (at most 4.5 h into the day; a rested driver is at 0) or after it. Within one of these
    two parts, a driver further into the day is never done sooner, so the slack is 0 when
    ``a`` is no further than ``b`` in the same part. Before the break against after it, ``a``
    owes at most the break (45 min); otherwise at most the daily rest (11 h): no driving from
    any position takes more than 11 h longer than from a rested start, and none less (so a
    rested ``a`` owes nothing).

    >>> clock_slack(2.0, 3.0), clock_slack(3.0, 2.0)  # a is further into the morning
    (0.0, 11.0)
    >>> clock_slack(1.0, 6.0)  # a's break is still to come, b has had it
    0.75
    >>> clock_slack(11.0, 3.0)  # a is 2 h into its second day: as if it had driven 2 h
    0.0
    """
    if driven_a == driven_b or driven_a <= 0.0:  # a rested driver is never done later
        return 0.0
    day_a, at_a = _day_position(driven_a)
    day_b, at_b = _day_position(driven_b)
    early_a, early_b = at_a <= DRIVING_BEFORE_BREAK_H, at_b <= DRIVING_BEFORE_BREAK_H
    if early_a == early_b and (
            driven_a <= driven_b if day_a == day_b else at_a + _CLOSE_H <= at_b):
        return 0.0
    if early_a and not early_b:
        return BREAK_H
    return DAILY_REST_H
