"""The route rules on hand-built networks where breaking them would pay."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from helpers.networks import link, node
from midcorridor.network.model import (
    Departures,
    Mode,
    Network,
    NodeKind,
    Service,
    ServiceKind,
)
from midcorridor.routing import Cargo, Tariffs, plan
from midcorridor.routing.graph import search_graph
from midcorridor.routing.rules import DEFAULT_RULES, Rules, guard
from midcorridor.routing.search import pareto_search
from midcorridor.routing.timetable import to_hours

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


def _places(option) -> list[str]:  # type: ignore[no-untyped-def]
    return [option.legs[0].origin, *(leg.destination for leg in option.legs)]


def test_never_passes_the_destination() -> None:
    """A fast cheap sea route sails past the destination (42 km off) and comes back by rail
    from 255 km away: it dominates the direct rail, yet only the direct rail is offered."""
    nodes = {n.id: n for n in (
        node("TROOO", "TR", 50.0), node("TRDDD", "TR", 52.0),
        node("XXWWW", "XX", 52.5, kind=NodeKind.SEA_WAYPOINT),
        node("GRPPP", "GR", 55.0, kind=NodeKind.SEAPORT))}
    links = (link("TROOO", "TRDDD", Mode.RAIL, 180.0, 100.0, tariff=1000.0),
             link("TROOO", "XXWWW", Mode.SEA, 250.0, 10.0, tariff=10.0),
             link("XXWWW", "GRPPP", Mode.SEA, 220.0, 5.0, tariff=10.0),
             link("GRPPP", "TRDDD", Mode.RAIL, 260.0, 5.0, tariff=10.0))
    net = Network(nodes=nodes, links=links)
    result = plan(net, "TROOO", "TRDDD", cargo=Cargo(1), depart=MONDAY)
    assert [_places(o) for o in result.options] == [["TROOO", "TRDDD"]]
    assert not result.notes
    # the rule is what removes it: without rules the pass-by route is found and is faster
    graph = search_graph(net, Tariffs())
    free = pareto_search(graph, 0, 1, to_hours(MONDAY))
    assert min(f.arrive_h for f in free) - to_hours(MONDAY) == 20.0


def test_never_visits_a_place_twice() -> None:
    """Riding a train through A would skip 50 h of handling there; no option comes back
    to A, though the search without rules finds that way (O, A, B, A, C)."""
    nodes = {n.id: n for n in (node("KZAAA", "KZ", 50.0, handling=50.0),
                               node("KZOOO", "KZ", 50.0, lat=40.5),
                               node("KZBBB", "KZ", 49.0), node("KZCCC", "KZ", 53.0))}
    links = (link("KZOOO", "KZAAA", Mode.ROAD, 60.0, 1.0, tariff=1.0),
             link("KZAAA", "KZBBB", Mode.ROAD, 90.0, 1.0, tariff=1.0),
             link("KZBBB", "KZAAA", Mode.RAIL, 90.0, 1.0, tariff=1.0, traction="electric"),
             link("KZAAA", "KZCCC", Mode.RAIL, 260.0, 5.0, tariff=10.0, traction="electric"))
    train = Service("TRAIN", "train", "op", ServiceKind.BLOCK_TRAIN, ("KZBBB", "KZAAA", "KZCCC"),
                    Departures(headway_h=1.0), bidirectional=False)
    net = Network(nodes=nodes, links=links, services=(train,))
    graph = search_graph(net, Tariffs())
    free = pareto_search(graph, graph.index["KZOOO"], graph.index["KZCCC"], to_hours(MONDAY))
    assert any(len({graph.arcs[s.arc].tail for s in f.steps}) < len(f.steps) for f in free)
    result = plan(net, "KZOOO", "KZCCC", cargo=Cargo(1), depart=MONDAY, distinct=False)
    assert result.options
    for option in (*result.options, *result.by_corridor):
        assert len(set(_places(option))) == len(_places(option))


def _detour_network(with_direct: bool) -> Network:
    nodes = {n.id: n for n in (node("KZAAA", "KZ", 50.0), node("KZBBB", "KZ", 52.0),
                               node("KZCCC", "KZ", 51.0, lat=42.5))}
    links = [link("KZAAA", "KZCCC", Mode.ROAD, 300.0, 3.0, tariff=10.0),
             link("KZCCC", "KZBBB", Mode.ROAD, 300.0, 3.0, tariff=10.0)]
    if with_direct:
        links.append(link("KZAAA", "KZBBB", Mode.RAIL, 180.0, 50.0, tariff=500.0))
    return Network(nodes=nodes, links=tuple(links))


def test_no_detour_over_twice_the_distance() -> None:
    """A 600 km road round a 170 km gap is faster and cheaper, but over twice the distance:
    only the direct rail is offered."""
    result = plan(_detour_network(True), "KZAAA", "KZBBB", cargo=Cargo(1), depart=MONDAY)
    assert [_places(o) for o in result.options] == [["KZAAA", "KZBBB"]]


def test_detour_when_nothing_shorter_keeps_the_rules() -> None:
    """When the network's only way is the 600 km road round a 170 km gap, that way is the
    origin's limit (twice it, plus 100 km): it is offered and no rule is given way."""
    result = plan(_detour_network(False), "KZAAA", "KZBBB", cargo=Cargo(1), depart=MONDAY)
    assert [_places(o) for o in result.options] == [["KZAAA", "KZCCC", "KZBBB"]]
    assert result.notes == ()


