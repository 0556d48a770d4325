"""Time-dependent route search over a :class:`SearchGraph`.

Two queries share the graph:

* :func:`earliest_arrival` - single criterion (arrival time), Dijkstra or A* over states.
* :func:`pareto_search` - multi-criteria label setting over (arrival time, cost, CO2e).

Waiting for the next departure is FIFO (leaving later never arrives earlier), so label setting
with dominance pruning is exact: a label is dropped only when another label at the same state
is no worse in every criterion. Labels at the same node that arrived differently are compared
with a slack (the most the handling and dwell at that node could add, and for a label that came
by truck the most its driver's rests can add, ``SearchGraph.ctx_pause_h``), which keeps cycles
through other modes from multiplying labels without losing any Pareto-optimal route.

A label that came by truck carries its driver's *clock*, the hours driven since the cargo came
onto the road, and each road arc driven on is timed from it
(:func:`~midcorridor.network.driving.road_leg_hours`). The clock is part of the label, not of
the state: two labels at one state with different clocks are compared with
:func:`~midcorridor.network.driving.clock_slack` (0 when the one is no further into its
driving day, before or after the day's break, than the other), so both queries stay exact,
a route may drive back along a road it came by (to a ``via`` place on a spur and back), and
the work grows with the labels kept, not with the number of road paths.

Both queries use per-target lower bounds from :mod:`midcorridor.routing.timeindex`: the time
query as an A* bound, the Pareto search to leave labels in order of their bounds and drop those
that cannot beat a route already found (exact, because the bounds never overestimate).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from midcorridor.network.driving import clock_slack, road_leg_hours
from midcorridor.network.geo import SPHERE_RADIUS_KM
from midcorridor.routing.graph import SearchGraph, speed_bound_kmh
from midcorridor.routing.timeindex import (
    DrivenEntry,
    StaticEntry,
    TimedEntry,
    TimeIndex,
    alt_bound,
    remaining_lower_bounds,
)
from midcorridor.routing.timetable import WEEK_ANCHOR_H

if TYPE_CHECKING:
    from collections.abc import Callable

    from midcorridor.routing.rules import Guard

_E = TypeVar("_E")  # an entry of a time-index row


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
    unloaded: bool = False  # the vessel unloaded at the destination (included in arrive_h)


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
    """The earliest arrival time (hours since the epoch) at ``target``, or ``inf``.

    Runs over the merged time classes of :class:`~midcorridor.routing.timeindex.TimeIndex`;
    with ``astar`` the bound is the larger of the ALT landmark bound and the straight-line one.
    """
    index = graph.time_index
    if not astar:
        return _time_search(index, source, target, depart_h, [0.0] * len(index.node), banned)
    bound = alt_bound(graph, target, lambda: _euclid(graph, target))
    if bound[index.start[source]] == math.inf:
        return math.inf
    return _time_search(index, source, target, depart_h, bound, banned)


# One loop serves Dijkstra (a bound of zeros) and A*. It is written out with local names and
# without per-entry branches for speed (see benchmarks/bench_routing.py). Heap entries are
# (arrival + bound, label): equal keys fall back to the label number, so the order is
# deterministic. A label below the number of classes is that class's one arrival (``dist``);
# a popped entry is stale when its class has since been reached earlier. A class reached by
# truck keeps a front of (arrival, driver's clock) labels instead, numbered from the number of
# classes on, where a label is dropped when another is sooner by more than the clocks' slack
# (:func:`~midcorridor.network.driving.clock_slack`). The first label popped at the target
# node is the answer.


def _time_search(index: TimeIndex, source: int, target: int, depart_h: float,
                 bound: Sequence[float], banned: Collection[int]) -> float:
    node, discharge, start = index.node, index.discharge_h, index.start[source]
    static, timed, driven = _rows(index, banned)
    n = len(node)
    dist = [math.inf] * n
    dist[start] = depart_h
    heap = [(depart_h + bound[start], start)]
    push, pop = heapq.heappush, heapq.heappop
    # labels of the classes reached by truck, [arrival, clock, class, dropped]; per class live
    trucks: list[list] = []
    fronts: dict[int, list[list]] = {}
    best = math.inf
    while heap:
        key, s = pop(heap)
        if key >= best:
            break
        if s < n:
            t = dist[s]
            if key > t + bound[s]:
                continue
            clock = 0.0
        else:
            t, clock, s, dropped = trucks[s - n]
            if dropped:
                continue
        if node[s] == target:
            best = min(best, t + discharge[s])
            continue
        for head, pre, run in static[s]:
            x = t + pre + run
            if x < dist[head]:
                dist[head] = x
                push(heap, (x + bound[head], head))
        row = timed[s]
        if row:
            for head, pre, run, times, period in row:
                ready = t + pre
                x = (ready - WEEK_ANCHOR_H) % period
                i = bisect_left(times, x)
                x = ready + ((times[i] if i < len(times) else period + times[0]) - x) + run
                if x < dist[head]:
                    dist[head] = x
                    push(heap, (x + bound[head], head))
        by_road = driven[s]
        if by_road:
            for head, pre, run, hours in by_road:
                x = t + pre + (road_leg_hours(clock, hours) if clock else run)
                front = fronts.get(head)
                label: list | None
                if front is None:  # the first label of the class
                    label = [x, clock + hours, head, False]
                    fronts[head] = [label]
                else:
                    label = _truck_label(front, x, clock + hours, head)
                if label is not None:
                    trucks.append(label)
                    push(heap, (x + bound[head], n + len(trucks) - 1))
    return best


def _rows(index: TimeIndex, banned: Collection[int]) -> tuple[
        Sequence[tuple[StaticEntry, ...]], Sequence[tuple[TimedEntry, ...]],
        Sequence[tuple[DrivenEntry, ...]]]:
    """The index's static, timed and driven rows per class, without the ``banned`` arcs."""
    if not banned:
        return index.static, index.timed, index.driven
    return (_Filtered(index.static, index.static_arcs, banned),
            _Filtered(index.timed, index.timed_arcs, banned),
            _Filtered(index.driven, index.driven_arcs, banned))


