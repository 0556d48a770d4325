"""Hand-built networks whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.networks import ferry_line, link, node, port_network
from midcorridor.errors import InputError, NoRouteError, UnknownPlaceError
from midcorridor.network.model import Mode, Network
from midcorridor.routing import Cargo, Tariffs, plan
from midcorridor.routing.graph import search_graph
from midcorridor.routing.search import earliest_arrival
from midcorridor.routing.timetable import to_hours

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)  # a Monday


def test_waits_for_the_sailing() -> None:
    """Rail 10 h, 5 h port handling, then the Monday 20:00 sailing: 5 h wait, 22 h crossing,
    and 5 h unloading at the port of destination."""
    result = plan(port_network(), "AAAAA", "QQQQQ", cargo=Cargo(2), depart=MONDAY)
    best = result.options[0]
    rail, ferry = best.legs
    assert rail.arrive == datetime(2026, 11, 30, 10, tzinfo=UTC)
    assert ferry.dwell_h == pytest.approx(5.0)
    assert ferry.wait_h == pytest.approx(5.0)
    assert ferry.depart == datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert ferry.unload_h == pytest.approx(5.0)
    assert ferry.arrive == datetime(2026, 12, 1, 23, tzinfo=UTC)
    assert best.total_hours == pytest.approx(47.0)
    assert best.transshipments == 1
    assert best.borders == 1
    # tariffs from the data (100 + 500 USD/TEU) plus the default 150 USD handling at both
    # port calls, x 2 TEU
    assert best.cost_usd == pytest.approx(2 * (100 + 500 + 150 + 150))
    assert sum(leg.cost_usd for leg in best.legs) == pytest.approx(best.cost_usd)


def test_sailing_from_the_port_of_origin_pays_both_port_calls() -> None:
    """Ready at the port Monday 00:00: 5 h loading, wait to the 20:00 sailing (15 h), 22 h
    crossing, 5 h unloading: 47 h, not the 22 h of leaving the moment the cargo is ready."""
    result = plan(port_network(), "PPPPP", "QQQQQ", cargo=Cargo(1), depart=MONDAY)
    (ferry,) = result.options[0].legs
    assert (ferry.dwell_h, ferry.wait_h, ferry.unload_h) == pytest.approx((5.0, 15.0, 5.0))
    assert ferry.depart == datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert result.options[0].total_hours == pytest.approx(47.0)


def test_sea_link_without_a_service_is_not_sailed() -> None:
    """A Caspian link no service sails is not used: no route, and the reason names no avoid."""
    net = port_network()
    net = net.replace(services=())
    with pytest.raises(NoRouteError):
        plan(net, "AAAAA", "QQQQQ", cargo=Cargo(1), depart=MONDAY)


def test_missing_the_sailing_waits_a_week() -> None:
    """Cargo ready after Monday 20:00 waits for the next Monday's sailing."""
    result = plan(port_network(), "AAAAA", "QQQQQ", cargo=Cargo(1),
                  depart=datetime(2026, 11, 30, 6, tzinfo=UTC))
    assert result.options[0].legs[1].wait_h == pytest.approx(168.0 - 1.0)


def test_gauge_change_and_border() -> None:
    """A gauge-change border link adds its dwell, a transshipment, a border and the fee."""
    nodes = {n.id: n for n in (node("CNAAA", "CN", 80.0), node("KZBBB", "KZ", 81.0),
                               node("KZCCC", "KZ", 82.0))}
    links = (link("CNAAA", "KZBBB", Mode.RAIL, 20.0, 1.0, dwell=9.0, border=True, gauge=True),
             link("KZBBB", "KZCCC", Mode.RAIL, 100.0, 4.0, tariff=50.0))
    result = plan(Network(nodes=nodes, links=links), "CNAAA", "KZCCC", cargo=Cargo(1),
                  depart=MONDAY)
    best = result.options[0]
    assert best.total_hours == pytest.approx(9.0 + 1.0 + 4.0)
    assert best.transshipments == 1
    assert best.borders == 1
    # 20 km x 1.766 (CN falls back to the generic rail rate) + 297 border + 150 handling + 50
    assert best.cost_usd == pytest.approx(20 * 1.766 + 297 + 150 + 50)
    assert any("border" in a for a in best.assumptions)


