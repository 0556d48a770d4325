# ruff: noqa: B023  (the lambdas are called inside the loop iteration that defines them)
"""Route planner speed: time query vs NetworkX Dijkstra, Pareto growth, corridor latency.

Synthetic networks are jittered lattices over Eurasia (rail links, 1 in 20 a weekly ferry
line). NetworkX runs Dijkstra on the same graph with static weights (dwell + running time);
ours runs the time-dependent query (waiting for sailings included) as Dijkstra and as A*
(the one ``plan()`` uses). The Pareto search is timed with its lower-bound pruning against the
same search without it, and on the corridor network with the route rules against without them.
"""

from __future__ import annotations

import contextlib
import math
import random
import statistics
import time
from datetime import UTC, datetime

import networkx as nx

from midcorridor.errors import MidcorridorError
from midcorridor.network.model import (
    Departures,
    Link,
    Mode,
    Network,
    Node,
    NodeKind,
    Service,
    ServiceKind,
    Spread,
)
from midcorridor.routing import Cargo, plan
from midcorridor.routing.graph import search_graph
from midcorridor.routing.rules import DEFAULT_RULES, Rules, guard
from midcorridor.routing.search import earliest_arrival, pareto_search
from midcorridor.routing.timetable import to_hours

DEPART = datetime(2026, 12, 1, tzinfo=UTC)
#: the route rules as they were before rule 3 held from every place passed and a route could
#: not board again a service it left (the baseline)
EARLIER_RULES = Rules(leeway_km=math.inf, rejoin=True)


def synthetic(n: int, seed: int = 0) -> Network:
    """About ``n`` nodes on a jittered lattice, 4-neighbour rail links, 5 % timetabled ferries."""
    rng = random.Random(seed)
    side = max(2, round(n**0.5))
    nodes: dict[str, Node] = {}
    for r in range(side):
        for c in range(side):
            nid = f"X{r * side + c:06d}"
            lat = 30 + 25 * r / side + rng.uniform(-0.05, 0.05)
            lon = 30 + 80 * c / side + rng.uniform(-0.05, 0.05)
            nodes[nid] = Node(nid, nid, "KZ", lat, lon, NodeKind.RAIL_TERMINAL, handling_h=4.0)
    links: list[Link] = []
    services: list[Service] = []
    ids = list(nodes)
    for r in range(side):
        for c in range(side):
            a = ids[r * side + c]
            for dr, dc in ((0, 1), (1, 0)):
                if r + dr >= side or c + dc >= side:
                    continue
                b = ids[(r + dr) * side + c + dc]
                km = 1.3 * _km(nodes[a], nodes[b])
                ferry = rng.random() < 0.05
                mode = Mode.FERRY if ferry else Mode.RAIL
                hours = km / (30.0 if ferry else rng.uniform(25.0, 45.0))
                link = Link(f"{a}-{b}", a, b, mode, km, Spread(hours, hours, hours * 1.5),
                            traction="" if ferry else "electric")
                links.append(link)
                if ferry:
                    services.append(Service(
                        f"S{len(services)}", "ferry", "op", ServiceKind.FERRY, (a, b),
                        Departures(weekdays=(rng.randrange(7),), time="08:00")))
    return Network(nodes=nodes, links=tuple(links), services=tuple(services))


def _km(a: Node, b: Node) -> float:
    from midcorridor.network.geo import haversine_km

    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _nx_graph(network: Network) -> nx.DiGraph:
    g = nx.DiGraph()
    for arc in network.arcs():
        g.add_edge(arc.tail, arc.head, weight=arc.link.dwell.typ + arc.link.hours.typ)
    return g