def _truck_label(front: list[list], x: float, c: float, head: int) -> list | None:
    """A label [arrival ``x``, driver's clock ``c``, class ``head``, dropped] put on the
    class's front of labels, unless one there is sooner by at least the clocks' slack; the
    labels it beats so are marked dropped and leave the front. None when it is beaten.
    """
    beaten = killed = False
    for lo in front:  # (a clock's slack is never negative: test the times first)
        y = lo[0]
        if y <= x and (lo[1] == c or y + clock_slack(lo[1], c) <= x):
            beaten = True
            break
        if x <= y and (lo[1] == c or x + clock_slack(c, lo[1]) <= y):
            lo[3] = killed = True
    if killed:
        front[:] = [lo for lo in front if not lo[3]]
    if beaten:
        return None
    label = [x, c, head, False]
    front.append(label)
    return label


class _Filtered(Sequence[tuple[_E, ...]], Generic[_E]):
    """Rows of an index with the banned arcs left out, built lazily per visited class."""

    def __init__(self, rows: Sequence[tuple[_E, ...]], arcs: Sequence[tuple[int, ...]],
                 banned: Collection[int]):
        self.rows, self.arcs, self.banned = rows, arcs, banned
        self.done: dict[int, tuple[_E, ...]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, s: int) -> tuple[_E, ...]:  # type: ignore[override]
        row = self.done.get(s)
        if row is None:
            banned = self.banned
            row = self.done[s] = tuple(
                e for e, a in zip(self.rows[s], self.arcs[s], strict=True) if a not in banned)
        return row


