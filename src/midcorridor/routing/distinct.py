"""Distinct options: near-duplicates of the Pareto set folded into one row.

Taking the options best first, an option is folded into an earlier one it nearly repeats:

* the same places in the same order by the same modes (another train or sailing on the same
  way), or
* within :data:`NEAR` (2 %) of it on time, cost and CO2e all three.

The kept option counts the ones it stands for (``RouteOption.alternatives``); at most
:data:`MAX_OPTIONS` are kept, in the ranking's order but always with the fastest, the cheapest
and the lowest-CO2e option among them; the rest are counted as hidden.

A plan also shows the best option of each corridor family that none of the kept options
belongs to (a dominated comparison row); :func:`fold_beside` keeps those rows inside the
limit too, so a plan never shows more than :data:`MAX_OPTIONS` rows by default.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from midcorridor.routing.result import RouteOption

#: Options within this relative difference on time, cost and CO2e are near-duplicates.
NEAR = 0.02
#: Most options shown by default.
MAX_OPTIONS = 6


def places(option: RouteOption) -> tuple[str, ...]:
    """The places an option passes, in order (origin first)."""
    if not option.legs:
        return ()
    return (option.legs[0].origin, *(leg.destination for leg in option.legs))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= NEAR * max(abs(a), abs(b))


def _way(option: RouteOption) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return places(option), tuple(leg.mode for leg in option.legs)


def near_duplicate(kept: RouteOption, other: RouteOption) -> bool:
    """Whether ``other`` nearly repeats ``kept``: the same way, or within 2 % on all three."""
    if _way(kept) == _way(other):
        return True
    return (_close(kept.total_hours, other.total_hours) and _close(kept.cost_usd, other.cost_usd)
            and _close(kept.co2e_kg, other.co2e_kg))


def fold(options: Sequence[RouteOption], limit: int | None = MAX_OPTIONS
         ) -> tuple[list[RouteOption], int]:
    """Options (best first) with near-duplicates folded in, at most ``limit`` of them.

    Returns the kept options, each counting the ones folded into it, and how many distinct
    options were left out beyond ``limit``.
    """
    kept: list[RouteOption] = []
    for option in options:
        i = next((i for i, k in enumerate(kept) if near_duplicate(k, option)), None)
        if i is None:
            kept.append(option)
        else:
            kept[i] = replace(kept[i], alternatives=kept[i].alternatives + 1
                              + option.alternatives)
    if limit is None or len(kept) <= limit:
        return kept, 0
    # the fastest, the cheapest and the cleanest stay, whatever the ranking
    extremes = {min(range(len(kept)), key=lambda i: (k(kept[i]), i))
                for k in _EXTREMES}
    chosen = set(list(extremes)[:limit])
    for i in range(len(kept)):
        if len(chosen) >= limit:
            break
        chosen.add(i)
    return [kept[i] for i in sorted(chosen)], len(kept) - len(chosen)


def fold_beside(options: Sequence[RouteOption], companions: Sequence[RouteOption],
                limit: int = MAX_OPTIONS) -> tuple[list[RouteOption], int]:
    """Like :func:`fold`, leaving room for the ``companions`` of families not kept.

    ``companions`` are the best options of each corridor family; the ones whose family is not
    among the kept options are shown beside them, so the kept options plus those stay within
    ``limit`` rows. Returns the kept options and how many distinct options were left out.
    """
    room = limit
    while True:
        kept, hidden = fold(options, room)
        families = {o.family for o in kept}
        extra = sum(1 for c in companions if c.family not in families)
        if len(kept) + extra <= limit or room <= len(_EXTREMES):
            return kept, hidden
        room = max(len(_EXTREMES), min(room - 1, limit - extra))


def _hours(o: RouteOption) -> float:
    return o.total_hours


def _usd(o: RouteOption) -> float:
    return o.cost_usd


def _co2(o: RouteOption) -> float:
    return o.co2e_kg


#: The criteria whose best option always stays among the kept ones.
_EXTREMES = (_hours, _usd, _co2)
