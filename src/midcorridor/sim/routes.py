"""Fixed routes for demand streams: shortest paths by typical hours (Dijkstra)."""

from __future__ import annotations

import heapq
from itertools import count
from typing import TYPE_CHECKING

from midcorridor.errors import NoRouteError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from midcorridor.network.model import Arc, Network


def typical_hours(arc: Arc) -> float:
    """Typical running time plus typical dwell of an arc."""
    return arc.link.hours.typ + arc.link.dwell.typ


def shortest_path(
    network: Network,
    origin: str,
    destination: str,
    *,
    weight: Callable[[Arc], float] = typical_hours,
    allowed: Callable[[Arc], bool] = lambda arc: True,
) -> list[Arc]:
    """The arcs of a least-``weight`` path; ties are broken by discovery order."""
    best = {origin: 0.0}
    back: dict[str, Arc] = {}
    tie = count()
    heap = [(0.0, next(tie), origin)]
    done: set[str] = set()
    while heap:
        cost, _, node = heapq.heappop(heap)
        if node in done:
            continue
        if node == destination:
            break
        done.add(node)
        for arc in network.arcs_from(node):
            if arc.head in done or not allowed(arc):
                continue
            new = cost + weight(arc)
            if new < best.get(arc.head, float("inf")):
                best[arc.head] = new
                back[arc.head] = arc
                heapq.heappush(heap, (new, next(tie), arc.head))
    if destination not in best:
        raise NoRouteError(f"no path from {origin} to {destination} in the network")
    path: list[Arc] = []
    node = destination
    while node != origin:
        arc = back[node]
        path.append(arc)
        node = arc.tail
    return path[::-1]


def path_via(
    network: Network,
    stops: Sequence[str],
    *,
    allowed: Callable[[Arc], bool] = lambda arc: True,
) -> list[Arc]:
    """The shortest path through ``stops`` in order."""
    arcs: list[Arc] = []
    for a, b in zip(stops, stops[1:], strict=False):
        if a != b:
            arcs += shortest_path(network, a, b, allowed=allowed)
    return arcs