def _euclid(graph: SearchGraph, target: int) -> np.ndarray | None:
    """Straight-line distance to ``target`` over the fastest arc speed, per node (or None)."""
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
    km = 2 * SPHERE_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(hav)))
    bound: np.ndarray = km / vmax * 0.999999
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
    prune: bool = True,
    guard: Guard | None = None,
) -> list[Found]:
    """Every Pareto-optimal route over (arrival, cost, CO2e) from ``source`` to ``target``.

    ``required`` lists sets of arcs; a route must use at least one arc of each set (``via``
    places and corridor families are expressed this way). Costs and CO2e are per TEU.

    With ``prune`` (the default) a label is dropped when even its lower bounds to the target
    (:func:`~midcorridor.routing.timeindex.remaining_lower_bounds`) added to it are no better
    than a route already found, or arrive after ``arrive_by_h``. The bounds never overestimate,
    so such a label could only lead to dominated routes: the result is the same as without.

    With ``guard`` (:func:`midcorridor.routing.rules.guard`) every route keeps the route rules:
    no place twice (but for the places passed before a place the guard lets it turn back at),
    no passing the destination, no long detour over land. The guard's via places
    (``guard.vias``) are the first required sets, in order.
    """
    lb_t, lb_c, lb_e = (remaining_lower_bounds(graph, target) if prune
                        else ([0.0] * len(graph.ids),) * 3)
    deadline = arrive_by_h if arrive_by_h is not None else math.inf
    # label: [t, cost, co2, k, state, mask, parent, step, dead, context of the state,
    #         land km it may still travel (rule 3), places passed (bit per node), near the
    #         destination, driver's clock, places passed before its last via place, and the
    #         places another label may not have passed (anywhere, and before its last via
    #         place) to beat it (_watcher), services left (bit per service, rule 1)]
    labels: list[list] = []
    bags: dict[tuple[int, int, bool], list[list]] = {}
    finals: list[int] = []
    heap: list[tuple[float, float, float, int, int]] = []
    beaten, record = _frontier(lb_t, lb_c, lb_e, deadline)
    watch = _watcher(graph, guard)
    if guard is not None and watch is not None and not all(
            _passable(graph, source, target, r.node, banned) for r in guard.vias):
        return []  # no way through a via place passes no place twice
    dominated = _dominance(graph, bags, beaten, max_transshipments, watch is not None)
    add = _labeller(graph, labels, bags, heap, dominated, (lb_t, lb_c, lb_e), watch)
    add(depart_h, 0.0, 0.0, 0, graph.state_of[(source, 0)], initial_mask, -1, None,
        guard.limit_km if guard is not None else math.inf, 1 << source,
        guard is not None and guard.near[source], 0.0, 0, 0)
    full = (1 << len(required)) - 1
    extend = _extender(graph, target, add, full=full, bits=_required_bits(required),
                       banned=banned, rules=_rule_arrays(graph, guard), deadline=deadline,
                       limit_k=max_transshipments,
                       via_bits=(1 << len(guard.vias)) - 1 if guard and watch else 0,
                       services=_service_bits(graph, guard))
    _settle(graph, target, labels, heap, finals, (beaten, record), extend, prune=prune,
            full=full)
    return [_found(graph, labels, f) for f in finals]


def _kept_final(labels: list[list], finals: list[int], lid: int) -> bool:
    """Whether the route of label ``lid`` at the target is kept among ``finals`` (none of
    them is no worse); the finals it beats are dropped.
    """
    new = labels[lid][:3]
    if any(_no_worse(labels[f][:3], new) for f in finals):
        return False
    # popped in order of bounds, a later route can (by float rounding in the bounds) beat
    # an earlier one: keep only the non-dominated
    finals[:] = [f for f in finals if not _no_worse(new, labels[f][:3])]
    finals.append(lid)
    return True


