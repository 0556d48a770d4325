"""Time-dependent route search over a :class:`SearchGraph`.

Two queries share the graph:

* :func:`earliest_arrival` - single criterion (arrival time), Dijkstra or A* over states.
* :func:`pareto_search` - multi-criteria label setting over (arrival time, cost, CO2e).

Waiting for the next departure is FIFO (leaving later never arrives earlier), so label setting
with dominance pruning is exact: a label is dropped only when another label at the same state
is no worse in every criterion. Labels at the same node that arrived differently are compared
with a slack (the most the handling and dwell at that node could add), which keeps cycles
through other modes from multiplying labels without losing any Pareto-optimal route.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import count

import numpy as np

from midcorridor.routing.graph import SearchGraph, speed_bound_kmh
from midcorridor.routing.timetable import WEEK_ANCHOR_H


@dataclass(frozen=True)
class Step:
    """One arc of a found route with its times (hours since the epoch)."""

    arc: int
    ready_h: float  # when the cargo arrived at the tail
    depart_h: float  # when the vehicle left
    arrive_h: float
    pre_h: float  # handling + dwell before departure
    wait_h: float  # waiting for the departure
    transship: bool  # handling paid at the tail


@dataclass(frozen=True)
class Found:
    """A route found by a search: its steps and totals per TEU."""

    steps: tuple[Step, ...]
    arrive_h: float
    cost: float
    co2: float
    ttw: float
    transshipments: int


def earliest_arrival(
    graph: SearchGraph,
    source: int,
    target: int,
    depart_h: float,
    *,
    banned: Collection[int] = (),
    astar: bool = True,
) -> float:
    """The earliest arrival time (hours since the epoch) at ``target``, or ``inf``."""
    entries = graph.entries
    state_node = graph.state_node
    n_states = len(entries)
    dist = [math.inf] * n_states
    start = graph.state_of[(source, 0)]
    dist[start] = depart_h
    h = _bound(graph, target) if astar else None
    heap: list[tuple[float, int, int]] = [(depart_h + (h[source] if h else 0.0), 0, start)]
    push, pop = heapq.heappush, heapq.heappop
    tie = count(1)
    done = [False] * n_states
    check_banned = bool(banned)
    # NOTE: the loop is written out with local names for speed (see benchmarks/bench_routing).
    while heap:
        _, _, s = pop(heap)
        if done[s]:
            continue
        done[s] = True
        v = state_node[s]
        if v == target:
            return dist[s]
        t = dist[s]
        for head, pre, run, times, period, a, _ in entries[s]:
            if check_banned and a in banned:
                continue
            ready = t + pre
            if times is not None:
                x = (ready - WEEK_ANCHOR_H) % period
                i = bisect_left(times, x)
                ready += (times[i] if i < len(times) else period + times[0]) - x
            arrive = ready + run
            if arrive < dist[head]:
                dist[head] = arrive
                key = arrive + h[state_node[head]] if h else arrive
                push(heap, (key, next(tie), head))
    return math.inf


def _bound(graph: SearchGraph, target: int) -> list[float] | None:
    """Admissible remaining-time bounds: straight-line distance over the fastest arc speed.

    Consistent by the triangle inequality, so A* settles every state once.
    """
    vmax = getattr(graph, "_vmax", None)
    if vmax is None:
        vmax = speed_bound_kmh(graph)
        nodes = graph.network.nodes
        lat = np.radians([nodes[i].lat for i in graph.ids])
        lon = np.radians([nodes[i].lon for i in graph.ids])
        graph._vmax = vmax  # type: ignore[attr-defined]
        graph._latlon = (lat, lon)  # type: ignore[attr-defined]
    if not (0 < vmax < math.inf):
        return None
    lat, lon = graph._latlon  # type: ignore[attr-defined]
    dlat, dlon = lat - lat[target], lon - lon[target]
    hav = np.sin(dlat / 2) ** 2 + np.cos(lat) * np.cos(lat[target]) * np.sin(dlon / 2) ** 2
    km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(hav)))
    bound: list[float] = (km / vmax * 0.999999).tolist()
    return bound


def pareto_search(
    graph: SearchGraph,
    source: int,
    target: int,
    depart_h: float,
    *,
    banned: Collection[int] = (),
    required: Sequence[Collection[int]] = (),
    initial_mask: int = 0,
    max_transshipments: int | None = None,
    arrive_by_h: float | None = None,
) -> list[Found]:
    """Every Pareto-optimal route over (arrival, cost, CO2e) from ``source`` to ``target``.

    ``required`` lists sets of arcs; a route must use at least one arc of each set (``via``
    places and corridor families are expressed this way). Costs and CO2e are per TEU.
    """
    arcs = graph.arcs
    entries = graph.entries
    state_node = graph.state_node
    hand_cost, hub = graph.handling_cost, graph.hub_co2
    slack_t = graph.node_slack
    full = (1 << len(required)) - 1
    bits: dict[int, int] = {}
    for j, arc_set in enumerate(required):
        for a in arc_set:
            bits[a] = bits.get(a, 0) | (1 << j)
    limit_k = max_transshipments
    deadline = arrive_by_h if arrive_by_h is not None else math.inf

    # label: [t, cost, co2, k, state, mask, parent, step, alive]
    labels: list[list] = []
    bags: dict[tuple[int, int], list[int]] = {}
    finals: list[int] = []
    heap: list[tuple[float, float, float, int, int]] = []
    tie = count()

    def slack(s1: int, s2: int, v: int) -> tuple[float, float, float, int]:
        if graph.state_ctx[s1] == graph.state_ctx[s2]:
            return 0.0, 0.0, 0.0, 0
        return slack_t[v], hand_cost[v], hub, 1

    def dominated(t: float, c: float, e: float, k: int, s: int, key: tuple[int, int]) -> bool:
        for f in finals:
            lf = labels[f]
            if lf[0] <= t and lf[1] <= c and lf[2] <= e:
                return True
        bag = bags.get(key)
        if not bag:
            return False
        v = key[0]
        for other in bag:
            lo = labels[other]
            if not lo[8]:
                continue
            dt, dc, de, dk = slack(lo[4], s, v)
            if (lo[0] + dt <= t and lo[1] + dc <= c and lo[2] + de <= e
                    and (limit_k is None or lo[3] + dk <= k)):
                return True
        keep = []
        for other in bag:
            lo = labels[other]
            if not lo[8]:
                continue
            dt, dc, de, dk = slack(s, lo[4], v)
            if (t + dt <= lo[0] and c + dc <= lo[1] and e + de <= lo[2]
                    and (limit_k is None or k + dk <= lo[3])):
                lo[8] = False
                continue
            keep.append(other)
        bags[key] = keep
        return False

    def add(t: float, c: float, e: float, k: int, s: int, mask: int, parent: int,
            step: Step | None) -> None:
        key = (state_node[s], mask)
        if dominated(t, c, e, k, s, key):
            return
        lid = len(labels)
        labels.append([t, c, e, k, s, mask, parent, step, True])
        bags.setdefault(key, []).append(lid)
        heapq.heappush(heap, (t, c, e, next(tie), lid))

    add(depart_h, 0.0, 0.0, 0, graph.state_of[(source, 0)], initial_mask, -1, None)
    while heap:
        _, _, _, _, lid = heapq.heappop(heap)
        t, c, e, k, s, mask, _, _, alive = labels[lid]
        if not alive:
            continue
        v = state_node[s]
        if v == target and mask == full:
            if not any(labels[f][0] <= t and labels[f][1] <= c and labels[f][2] <= e
                       for f in finals):
                finals.append(lid)
            continue
        for head, pre, run, times, period, a, tranship in entries[s]:
            if a in banned:
                continue
            ready = t + pre
            wait = 0.0
            if times is not None:
                x = (ready - WEEK_ANCHOR_H) % period
                i = bisect_left(times, x)
                wait = (times[i] if i < len(times) else period + times[0]) - x
            dep = ready + wait
            arrive = dep + run
            if arrive > deadline:
                continue
            arc = arcs[a]
            k2 = k + tranship + arc.transshipments
            if limit_k is not None and k2 > limit_k:
                continue
            c2 = c + arc.cost + (hand_cost[v] if tranship else 0.0)
            e2 = e + arc.co2 + (hub if tranship else 0.0)
            step = Step(a, t, dep, arrive, pre, wait, bool(tranship))
            add(arrive, c2, e2, k2, head, mask | bits.get(a, 0), lid, step)
    return [_found(graph, labels, f) for f in finals]


def _found(graph: SearchGraph, labels: list[list], lid: int) -> Found:
    steps: list[Step] = []
    t, c, e, k = labels[lid][:4]
    while labels[lid][6] >= 0:
        steps.append(labels[lid][7])
        lid = labels[lid][6]
    steps.reverse()
    ttw = sum(graph.arcs[s.arc].ttw + (graph.hub_ttw if s.transship else 0.0) for s in steps)
    return Found(tuple(steps), t, c, e, ttw, k)