def test_time_query_matches_pareto_fastest() -> None:
    """The single-criterion time query returns the fastest Pareto option's arrival."""
    net = port_network()
    graph = search_graph(net, Tariffs())
    t = earliest_arrival(graph, graph.index["AAAAA"], graph.index["QQQQQ"], to_hours(MONDAY))
    result = plan(net, "AAAAA", "QQQQQ", cargo=Cargo(1), depart=MONDAY)
    assert t - to_hours(MONDAY) == pytest.approx(result.options[0].total_hours)


def test_trade_off_gives_two_options() -> None:
    """A fast expensive road and a slow cheap rail are both Pareto-optimal, ranked by objective."""
    nodes = {n.id: n for n in (node("KZAAA", "KZ", 50.0), node("KZBBB", "KZ", 52.0))}
    links = (link("KZAAA", "KZBBB", Mode.RAIL, 200.0, 20.0, tariff=100.0),
             link("KZAAA", "KZBBB", Mode.ROAD, 180.0, 5.0, tariff=400.0))
    net = Network(nodes=nodes, links=links)
    by_time = plan(net, "KZAAA", "KZBBB", cargo=Cargo(1), depart=MONDAY)
    by_cost = plan(net, "KZAAA", "KZBBB", cargo=Cargo(1), depart=MONDAY, objective="cost")
    assert len(by_time.options) == 2
    assert by_time.options[0].legs[0].mode == "road"
    assert by_cost.options[0].legs[0].mode == "rail"


def test_headway_service() -> None:
    """A ferry every 12 h from the weekly anchor: ready at 15:00, loaded by 20:00, leaves at
    24:00."""
    nodes = {n.id: n for n in (node("KZPPP", "KZ", 51.0, handling=5.0),
                               node("AZQQQ", "AZ", 53.0))}
    links = (link("KZPPP", "AZQQQ", Mode.FERRY, 300.0, 20.0, tariff=1.0),)
    net = Network(nodes=nodes, links=links,
                  services=(ferry_line("KZPPP", "AZQQQ", headway=12.0),))
    result = plan(net, "KZPPP", "AZQQQ", cargo=Cargo(1), depart=MONDAY.replace(hour=15))
    leg = result.options[0].legs[0]
    assert (leg.dwell_h, leg.wait_h) == pytest.approx((5.0, 4.0))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"depart": "2026-12-01"}, InputError),
        ({"objective": "speed"}, InputError),
        ({"max_transshipments": -1}, InputError),
        ({"avoid_countries": ["AZ"]}, NoRouteError),
        ({"avoid_modes": ["ferry"]}, NoRouteError),
        ({"avoid_modes": ["plane"]}, InputError),
        ({"max_transshipments": 0}, NoRouteError),
        ({"arrive_by": datetime(2026, 11, 30, 12, tzinfo=UTC)}, NoRouteError),
        ({"via": ["Nowhere"]}, UnknownPlaceError),
    ],
)
def test_bad_requests_raise_clear_errors(kwargs: dict, error: type[Exception]) -> None:
    """Bad arguments and impossible constraints raise our error types with a reason."""
    args = {"cargo": Cargo(1), "depart": MONDAY, **kwargs}
    with pytest.raises(error) as info:
        plan(port_network(), "AAAAA", "QQQQQ", **args)
    assert str(info.value)


def test_no_route_message_says_what_to_change() -> None:
    """Avoiding the only ferry names the avoided mode and says to stop avoiding it."""
    with pytest.raises(NoRouteError, match="every route takes it; stop avoiding mode ferry"):
        plan(port_network(), "AAAAA", "QQQQQ", cargo=Cargo(1), depart=MONDAY,
             avoid_modes=["ferry"])


