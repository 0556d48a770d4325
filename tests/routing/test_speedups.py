"""The fast paths give the same answers: merged time classes, A* bounds, Pareto pruning."""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.networks import link, node, port_network
from helpers.strategies import departs, networks
from midcorridor.emissions import link_emission
from midcorridor.network.driving import road_leg_hours
from midcorridor.network.model import Mode, Network
from midcorridor.routing import Tariffs
from midcorridor.routing.cargo import TONNES_PER_TEU
from midcorridor.routing.graph import SearchGraph, _link_co2, search_graph
from midcorridor.routing.search import earliest_arrival, pareto_search
from midcorridor.routing.timeindex import remaining_lower_bounds
from midcorridor.routing.timetable import WEEK_ANCHOR_H, to_hours

if TYPE_CHECKING:
    from datetime import datetime


def _reference_time(graph: SearchGraph, source: int, target: int, depart_h: float,
                    banned: frozenset[int] = frozenset()) -> float:
    """Plain Dijkstra over the unmerged states and their full entries, a state reached by
    truck once per driver's clock (hours driven since the road began, each road arc timed
    from it); at the target, the earliest of arrival plus unloading (a vessel's port call) over
    the states there. A clock beyond the network's road hours has driven round a cycle of
    roads, which never arrives sooner (elapsed hours grow with the hours driven), so such
    arrivals are left out and the search ends."""
    road_h = sum(lk.hours.typ for lk in graph.network.links if lk.mode is Mode.ROAD)
    first = (graph.state_of[(source, 0)], 0.0)
    dist = {first: depart_h}
    heap = [(depart_h, *first)]
    done = set()
    best = math.inf
    while heap:
        t, s, clock = heapq.heappop(heap)
        if (s, clock) in done:
            continue
        done.add((s, clock))
        if graph.state_node[s] == target:
            best = min(best, t + graph.discharge_h[s])
            continue
        for head, pre, run, times, period, a, _, drive in graph.entries[s]:
            if a in banned:
                continue
            ready = t + pre
            if times is not None:
                x = (ready - WEEK_ANCHOR_H) % period
                i = bisect_left(times, x)
                ready += (times[i] if i < len(times) else period + times[0]) - x
            after = 0.0
            if drive is not None:
                run, after = road_leg_hours(clock, drive), clock + drive
                if after > road_h * (1 + 1e-9):
                    continue
            if ready + run < dist.get((head, after), math.inf):
                dist[(head, after)] = ready + run
                heapq.heappush(heap, (ready + run, head, after))
    return best


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=7), departs, st.data())
def test_time_query_matches_reference(net: Network, depart: datetime, data: st.DataObject) -> None:
    """Dijkstra and A* over merged time classes give the plain state Dijkstra's arrival exactly."""
    graph = search_graph(net, Tariffs())
    n, t0 = len(graph.ids), to_hours(depart)
    banned = frozenset(data.draw(st.sets(st.integers(0, len(graph.arcs) - 1), max_size=3)))
    for source in range(n):
        for target in range(n):
            if source == target:
                continue
            want = _reference_time(graph, source, target, t0, banned)
            for astar in (False, True):
                got = earliest_arrival(graph, source, target, t0, banned=banned, astar=astar)
                assert got == want


def _values(found: list) -> list[tuple[float, float, float, int]]:
    return sorted((f.arrive_h, f.cost, f.co2, f.transshipments) for f in found)


@settings(max_examples=80, deadline=None)
@given(networks(max_nodes=7), departs, st.data())
def test_pruned_pareto_equals_unpruned(net: Network, depart: datetime,
                                       data: st.DataObject) -> None:
    """Lower-bound pruning leaves the Pareto set unchanged, with and without constraints."""
    graph = search_graph(net, Tariffs())
    n, t0 = len(graph.ids), to_hours(depart)
    source, target = data.draw(st.sampled_from(
        [(s, t) for s in range(n) for t in range(n) if s != t]))
    max_k = data.draw(st.sampled_from([None, 0, 1, 2]))
    arrive_by = data.draw(st.sampled_from([None, t0 + 24.0, t0 + 100.0, t0 + 400.0]))
    kwargs = {"max_transshipments": max_k, "arrive_by_h": arrive_by}
    pruned = pareto_search(graph, source, target, t0, **kwargs)  # type: ignore[arg-type]
    plain = pareto_search(graph, source, target, t0, prune=False, **kwargs)  # type: ignore[arg-type]
    assert _values(pruned) == _values(plain)


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=6), departs)
def test_lower_bounds_never_overestimate(net: Network, depart: datetime) -> None:
    """Remaining-time, cost and CO2e bounds are at most what any Pareto route needs."""
    graph = search_graph(net, Tariffs())
    t0 = to_hours(depart)
    target = len(graph.ids) - 1
    lb_t, lb_c, lb_e = remaining_lower_bounds(graph, target)
    for source in range(len(graph.ids) - 1):
        found = pareto_search(graph, source, target, t0, prune=False)
        for f in found:
            assert lb_t[source] <= f.arrive_h - t0 + 1e-9
            assert lb_c[source] <= f.cost + 1e-9
            assert lb_e[source] <= f.co2 + 1e-9


def test_unreachable_target_is_pruned_at_once() -> None:
    """A target no arc leads to gives no routes and an infinite earliest arrival."""
    nodes = {n.id: n for n in (node("KZAAA", "KZ", 50.0), node("KZBBB", "KZ", 51.0),
                               node("KZCCC", "KZ", 52.0))}
    net = Network(nodes=nodes, links=(link("KZAAA", "KZBBB", Mode.RAIL, 100.0, 5.0),))
    graph = search_graph(net, Tariffs())
    a, c = graph.index["KZAAA"], graph.index["KZCCC"]
    assert remaining_lower_bounds(graph, c)[0][a] == math.inf
    assert pareto_search(graph, a, c, 0.0) == []
    assert earliest_arrival(graph, a, c, 0.0) == math.inf
    assert earliest_arrival(graph, a, c, 0.0, astar=False) == math.inf


def test_time_classes_merge_equivalent_states() -> None:
    """Arriving at the start or by rail at a rail-only node is one time class, not two."""
    graph = search_graph(port_network(), Tariffs())
    index = graph.time_index
    assert len(index.node) < len(graph.entries)
    assert sorted(set(index.node)) == list(range(len(graph.ids)))


@pytest.mark.parametrize("stretch", [0.98, 1.0, 1.004, 1.01, 1.03, 1.031, 1.2, 2.0])
def test_fast_link_emission_matches_emissions_module(stretch: float) -> None:
    """The planner's shortcut past the ellipsoid geodesic gives ``link_emission`` exactly."""
    nodes = {n.id: n for n in (node("KZAAA", "KZ", 50.0, lat=43.6),
                               node("AZBBB", "AZ", 49.9, lat=40.3))}
    base = link("KZAAA", "AZBBB", Mode.FERRY, 1.0, 20.0)
    from midcorridor.network.geo import great_circle_km

    gcd = great_circle_km(43.6, 50.0, 40.3, 49.9)
    lk = replace(base, distance_km=gcd * stretch)
    net = Network(nodes=nodes, links=(lk,))
    assert _link_co2(net, lk) == link_emission(net, lk, TONNES_PER_TEU)