def _no_worse(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether route values (arrival, cost, CO2e) ``a`` are no worse than ``b`` in every
    criterion, up to float rounding (sums of the same figures in another order): cost and
    CO2e relatively, the arrival within a millionth of an hour (hours since the epoch are
    large, so a relative margin there would join arrivals seconds apart).
    """
    return (a[0] <= b[0] + 1e-6
            and all(x <= y + 1e-9 * abs(y) for x, y in zip(a[1:], b[1:], strict=True)))


def _required_bits(required: Sequence[Collection[int]]) -> dict[int, int]:
    """Per arc of a required set, the bits of the sets it belongs to (set j: bit j)."""
    bits: dict[int, int] = {}
    for j, arc_set in enumerate(required):
        for a in arc_set:
            bits[a] = bits.get(a, 0) | (1 << j)
    return bits


# The Pareto search is written as closures over local names (see benchmarks/bench_routing.py):
# the parts below each make the closures of one concern, which the search loop calls.


def _frontier(lb_t: Sequence[float], lb_c: Sequence[float], lb_e: Sequence[float],
              deadline: float) -> tuple[Callable[[float, float, float, int], bool],
                                        Callable[[float, float, float], None]]:
    """The routes found, for the pruning test: ``beaten(t, c, e, node)`` says whether one
    of them is no worse than the best a label could still become, ``record(t, c, e)`` adds one.
    """
    # all of them, and (fast path) the staircase of their (cost, CO2e) pairs, valid while
    # the bound is later than all of them
    found: list[tuple[float, float, float]] = []
    stair_c: list[float] = []
    stair_e: list[float] = []
    latest = -math.inf

    def beaten(t: float, c: float, e: float, v: int) -> bool:
        # a route found is no worse than the best this label could still become
        tb, cb, eb = t + lb_t[v], c + lb_c[v], e + lb_e[v]
        if tb > deadline or tb == math.inf:
            return True
        if not found:
            return False
        if latest <= tb:
            i = bisect_right(stair_c, cb)
            return i > 0 and stair_e[i - 1] <= eb
        return any(ft <= tb and fc <= cb and fe <= eb for ft, fc, fe in found)

    def record(t: float, c: float, e: float) -> None:
        nonlocal latest
        found.append((t, c, e))
        latest = max(latest, t)
        i = bisect_right(stair_c, c)
        if i > 0 and stair_e[i - 1] <= e:
            return  # no better in (cost, CO2e) than one already on the staircase
        j = i
        while j < len(stair_c) and stair_e[j] >= e:
            j += 1
        stair_c[i:j] = [c]
        stair_e[i:j] = [e]

    return beaten, record


def _watcher(graph: SearchGraph, guard: Guard | None
             ) -> Callable[[int, float, int], tuple[int, int]] | None:
    """Under rule 1 in full with via places, ``watch(node, land km left, mask)``: the places a
    label there may not have passed when another one is to beat it (docs/routing.md), as
    (places the other may have passed anywhere, places it may have passed before its last
    via place); None when labels need no comparing by places.

    A way on from the label passes a place ``w`` after a via place it still needs only when
    the land km to that via place and from it through ``w`` to the target keep within the
    land km rule 3 leaves the label; it passes ``w`` at all (back to where the other label was
    before its last via place) only when the land km from the node through ``w`` to the
    target do, which is bounded below through any via place by the triangle inequality.
    """
    if guard is None or not guard.vias:
        return None
    reach = list(enumerate(guard.vias))

    def watch(v: int, left: float, mask: int) -> tuple[int, int]:
        ahead = 0
        behind = -1
        passed_any = False
        for j, r in reach:
            if mask >> j & 1:
                passed_any = True
            elif r.to_via[v] < math.inf:
                ahead |= r.within(left - r.to_via[v])
            if r.from_via[v] < math.inf:
                behind &= r.within(left + r.from_via[v])
        return ahead, (behind if passed_any else 0)

    return watch


def _passable(graph: SearchGraph, source: int, target: int, via: int,
              banned: Collection[int]) -> bool:
    """Whether the arcs not ``banned``, taken either way, leave two paths from ``via`` that
    share no place, one to ``source`` and one to ``target``: without them no route from
    ``source`` to ``target`` passes ``via`` and no place twice. Two augmenting paths of a
    unit-capacity flow over the places split in two (in and out), found breadth first.
    """
    if via in (source, target):
        return True
    near: list[set[int]] = [set() for _ in graph.ids]
    for a, arc in enumerate(graph.arcs):
        if a not in banned and arc.tail != arc.head:
            near[arc.tail].add(arc.head)
            near[arc.head].add(arc.tail)
    # flow network: place v is 2v (in) and 2v + 1 (out); the sink is -1
    flow: dict[tuple[int, int], int] = {}

    def residual(u: int) -> list[int]:
        v, out = divmod(u, 2)
        nexts = [2 * w for w in near[v]] if out else [2 * v + 1]
        if out and v in (source, target):
            nexts.append(-1)
        back = [2 * v] if out else [2 * w + 1 for w in near[v]]  # arcs into u with flow
        return ([x for x in nexts if flow.get((u, x), 0) < 1]
                + [x for x in back if flow.get((x, u), 0) > 0])

    for _ in range(2):
        parent = {2 * via + 1: 2 * via + 1}
        queue = [2 * via + 1]
        while queue and -1 not in parent:
            u = queue.pop(0)
            for x in residual(u):
                if x not in parent:
                    parent[x] = u
                    queue.append(x)
        if -1 not in parent:
            return False
        x = -1
        while x != 2 * via + 1:
            u = parent[x]
            if flow.get((x, u), 0) > 0:
                flow[(x, u)] -= 1
            else:
                flow[(u, x)] = flow.get((u, x), 0) + 1
            x = u
    return True


def _dominance(graph: SearchGraph, bags: dict[tuple[int, int, bool], list[list]],
               beaten: Callable[[float, float, float, int], bool],
               limit_k: int | None, watching: bool) -> Callable[..., bool]:
    """``dominated(t, c, e, k, left, state, key, clock, places, gone)``: whether a new label is
    beaten by a route found or by a label in its bag; labels of the bag it dominates are
    marked dead. With ``watching`` a label beats another only if it passed none of the places
    the other watches (_watcher); ``places`` are the new label's places passed, passed before
    its last via place, and watched (ahead of and behind its via places); ``gone`` the
    services it has left, of which the other must have left all to be beaten.
    """
    state_ctx = graph.state_ctx
    slack_t, hand_cost, hub = graph.node_slack, graph.handling_cost, graph.hub_co2
    pause = graph.ctx_pause_h

    def dominated(t: float, c: float, e: float, k: int, left: float, s: int,
                  key: tuple[int, int, bool], clock: float,
                  places: tuple[int, int, int, int], gone: int) -> bool:
        v = key[0]
        passed, before, ahead, behind = places
        if beaten(t, c, e, v):
            return True
        bag = bags.get(key)
        if not bag:
            return False
        # Labels that arrived differently (another context) are compared with the slack the
        # handling at v could add; labels that arrived the same way by truck with the slack
        # of their drivers' clocks. A bag holds only live labels that do not dominate one
        # another.
        ctx = state_ctx[s]
        st, sc, se = slack_t[v], hand_cost[v], hub
        # a label that came by truck may owe its driver a rest the other label does not
        pause_new = pause[ctx]
        # The land km a label may still travel (``left``, more is better) only matter under a
        # detour limit; it is then a fourth criterion.
        for lo in bag:
            if lo[9] == ctx:
                if (lo[0] <= t and (lo[13] == clock or lo[0] + clock_slack(lo[13], clock) <= t)
                        and lo[1] <= c and lo[2] <= e and lo[10] >= left
                        and not lo[17] & ~gone and (limit_k is None or lo[3] <= k)
                        and (not watching or _passed_none(lo[11], lo[14], passed, ahead, behind))):
                    return True
            elif (lo[0] + st + pause[lo[9]] <= t and lo[1] + sc <= c and lo[2] + se <= e
                    and lo[10] >= left and not lo[17] & ~gone
                    and (limit_k is None or lo[3] + 1 <= k)
                    and (not watching or _passed_none(lo[11], lo[14], passed, ahead, behind))):
                return True
        killed = False
        for lo in bag:
            if lo[9] == ctx:
                if (t <= lo[0] and (lo[13] == clock or t + clock_slack(clock, lo[13]) <= lo[0])
                        and c <= lo[1] and e <= lo[2] and left >= lo[10]
                        and not gone & ~lo[17] and (limit_k is None or k <= lo[3])
                        and (not watching or _passed_none(passed, before, lo[11], lo[15], lo[16]))):
                    lo[8] = killed = True
            elif (t + st + pause_new <= lo[0] and c + sc <= lo[1] and e + se <= lo[2]
                    and left >= lo[10] and not gone & ~lo[17]
                    and (limit_k is None or k + 1 <= lo[3])
                    and (not watching or _passed_none(passed, before, lo[11], lo[15], lo[16]))):
                lo[8] = killed = True
        if killed:
            bags[key] = [lo for lo in bag if not lo[8]]
        return False

    return dominated


def _passed_none(passed: int, before: int, other: int, ahead: int, behind: int) -> bool:
    """Whether a label that passed the places ``passed`` (``before`` its last via place)
    passed none of the places another label watches (``ahead`` of and ``behind`` its via
    places, _watcher) but has not passed itself (``other``).
    """
    return not ((passed & ahead) | (before & behind)) & ~other


def _labeller(graph: SearchGraph, labels: list[list],
              bags: dict[tuple[int, int, bool], list[list]],
              heap: list[tuple[float, float, float, int, int]],
              dominated: Callable[..., bool],
              bounds: tuple[Sequence[float], Sequence[float], Sequence[float]],
              watch: Callable[[int, float, int], tuple[int, int]] | None,
              ) -> Callable[..., None]:
    """``add(t, c, e, k, state, mask, parent, step, left, passed, near, clock, before,
    gone)``: a new label unless it is dominated, put in its bag and on the heap by its bounds.
    """
    state_node, state_ctx = graph.state_node, graph.state_ctx
    lb_t, lb_c, lb_e = bounds
    tie = count()

    def add(t: float, c: float, e: float, k: int, s: int, mask: int, parent: int,
            step: tuple[int, float, float, float, float, float, int] | None,
            left: float, passed: int, near: bool, clock: float, before: int,
            gone: int) -> None:
        key = (state_node[s], mask, near)
        ahead, behind = watch(key[0], left, mask) if watch is not None else (0, 0)
        if dominated(t, c, e, k, left, s, key, clock, (passed, before, ahead, behind), gone):
            return
        lid = len(labels)
        label = [t, c, e, k, s, mask, parent, step, False, state_ctx[s], left, passed, near,
                 clock, before, ahead, behind, gone]
        labels.append(label)
        bags.setdefault(key, []).append(label)
        v = key[0]  # labels leave the heap in order of their bounds (A*-like, NAMOA*)
        heapq.heappush(heap, (t + lb_t[v], c + lb_c[v], e + lb_e[v], next(tie), lid))

    return add


def _rule_arrays(graph: SearchGraph, guard: Guard | None) -> tuple[
        Sequence[bool], Sequence[bool], Sequence[float], Sequence[float], Sequence[float],
        bool, Sequence[bool]]:
    """The route rules' arrays (near and far per node, land km per arc, least land km to the
    target and most land km a route may travel on per node), whether places may be passed
    twice (rule 1 off) and per node whether a route may turn back there (its places passed
    start again); without a guard, arrays that let every route through.
    """
    n_nodes = len(graph.ids)
    if guard is not None:
        turn = guard.turn if guard.turn is not None else [False] * n_nodes
        rest = guard.rest_km if guard.rest_km is not None else [math.inf] * n_nodes
        return (guard.near, guard.far, guard.arc_km, guard.lb_km, rest, False, turn)
    return ([False] * n_nodes, [False] * n_nodes, [0.0] * len(graph.arcs), [0.0] * n_nodes,
            [math.inf] * n_nodes, True, [False] * n_nodes)


def _service_bits(graph: SearchGraph, guard: Guard | None
                  ) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
    """Per arc, the bit of the service it runs on; per state, the bit of the service the
    cargo arrived on, and that bit again when the service runs on from there (a route that
    gets off there has left it mid-run; at its last stop, or where a train's boxes cross by
    ferry to rejoin it beyond, it has not). Under rule 1 a route never boards again a
    service it has left mid-run; all 0 when a route may (no guard, or the rule given way).
    """
    if guard is None or guard.rejoin:
        return [0] * len(graph.arcs), [0] * len(graph.state_node), [0] * len(graph.state_node)
    cached = getattr(graph, "_service_bits", None)
    if cached is None:
        bit: dict[str, int] = {}
        by_arc = [0 if arc.service is None else
                  1 << bit.setdefault(arc.service.id, len(bit)) for arc in graph.arcs]
        by_ctx = [0] * len(graph.ctx_keys)
        for a, ctx in enumerate(graph.arc_ctx):
            by_ctx[ctx] = by_arc[a]
        runs_on = {(arc.tail, arc.service.id, arc.direction, arc.leg)
                   for arc in graph.arcs if arc.service is not None}
        mid_run = []
        for v, ctx in zip(graph.state_node, graph.state_ctx, strict=True):
            key = graph.ctx_keys[ctx]
            on = len(key) == 4 and (v, key[1], key[2], key[3] + 1) in runs_on  # type: ignore[operator]
            mid_run.append(by_ctx[ctx] if on else 0)
        cached = (by_arc, [by_ctx[ctx] for ctx in graph.state_ctx], mid_run)
        graph._service_bits = cached  # type: ignore[attr-defined]
    return cached


def _settle(graph: SearchGraph, target: int, labels: list[list],
            heap: list[tuple[float, float, float, int, int]], finals: list[int],
            frontier: tuple[Callable[[float, float, float, int], bool],
                            Callable[[float, float, float], None]],
            extend: Callable[[int, list], None], *, prune: bool, full: int) -> None:
    """Take labels off the heap in order of their bounds until it is empty: one at the
    target with every required set is a route (kept among ``finals`` unless one is no
    worse); any other not beaten by the routes found is extended (``extend``, _extender).
    """
    state_node = graph.state_node
    beaten, record = frontier
    while heap:
        lid = heapq.heappop(heap)[4]
        label = labels[lid]
        if label[8]:
            continue  # dead: beaten in its bag since it was made
        t, c, e = label[0], label[1], label[2]
        v = state_node[label[4]]
        if v == target and label[5] == full:
            if _kept_final(labels, finals, lid):
                record(t, c, e)
            continue
        if prune and finals and beaten(t, c, e, v):
            continue  # routes found since this label was made beat its bounds
        extend(lid, label)


def _extender(graph: SearchGraph, target: int, add: Callable[..., None], *, full: int,
              bits: dict[int, int], banned: Collection[int],
              rules: tuple[Sequence[bool], Sequence[bool], Sequence[float], Sequence[float],
                           Sequence[float], bool, Sequence[bool]],
              deadline: float, limit_k: int | None, via_bits: int,
              services: tuple[Sequence[int], Sequence[int], Sequence[int]]
              ) -> Callable[[int, list], None]:
    """``extend(lid, label)``: a label (``add``) for every arc out of label ``lid`` that
    keeps the route rules, the deadline and the transshipment limit.
    """
    arcs, entries, state_node = graph.arcs, graph.entries, graph.state_node
    hand_cost, hub = graph.handling_cost, graph.hub_co2
    discharge, unloads = graph.discharge_h, graph.unloads
    near_at, far_at, arc_km, lb_km, rest_km, revisit, turn = rules
    turning = any(turn)
    arc_service, arrived_on, mid_run = services

    def extend(lid: int, label: list) -> None:
        t, c, e, k, s, mask, _, _, _, _, left, passed, near, clock, before, _, _, gone = label
        v = state_node[s]
        if v == target and not revisit and not turning:
            return  # rule 1: a route that passes its destination can never come back
        came = arrived_on[s]  # the service the cargo is aboard (0: none)
        leaving = 0 if turn[v] else mid_run[s]  # left mid-run if the cargo gets off here
        for head, pre, run, times, period, a, tranship, drive in entries[s]:
            if a in banned:
                continue
            w = state_node[head]
            if (passed >> w & 1 and not revisit) or (near and far_at[w]):
                continue  # rules 1 and 2: no place twice, no passing the destination
            on = arc_service[a]
            if on == came and not tranship:
                gone2 = gone  # staying aboard
            else:
                gone2 = gone | leaving
                if on & gone2:
                    continue  # rule 1: never boarding again a service it has left
            left2 = left - arc_km[a]
            if left2 > rest_km[w]:
                left2 = rest_km[w]
            if lb_km[w] > left2:
                continue  # rule 3: no long detour over land, from the origin or any place
            ready = t + pre
            wait = 0.0
            if times is not None:  # the next departure of the timetable
                x = (ready - WEEK_ANCHOR_H) % period
                i = bisect_left(times, x)
                wait = (times[i] if i < len(times) else period + times[0]) - x
            dep = ready + wait
            if drive is None:
                arrive, clock2 = dep + run, 0.0
            else:  # by truck: timed from the driver's clock (``run`` is from a rested start)
                arrive = dep + (road_leg_hours(clock, drive) if clock else run)
                clock2 = clock + drive
            c2 = c + arcs[a].cost + (hand_cost[v] if tranship else 0.0)
            e2 = e + arcs[a].co2 + (hub if tranship else 0.0)
            mask2 = mask | bits.get(a, 0)
            if w == target and unloads[head] and mask2 == full:
                arrive += discharge[head]  # unloading the vessel at the destination
                c2 += hand_cost[w]
                e2 += hub
            k2 = k + tranship + arcs[a].transshipments
            if arrive > deadline or (limit_k is not None and k2 > limit_k):
                continue
            add(arrive, c2, e2, k2, head, mask2, lid,
                (a, t, dep, arrive, pre, wait, tranship), left2,
                (1 << w) if turn[w] else passed | (1 << w), near or near_at[w], clock2,
                passed if (mask2 ^ mask) & via_bits else before, 0 if turn[w] else gone2)

    return extend


def _found(graph: SearchGraph, labels: list[list], lid: int) -> Found:
    steps: list[Step] = []
    t, c, e, k = labels[lid][:4]
    unload = graph.unloads[labels[lid][4]]
    while labels[lid][6] >= 0:
        a, ready, dep, arrive, pre, wait, tranship = labels[lid][7]
        steps.append(Step(a, ready, dep, arrive, pre, wait, bool(tranship), unload))
        unload = False
        lid = labels[lid][6]
    steps.reverse()
    ttw = sum(graph.arcs[s.arc].ttw + (graph.hub_ttw if s.transship else 0.0)
              + (graph.hub_ttw if s.unloaded else 0.0) for s in steps)
    return Found(tuple(steps), t, c, e, ttw, k)