def _two_ways() -> Network:
    """K to T by rail through AZ (10 h) or through GE (50 h); a lone place D in TR."""
    nodes = {n: node(n, n[:2], lon) for n, lon in (("KZKKK", 40.0), ("AZAAA", 41.0),
                                                   ("GEGGG", 41.5), ("TRTTT", 42.0),
                                                   ("TRDDD", 43.0))}
    links = (link("KZKKK", "AZAAA", Mode.RAIL, 100.0, 5.0),
             link("AZAAA", "TRTTT", Mode.RAIL, 100.0, 5.0),
             link("KZKKK", "GEGGG", Mode.RAIL, 100.0, 25.0),
             link("GEGGG", "TRTTT", Mode.RAIL, 100.0, 25.0))
    return Network(nodes=nodes, links=links)


@pytest.mark.parametrize(("kwargs", "message"), [
    # either way alone is a route: dropping either avoided country brings one back
    ({"avoid_countries": ["AZ", "GE"]}, "no route from KZKKK to TRTTT avoids country AZ, "
     "country GE: stop avoiding country AZ or country GE (any one of them alone leaves a "
     "route)"),
    # the GE way also needs rail: only dropping AZ alone brings a route back
    ({"avoid_countries": ["AZ"], "avoid_modes": ["rail"]}, "no route from KZKKK to TRTTT "
     "avoids country AZ, mode rail: stop avoiding mode rail (that alone leaves a route)"),
    ({"avoid_countries": ["AZ", "GE"], "avoid_modes": ["rail"]}, "dropping one of them alone "
     "leaves none; avoid fewer countries, places or modes"),
    ({"avoid_places": ["AZAAA", "GEGGG"]}, "stop avoiding place AZAAA or place GEGGG"),
    # through GE the train arrives at 50 h, after the 20 h asked for; through AZ at 10 h
    ({"avoid_countries": ["AZ"], "arrive_by": datetime(2026, 11, 30, 20, tzinfo=UTC)},
     "avoiding country AZ, the earliest arrival is 2026-12-02 02:00 UTC, after arrive-by "
     "2026-11-30 20:00 (without avoiding, 2026-11-30 10:00 UTC); avoid fewer countries, places "
     "or modes, or allow a later arrival"),
    ({"avoid_countries": ["AZ"], "via": ["AZAAA"]}, "Azaaa (AZAAA), a place to pass via, is "
     "in AZ, a country to avoid"),
])
def test_no_route_message_names_what_the_avoidance_cuts(kwargs: dict, message: str) -> None:
    with pytest.raises(NoRouteError) as info:
        plan(_two_ways(), "KZKKK", "TRTTT", cargo=Cargo(1), depart=MONDAY, **kwargs)
    assert message in str(info.value)


def test_not_connected_says_the_avoidance_is_not_why() -> None:
    """TRDDD has no link at all: avoiding GE is not what cuts it, and the message says so."""
    with pytest.raises(NoRouteError) as info:
        plan(_two_ways(), "KZKKK", "TRDDD", cargo=Cargo(1), depart=MONDAY,
             avoid_countries=["GE"])
    assert str(info.value) == ("KZKKK and TRDDD are not connected in the network, not even "
                               "without avoiding country GE; check the data set")


def test_a_via_place_that_is_also_avoided_is_refused() -> None:
    with pytest.raises(InputError, match="AZAAA is both a --via place and a place to avoid"):
        plan(_two_ways(), "KZKKK", "TRTTT", cargo=Cargo(1), depart=MONDAY,
             via=["AZAAA"], avoid_places=["AZAAA"])


def test_unknown_place_suggests_names() -> None:
    """A misspelt place raises UnknownPlaceError suggesting the place meant."""
    with pytest.raises(UnknownPlaceError) as caught:
        plan(port_network(), "AAAAB", "QQQQQ", cargo=Cargo(1), depart=MONDAY)
    assert caught.value.query == "AAAAB"
    assert any("AAAAA" in s for s in caught.value.suggestions), caught.value.suggestions


def test_same_answer_twice() -> None:
    """The same request gives the same options (reproducible)."""
    a = plan(port_network(), "AAAAA", "QQQQQ", cargo=Cargo(3), depart=MONDAY)
    b = plan(port_network(), "AAAAA", "QQQQQ", cargo=Cargo(3), depart=MONDAY)
    assert a.to_dict() == b.to_dict()
