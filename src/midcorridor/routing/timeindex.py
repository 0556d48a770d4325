"""The search graph compiled a second time, for the single-criterion (arrival time) query.

The time query only needs to know, per state, how long each outgoing arc takes. So:

* states at the same node whose outgoing entries take the same time to the same (merged) heads
  are merged into one *time class* (e.g. "arrived at the start" and "arrived by rail" at a node
  with rail links only): fewer states, fewer heap entries, same answers;
* entries without a timetable (continuous links, or staying aboard) are kept apart from the
  timetabled ones, which carry their departure times for the wait, so the common case needs no
  branch and no look-up (the sums are done in the same order as before, so arrival times are
  identical to the last bit); road links driven by truck are a third kind, timed from the
  driver's clock the query carries (the classes reached by truck are marked);
* a static lower-bound graph (per node pair, the least dwell + running time, no waits) gives
  exact per-target lower bounds by a backward Dijkstra (:func:`remaining_lower_bounds`, used
  to prune the Pareto search) and ALT landmark distances for the A* bound (:func:`alt_bound`).

ALT (A*, landmarks, triangle inequality; Goldberg and Harrelson, "Computing the shortest path:
A* search meets graph theory", SODA 2005): for a landmark ``L`` and lower-bound distances
``d``, ``d(v, t) >= d(v, L) - d(t, L)`` and ``d(v, t) >= d(L, t) - d(L, v)``. The bound is
consistent on the lower-bound graph and every real arc takes at least its lower-bound time, so
it stays admissible with waits for departures.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from midcorridor.routing.graph import SearchGraph

#: Landmarks for the A* bound: nodes at the geographic extremes in this many directions.
LANDMARKS = 8
#: Bounds are shrunk by this relative margin so float rounding never makes them overestimate.
_SHRINK = 1.0 - 1e-9

StaticEntry = tuple[int, float, float]  # (head class, pre, run)
TimedEntry = tuple[int, float, float, tuple[float, ...], float]  # head, pre, run, times, period
#: (head class, pre, running time from a rested start, driving hours)
DrivenEntry = tuple[int, float, float, float]


class TimeIndex:
    """Time classes of a :class:`SearchGraph`, their entries and the lower-bound graph."""

    def __init__(self, graph: SearchGraph):
        cls = _merge_states(graph)
        n_cls = max(cls, default=-1) + 1
        rep = [-1] * n_cls
        for s, c in enumerate(cls):
            if rep[c] < 0:
                rep[c] = s
        self.node: list[int] = [graph.state_node[s] for s in rep]
        #: per class, the unloading time when its node is the destination (port calls)
        self.discharge_h: list[float] = [graph.discharge_h[s] for s in rep]
        self.start: list[int] = [cls[graph.state_of[(v, 0)]] for v in range(len(graph.ids))]
        self.static: list[tuple[StaticEntry, ...]] = []
        self.static_arcs: list[tuple[int, ...]] = []
        self.timed: list[tuple[TimedEntry, ...]] = []
        self.timed_arcs: list[tuple[int, ...]] = []
        self.driven: list[tuple[DrivenEntry, ...]] = []
        self.driven_arcs: list[tuple[int, ...]] = []
        #: per class, whether it is reached by truck (its arrivals carry a driver's clock)
        self.truck: list[bool] = [graph.ctx_truck[graph.state_ctx[s]] for s in rep]
        for s in rep:
            static, static_arcs, timed, timed_arcs, driven, driven_arcs = [], [], [], [], [], []
            for head, pre, run, times, period, a, _, drive in graph.entries[s]:
                if drive is not None:
                    driven.append((cls[head], pre, run, drive))
                    driven_arcs.append(a)
                elif times is None:
                    static.append((cls[head], pre, run))
                    static_arcs.append(a)
                else:
                    timed.append((cls[head], pre, run, times, period))
                    timed_arcs.append(a)
            self.static.append(tuple(static))
            self.static_arcs.append(tuple(static_arcs))
            self.timed.append(tuple(timed))
            self.timed_arcs.append(tuple(timed_arcs))
            self.driven.append(tuple(driven))
            self.driven_arcs.append(tuple(driven_arcs))
        self.class_node = np.asarray(self.node, dtype=np.intp)
        self.lower = _lower_bound_arcs(graph)
        n = len(graph.ids)
        self.landmarks = _landmarks(graph, LANDMARKS)
        fwd = [[(h, w) for h, w, _, _ in row] for row in self.lower]
        bwd: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for v, row in enumerate(self.lower):
            for h, w, _, _ in row:
                bwd[h].append((v, w))
        #: from_landmark[i, v] = d(L_i, v); to_landmark[i, v] = d(v, L_i) on lower bounds
        self.from_landmark = np.array([dijkstra_all(fwd, lm) for lm in self.landmarks],
                                      dtype=float).reshape(len(self.landmarks), n)
        self.to_landmark = np.array([dijkstra_all(bwd, lm) for lm in self.landmarks],
                                    dtype=float).reshape(len(self.landmarks), n)
        self._reverse: tuple[list[list[tuple[int, float]]], ...] | None = None
        self._bounds: dict[int, tuple[list[float], list[float], list[float]]] = {}
        self._alt: dict[int, list[float]] = {}

    def reverse(self) -> tuple[list[list[tuple[int, float]]], ...]:
        """Per criterion (time, cost, CO2e), the lower-bound arcs reversed: ``[head] -> tails``."""
        if self._reverse is None:
            n = len(self.lower)
            rev: tuple[list[list[tuple[int, float]]], ...] = tuple(
                [[] for _ in range(n)] for _ in range(3))
            for v, row in enumerate(self.lower):
                for h, t, c, e in row:
                    rev[0][h].append((v, t))
                    rev[1][h].append((v, c))
                    rev[2][h].append((v, e))
            self._reverse = rev
        return self._reverse


def _merge_states(graph: SearchGraph) -> list[int]:
    """Time class of every state: states at one node with the same timed entries share one.

    Starts from one class per state and merges until nothing changes; merged states have
    identical futures and the same unloading time at a destination, so the earliest arrival
    anywhere is unchanged. A state reached by truck is never merged with one that is not (its
    driver's clock runs on along the roads after it).
    """
    cls = list(range(len(graph.entries)))
    n_classes = len(cls)
    truck = [graph.ctx_truck[ctx] for ctx in graph.state_ctx]
    while True:
        keys: dict[tuple[object, ...], int] = {}
        new = [
            keys.setdefault(
                (graph.state_node[s], graph.discharge_h[s], truck[s],
                 tuple((cls[h], pre, run, times, period, a, drive)
                       for h, pre, run, times, period, a, _, drive in row)),
                len(keys))
            for s, row in enumerate(graph.entries)
        ]
        if len(keys) == n_classes:
            return new
        cls, n_classes = new, len(keys)


def _lower_bound_arcs(graph: SearchGraph) -> list[list[tuple[int, float, float, float]]]:
    """Per node, ``(head, least time, least cost, least CO2e)`` over the arc variants to it.

    Time is dwell + running time (handling and waits only add); cost and CO2e are the arc's own
    (handling charges and hub emissions only add).
    """
    best: list[dict[int, tuple[float, float, float]]] = [{} for _ in graph.ids]
    for arc in graph.arcs:
        t, c, e = arc.dwell_h + arc.run_h, arc.cost, arc.co2
        row = best[arc.tail]
        old = row.get(arc.head)
        if old is not None:
            t, c, e = min(t, old[0]), min(c, old[1]), min(e, old[2])
        row[arc.head] = (t, c, e)
    return [[(h, *w) for h, w in row.items()] for row in best]


def _landmarks(graph: SearchGraph, k: int) -> tuple[int, ...]:
    """Nodes furthest out in ``k`` compass directions (the first such node on ties)."""
    if not graph.ids:
        return ()
    nodes = graph.network.nodes
    lat = np.array([nodes[i].lat for i in graph.ids])
    lon = np.array([nodes[i].lon for i in graph.ids]) * math.cos(math.radians(float(lat.mean())))
    chosen: list[int] = []
    for i in range(k):
        angle = 2 * math.pi * i / k
        v = int(np.argmax(lat * math.cos(angle) + lon * math.sin(angle)))
        if v not in chosen:
            chosen.append(v)
    return tuple(chosen)


def dijkstra_all(adj: Sequence[Sequence[tuple[int, float]]], source: int) -> list[float]:
    """Static shortest distances from ``source`` over ``adj[v] = [(w, weight), ...]``."""
    dist = [math.inf] * len(adj)
    dist[source] = 0.0
    heap = [(0.0, source)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        d, v = pop(heap)
        if d > dist[v]:
            continue
        for w, c in adj[v]:
            x = d + c
            if x < dist[w]:
                dist[w] = x
                push(heap, (x, w))
    return dist


def remaining_lower_bounds(graph: SearchGraph, target: int
                           ) -> tuple[list[float], list[float], list[float]]:
    """Per node, lower bounds of the time, cost and CO2e still needed to reach ``target``.

    Exact shortest distances to ``target`` on the per-criterion lower-bound arcs (``inf`` where
    the target cannot be reached), shrunk by a hair against float rounding. Cached per target.
    """
    index = graph.time_index
    cached = index._bounds.get(target)
    if cached is None:
        rev = index.reverse()
        t, c, e = (
            [x * _SHRINK for x in dijkstra_all(rev[i], target)] for i in range(3)
        )
        cached = (t, c, e)
        if len(index._bounds) >= 8:
            index._bounds.clear()  # a small cache; clear() is safe with concurrent planners
        index._bounds[target] = cached
    return cached


def alt_bound(graph: SearchGraph, target: int,
              euclid: Callable[[], np.ndarray | None]) -> list[float]:
    """Admissible remaining-time bound per *time class* for A* towards ``target``.

    The larger of the ALT landmark bound and ``euclid()`` (per node, or None); ``inf`` where
    the target cannot be reached. Cached for the last few targets.
    """
    index = graph.time_index
    cached = index._alt.get(target)
    if cached is not None:
        return cached
    to_lm, from_lm = index.to_landmark, index.from_landmark
    bound = np.zeros(to_lm.shape[1])
    if index.landmarks:
        with np.errstate(invalid="ignore"):
            # d(v, L) - d(t, L) and d(L, t) - d(L, v); inf - inf (neither reaches L) is nan
            ahead = to_lm - to_lm[:, target : target + 1]
            behind = from_lm[:, target : target + 1] - from_lm
            bound = np.fmax(np.fmax.reduce(ahead, axis=0), np.fmax.reduce(behind, axis=0))
        bound = np.nan_to_num(bound, nan=0.0, posinf=np.inf)
    straight = euclid()
    if straight is not None:
        bound = np.fmax(bound, straight)
    bound = np.maximum(bound, 0.0) * _SHRINK
    bound[target] = 0.0
    result: list[float] = bound[index.class_node].tolist()
    if len(index._alt) >= 8:
        index._alt.clear()  # a small cache; clear() is safe with concurrent planners
    index._alt[target] = result
    return result