def _median_ms(fn, pairs) -> float:  # type: ignore[no-untyped-def]
    times = []
    for pair in pairs:
        started = time.perf_counter()
        fn(*pair)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _scale(quick: bool) -> None:
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    queries = 10 if quick else 20
    print(f"{'nodes':>8} {'build s':>8} {'nx Dijkstra ms':>15} {'ours Dijkstra ms':>17} "
          f"{'ratio':>6} {'ours A* ms':>11} {'ratio':>6} {'Pareto p50 ms':>14}")
    growth = []
    for n in sizes:
        net = synthetic(n)
        started = time.perf_counter()
        graph = search_graph(net)  # includes the time classes, landmarks and their distances
        build = time.perf_counter() - started
        g = _nx_graph(net)
        rng = random.Random(1)
        ids = list(net.nodes)
        pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(queries)]
        t0 = to_hours(DEPART)
        idx = graph.index
        base = _median_ms(lambda s, t: nx.dijkstra_path_length(g, s, t, weight="weight"), pairs)
        ours = _median_ms(lambda s, t: earliest_arrival(graph, idx[s], idx[t], t0, astar=False),
                          pairs)
        astar = _median_ms(lambda s, t: earliest_arrival(graph, idx[s], idx[t], t0), pairs)
        if n <= 10_000:
            few = pairs[: 5 if n >= 10_000 else queries]
            pruned = _median_ms(lambda s, t: pareto_search(graph, idx[s], idx[t], t0), few)
            par = f"{pruned:.1f}"
            if n < 10_000 or not quick:
                plain = _median_ms(
                    lambda s, t: pareto_search(graph, idx[s], idx[t], t0, prune=False), few)
                growth.append((n, len(few), pruned, plain))
        else:
            # one trial query took 540 s (569 Pareto routes): far from ~10 s, so not run
            par = "skipped"
        print(f"{n:>8,} {build:>8.1f} {base:>15.2f} {ours:>17.2f} {base / ours:>5.1f}x "
              f"{astar:>11.2f} {base / astar:>5.1f}x {par:>14}")
    print("A* (ALT landmarks + straight line) is the time query plan() runs; Pareto at 100k "
          "nodes is skipped (minutes per query).")
    print()
    print("Pareto search with and without lower-bound pruning (same pairs, p50 ms; the "
          "baseline is the unpruned search)")
    print(f"{'nodes':>8} {'pairs':>6} {'pruned':>10} {'unpruned':>10} {'ratio':>6}")
    for n, k, pruned, plain in growth:
        print(f"{n:>8,} {k:>6} {pruned:>10.1f} {plain:>10.1f} {plain / pruned:>5.1f}x")


def _corridor(quick: bool) -> None:
    from midcorridor.network import load_network

    net = load_network()
    rng = random.Random(7)
    ids = [i for i, node in net.nodes.items() if node.kind is not NodeKind.SEA_WAYPOINT]
    count = 40 if quick else 200
    pairs = []
    while len(pairs) < count:
        a, b = rng.sample(ids, 2)
        pairs.append((a, b))
    graph = search_graph(net)
    t0 = to_hours(DEPART)
    raw, earlier, ruled, full = [], [], [], []
    for a, b in pairs:
        s, t = graph.index[a], graph.index[b]
        started = time.perf_counter()
        pareto_search(graph, s, t, t0)
        raw.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        pareto_search(graph, s, t, t0, guard=guard(graph, s, t, EARLIER_RULES))
        earlier.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        pareto_search(graph, s, t, t0, guard=guard(graph, s, t, DEFAULT_RULES))
        ruled.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with contextlib.suppress(MidcorridorError):  # unreachable pairs still count
            plan(net, a, b, cargo=Cargo(40), depart=DEPART)
        full.append((time.perf_counter() - started) * 1000)

    def pct(xs: list[float], q: float) -> float:
        return statistics.quantiles(xs, n=100)[int(q) - 1]

    print(f"corridor network: {len(net.nodes)} nodes, {len(net.links)} links, "
          f"{len(net.services)} services; {count} random OD pairs, depart {DEPART:%Y-%m-%d}")
    print(f"{'query':<52} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'Pareto search, no route rules (baseline)':<52} {pct(raw, 50):>8.1f} "
          f"{pct(raw, 95):>8.1f}")
    print(f"{'Pareto search with the earlier route rules':<52} {pct(earlier, 50):>8.1f} "
          f"{pct(earlier, 95):>8.1f}")
    print(f"{'Pareto search with the route rules':<52} {pct(ruled, 50):>8.1f} "
          f"{pct(ruled, 95):>8.1f}")
    print(f"{'plan() = ruled Pareto + 3 corridor-family searches':<52} {pct(full, 50):>8.1f} "
          f"{pct(full, 95):>8.1f}")
    print(f"route rules: p50 {pct(raw, 50) / pct(ruled, 50):.1f}x, "
          f"p95 {pct(raw, 95) / pct(ruled, 95):.1f}x the speed of the search without them")
    print(f"route rules now: p50 {pct(earlier, 50) / pct(ruled, 50):.2f}x, "
          f"p95 {pct(earlier, 95) / pct(ruled, 95):.2f}x the speed of the earlier rules (rule 3 "
          f"from the origin only, boarding again a service left)")


def run(quick: bool = False) -> None:
    """Print the scale table (baseline: NetworkX Dijkstra) and the corridor latency table."""
    print("Single-criterion time query, median per query over random OD pairs "
          "(ratio = NetworkX time / ours)")
    _scale(quick)
    print()
    _corridor(quick)
