"""Property tests: feasibility against the timetable, Pareto optimality, brute force, avoidance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.strategies import COUNTRIES, departs, networks
from midcorridor.errors import NoRouteError
from midcorridor.network.geo import haversine_km
from midcorridor.network.model import Mode, Network
from midcorridor.routing import Cargo, Tariffs, plan
from midcorridor.routing.graph import search_graph
from midcorridor.routing.rules import Rules, guard
from midcorridor.routing.search import pareto_search
from midcorridor.routing.timetable import from_hours, to_hours


@settings(max_examples=60, deadline=None)
@given(networks(), departs)
def test_options_are_feasible_and_non_dominated(net: Network, depart: datetime) -> None:
    """Every leg leaves on a scheduled departure, legs chain in time, no option dominates."""
    ids = list(net.nodes)
    result = plan(net, ids[0], ids[-1], cargo=Cargo(1), depart=depart, distinct=False)
    graph = search_graph(net, Tariffs())
    for option in result.options:
        t = depart
        for leg in option.legs:
            assert leg.depart == t + timedelta(hours=leg.dwell_h + leg.wait_h) or abs(
                (leg.depart - t - timedelta(hours=leg.dwell_h + leg.wait_h)).total_seconds()) < 2
            assert leg.arrive >= leg.depart
            if leg.service_id is not None:
                arc = next(a for a in graph.arcs if a.link.id == leg.link_id
                           and a.service is not None and a.service.id == leg.service_id
                           and graph.ids[a.tail] == leg.origin)
                dep_h = to_hours(leg.depart)
                assert abs(arc.schedule.next_departure(dep_h - 1e-6) - dep_h) < 1e-3
            t = leg.arrive
        assert abs((t - depart).total_seconds() / 3600 - option.total_hours) < 1e-3
    for a in result.options:
        assert not any(b.dominates(a) for b in result.options)


def _km(net: Network, a: str, b: str) -> float:
    na, nb = net.nodes[a], net.nodes[b]
    return haversine_km(na.lat, na.lon, nb.lat, nb.lon)


def _brute_force(net: Network, src: str, dst: str, depart_h: float,
                 max_arcs: int = 7) -> set[tuple[float, float, float]]:
    """All paths of up to ``max_arcs`` arcs that keep the route rules, evaluated directly.

    A vessel is unloaded at the destination (its handling time, cost and hub CO2e). The
    rules from the docs: no place twice; within 100 km of the destination, never again
    beyond 150 km; land and inland-sea distance at most twice the great circle (these networks
    have no ocean legs). Returns the Pareto front.
    """
    g = search_graph(net, Tariffs())
    results = []
    limit = 2 * _km(net, src, dst)

    def walk(v: int, ctx: int, t: float, c: float, e: float, depth: int,
             seen: tuple[str, ...] = (src,), km: float = 0.0) -> None:
        if g.ids[v] == dst:
            near = [i for i, p in enumerate(seen) if _km(net, p, dst) <= 100 + 1e-6]
            if near and any(_km(net, p, dst) > 150 for p in seen[near[0]:]):
                return
            if km <= limit * (1 + 1e-9):
                if ctx and g.ctx_keys[ctx][0] in (Mode.SEA, Mode.FERRY):  # unloading the vessel
                    t, c, e = t + g.handling_h[v], c + g.handling_cost[v], e + g.hub_co2
                results.append((t, c, e))
            return
        if depth == max_arcs:
            return
        for a in g.out[v]:
            arc = g.arcs[a]
            if g.ids[arc.head] in seen:
                continue
            ride = g.rides_through(ctx, a)
            tr = (not ride) and g.transships(ctx, a)
            ready = t + arc.dwell_h + (g.handling_h[v] if tr else 0.0)
            dep = ready if (ride or arc.schedule is None) else arc.schedule.next_departure(ready)
            walk(arc.head, g.arc_ctx[a], dep + arc.run_h,
                 c + arc.cost + (g.handling_cost[v] if tr else 0.0),
                 e + arc.co2 + (g.hub_co2 if tr else 0.0), depth + 1,
                 (*seen, g.ids[arc.head]), km + arc.link.distance_km)

    walk(g.index[src], 0, depart_h, 0.0, 0.0, 0)
    front = {r for r in results
             if not any(o[0] <= r[0] and o[1] <= r[1] and o[2] <= r[2] and o != r
                        for o in results)}
    return {(round(t - depart_h, 4), round(c, 4), round(e, 4)) for t, c, e in front}


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=4), departs)
def test_matches_brute_force(net: Network, depart: datetime) -> None:
    """On small random networks the Pareto set under the rules equals brute force."""
    ids = list(net.nodes)
    graph = search_graph(net, Tariffs())
    s, t = graph.index[ids[0]], graph.index[ids[-1]]
    found = pareto_search(graph, s, t, to_hours(depart), guard=guard(graph, s, t, Rules()))
    values = {(round(f.arrive_h - to_hours(depart), 4), round(f.cost, 4), round(f.co2, 4))
              for f in found}
    assert values == _brute_force(net, ids[0], ids[-1], to_hours(depart))


@settings(max_examples=40, deadline=None)
@given(networks(), departs, st.sampled_from(COUNTRIES))
def test_avoided_countries_never_appear(net: Network, depart: datetime, country: str) -> None:
    """No leg of any option touches an avoided country (or NoRouteError says why)."""
    ids = [i for i in net.nodes if not i.startswith(country)]
    assume(len(ids) >= 2)
    try:
        result = plan(net, ids[0], ids[-1], cargo=Cargo(1), depart=depart,
                      avoid_countries=[country])
    except NoRouteError as exc:
        message = str(exc)
    else:
        message = ""
    if message:
        assert "avoid" in message
        return
    for option in (*result.options, *result.by_corridor):
        for leg in option.legs:
            assert not leg.origin.startswith(country)
            assert not leg.destination.startswith(country)


def test_from_hours_round_trip() -> None:
    """Hours since the epoch convert back to the same UTC time."""
    moment = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert from_hours(to_hours(moment)) == moment