def test_detour_the_users_constraints_force_says_so() -> None:
    """Avoiding rail leaves only the 600 km road, where the direct 180 km rail keeps the
    limit: the road is offered with a note that it breaks the rules."""
    result = plan(_detour_network(True), "KZAAA", "KZBBB", cargo=Cargo(1), depart=MONDAY,
                  avoid_modes=["rail"])
    assert [_places(o) for o in result.options] == [["KZAAA", "KZCCC", "KZBBB"]]
    assert result.notes
    assert "detour" in result.notes[0]
    assert result.to_dict()["notes"] == list(result.notes)


def _late_detour_network(with_direct: bool) -> Network:
    """O to D is 851 km; P lies 170 km short of D. From P a 700 km rail round by Q is fast
    and cheap, the direct 220 km rail slow and dear: O-P-Q-D is 1,400 km, within twice O's
    distance, but from P it is 700 km for 170."""
    nodes = {n.id: n for n in (node("KZOOO", "KZ", 40.0), node("KZPPP", "KZ", 48.0),
                               node("KZQQQ", "KZ", 49.0, lat=42.5), node("KZDDD", "KZ", 50.0))}
    links = [link("KZOOO", "KZPPP", Mode.RAIL, 700.0, 7.0, tariff=10.0),
             link("KZPPP", "KZQQQ", Mode.RAIL, 350.0, 4.0, tariff=10.0),
             link("KZQQQ", "KZDDD", Mode.RAIL, 350.0, 4.0, tariff=10.0)]
    if with_direct:
        links.append(link("KZPPP", "KZDDD", Mode.RAIL, 220.0, 100.0, tariff=1000.0))
    return Network(nodes=nodes, links=tuple(links))


def test_no_detour_from_a_place_passed() -> None:
    """Rule 3 from every place: the round by Q from P (700 km where P is 170 km from D and
    220 km by the direct rail: more than 2 x 220 + 100 = 540) is not offered, though it is
    faster, cheaper and within twice the origin's distance; the search with the rule from the
    origin only finds it."""
    net = _late_detour_network(True)
    result = plan(net, "KZOOO", "KZDDD", cargo=Cargo(1), depart=MONDAY, distinct=False)
    assert [_places(o) for o in result.options] == [["KZOOO", "KZPPP", "KZDDD"]]
    assert not result.notes
    graph = search_graph(net, Tariffs())
    s, t = graph.index["KZOOO"], graph.index["KZDDD"]
    origin_only = pareto_search(graph, s, t, to_hours(MONDAY),
                                guard=guard(graph, s, t, Rules(leeway_km=math.inf)))
    ways = [[graph.ids[graph.arcs[st.arc].head] for st in f.steps] for f in origin_only]
    assert ["KZPPP", "KZQQQ", "KZDDD"] in ways
    ruled = pareto_search(graph, s, t, to_hours(MONDAY),
                          guard=guard(graph, s, t, DEFAULT_RULES))
    assert [[graph.ids[graph.arcs[st.arc].head] for st in f.steps] for f in ruled] == [
        ["KZPPP", "KZDDD"]]


def test_a_place_with_only_a_long_way_on_keeps_it() -> None:
    """Without the direct rail the round by Q is the least a route from P can travel, so
    it is allowed (2 x 700 + 100 km from P) and offered without a note."""
    result = plan(_late_detour_network(False), "KZOOO", "KZDDD", cargo=Cargo(1),
                  depart=MONDAY)
    assert [_places(o) for o in result.options] == [["KZOOO", "KZPPP", "KZQQQ", "KZDDD"]]
    assert not result.notes


def _block_train_network() -> Network:
    """A daily block train O-A-B-D (300 km a leg, 6 h, 100 USD a leg) and beside its middle
    leg a continuous rail A-C-B (120 km a leg, 1 h, 10 USD): off the train at A, round by C
    and on it again at B is cheaper, shorter and catches the same train."""
    nodes = {n.id: n for n in (node("KZOOO", "KZ", 40.0), node("KZAAA", "KZ", 43.0),
                               node("KZCCC", "KZ", 44.0, lat=40.5),
                               node("KZBBB", "KZ", 45.0), node("KZDDD", "KZ", 48.0))}
    links = (link("KZOOO", "KZAAA", Mode.RAIL, 300.0, 6.0, tariff=100.0),
             link("KZAAA", "KZBBB", Mode.RAIL, 300.0, 6.0, tariff=100.0),
             link("KZBBB", "KZDDD", Mode.RAIL, 300.0, 6.0, tariff=100.0),
             link("KZAAA", "KZCCC", Mode.RAIL, 120.0, 1.0, tariff=10.0),
             link("KZCCC", "KZBBB", Mode.RAIL, 120.0, 1.0, tariff=10.0))
    train = Service("BT", "block train", "op", ServiceKind.BLOCK_TRAIN,
                    ("KZOOO", "KZAAA", "KZBBB", "KZDDD"), Departures(headway_h=24.0),
                    bidirectional=False)
    return Network(nodes=nodes, links=links, services=(train,))


def test_never_boards_again_a_train_it_left() -> None:
    """Off the block train at A and on it again at B (round by C) is cheaper and emits less,
    and the search without the rule finds it; the options ride the train from O to D, or
    leave it for good (no way on from B but the train: so only the train)."""
    net = _block_train_network()
    result = plan(net, "KZOOO", "KZDDD", cargo=Cargo(1), depart=MONDAY, distinct=False)
    assert [[leg.service_id for leg in o.legs] for o in result.options] == [["BT"] * 3]
    assert not result.notes
    graph = search_graph(net, Tariffs())
    s, t = graph.index["KZOOO"], graph.index["KZDDD"]
    free = pareto_search(graph, s, t, to_hours(MONDAY),
                         guard=guard(graph, s, t, Rules(rejoin=True)))
    ways = [[graph.ids[graph.arcs[st.arc].head] for st in f.steps] for f in free]
    assert ["KZAAA", "KZCCC", "KZBBB", "KZDDD"] in ways
