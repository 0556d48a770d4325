"""A plain Dijkstra for the tests' oracles, apart from the planner's own searches."""

from __future__ import annotations

import heapq
import math


def least_from(out: dict[str, list[tuple[str, float]]], source: str) -> dict[str, float]:
    """The least sum of weights from ``source`` to every place reached over ``out`` (per
    place, its (next place, weight) pairs); places not reached are left out."""
    best, heap = {source: 0.0}, [(0.0, source)]
    while heap:
        total, here = heapq.heappop(heap)
        if total > best[here]:
            continue
        for there, w in out.get(here, ()):
            if total + w < best.get(there, math.inf):
                best[there] = total + w
                heapq.heappush(heap, (total + w, there))
    return best
