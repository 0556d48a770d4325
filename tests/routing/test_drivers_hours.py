"""Drivers' hours (AETR): a truck's elapsed time over its driving hours, and the planner's use."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.drivers import walk_a_drivers_day
from helpers.networks import clocks_that_round_apart, link, node, road_grid
from helpers.shortest import least_from
from midcorridor.errors import InputError
from midcorridor.network.driving import clock_slack, road_elapsed_hours, road_leg_hours
from midcorridor.network.model import Mode, Network
from midcorridor.routing import Cargo, Tariffs, plan
from midcorridor.routing.graph import search_graph

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(("driving", "elapsed"), [
    (0.0, 0.0),
    (4.0, 4.0),  # under 4.5 h: no break
    (4.5, 4.5),  # the break is owed only if driving goes on
    (9.0, 9.75),  # 4.5 h, 45 min, 4.5 h
    (13.5, 9.75 + 11.0 + 4.5),  # a day, the 11 h rest, 4.5 h
    (20.0, 43.5),  # 2 x (9 h + 45 min + 11 h) + 2 h
])
def test_hand_worked_values(driving: float, elapsed: float) -> None:
    assert road_elapsed_hours(driving) == pytest.approx(elapsed)


hours = st.floats(min_value=0.0, max_value=200.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(hours, hours)
def test_monotone_and_never_faster_than_driving(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert road_elapsed_hours(lo) <= road_elapsed_hours(hi)
    assert road_elapsed_hours(lo) >= lo
    # the pauses a leg takes are never negative, wherever in the day it starts
    assert road_leg_hours(lo, hi - lo) >= (hi - lo) - 1e-9


@settings(max_examples=300, deadline=None)
@given(hours)
def test_matches_a_drivers_day_walked_by_hand(driving: float) -> None:
    assert road_elapsed_hours(driving) == pytest.approx(walk_a_drivers_day(driving), abs=1e-6)


#: clocks near the day's thresholds (4.5 h, 9 h and their multiples) as well as anywhere
clocks = st.one_of(hours, st.builds(lambda k, d: max(0.0, 4.5 * k + d), st.integers(0, 8),
                                    st.sampled_from([-1e-6, 0.0, 1e-6, 0.25, -0.25])))


@settings(max_examples=500, deadline=None)
@given(clocks, clocks, st.floats(min_value=0.0, max_value=40.0, allow_nan=False))
def test_a_clocks_slack_bounds_how_much_longer_driving_on_takes(a: float, b: float,
                                                                 h: float) -> None:
    """Driving ``h`` more hours from clock ``a`` never takes longer than from clock ``b`` by
    more than ``clock_slack(a, b)``, walked by hand; the slack is one of 0, 45 min, 11 h; a
    rested driver is never slower."""
    slack = clock_slack(a, b)
    assert slack in (0.0, 0.75, 11.0)
    from_a = walk_a_drivers_day(a + h) - walk_a_drivers_day(a)
    from_b = walk_a_drivers_day(b + h) - walk_a_drivers_day(b)
    assert from_a <= from_b + slack + 1e-6
    assert clock_slack(0.0, b) == 0.0


@pytest.mark.parametrize(("a", "b", "slack"), [
    (2.0, 3.0, 0.0),  # further into the morning is never sooner
    (3.0, 2.0, 11.0),
    (1.0, 6.0, 0.75),  # a's break is still to come, b has had it
    (6.0, 1.0, 11.0),
    (11.0, 3.0, 0.0),  # 2 h into the second day
    (9.0, 9.5, 11.0),  # the end of a day owes the rest, 30 min into the next does not
])
def test_hand_worked_slacks(a: float, b: float, slack: float) -> None:
    assert clock_slack(a, b) == slack


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_impossible_hours_are_refused(bad: float) -> None:
    with pytest.raises(InputError, match="driving hours"):
        road_elapsed_hours(bad)


def _road_or_rail() -> Network:
    """Road A-B-C-D of 6.4, 4.4 and 9.4 h driving (24 h at the B-C border) beside a 50 h train
    A-D. Driving non-stop the road takes 44.2 h; with the driver's breaks and rests 67.7 h."""
    nodes = {n: node(n, "AZ" if n < "CCCCC" else "GE", lon)
             for n, lon in (("AAAAA", 45.0), ("BBBBB", 46.0), ("CCCCC", 47.0), ("DDDDD", 48.0))}
    links = (
        link("AAAAA", "BBBBB", Mode.ROAD, 340.0, 6.4),
        link("BBBBB", "CCCCC", Mode.ROAD, 218.0, 4.4, dwell=24.0, border=True),
        link("CCCCC", "DDDDD", Mode.ROAD, 331.0, 9.4),
        link("AAAAA", "DDDDD", Mode.RAIL, 900.0, 50.0),
    )
    return Network(nodes=nodes, links=links)


def test_the_road_counts_rests_across_its_links_and_loses_to_the_train() -> None:
    """20.2 h at the wheel over three links: two days of 9 h + 45 min + 11 h rest, then 2.2 h
    (43.7 h), plus the 24 h border dwell, which is not driving time: 67.7 h > the train's 50 h.
    Without the rule the road (44.2 h) was the fastest."""
    net = _road_or_rail()
    fastest = plan(net, "AAAAA", "DDDDD", cargo=Cargo(2), depart=MONDAY, objective="time")
    assert {leg.mode for leg in fastest.options[0].legs} == {"rail"}
    assert fastest.options[0].total_hours == pytest.approx(50.0)
    road = plan(net, "AAAAA", "DDDDD", cargo=Cargo(2), depart=MONDAY, avoid_modes=["rail"])
    assert road.options[0].total_hours == pytest.approx(2 * 20.75 + 2.2 + 24.0)
    # each link taken alone would have rested less: the hours driven carry across the links
    assert road.options[0].total_hours > sum(road_elapsed_hours(h) for h in (6.4, 4.4, 9.4)) + 24


def test_a_truck_drives_on_whatever_the_last_digits_of_its_hours() -> None:
    """Both Pareto options, worked by hand: the train (2 h) and 6.2109375 h at the wheel with
    one 45 min break after 4.5 h (8.9609375 h, dearer: three road links by truck); or the
    08:00 ferry (arriving 10:00) and 2 h by road (12 h, cheaper). The fast one was lost: the
    truck's clock at TRN03 matched no variant of the TRN03-KZN04 road."""
    result = plan(clocks_that_round_apart(), "KZN00", "KZN04", cargo=Cargo(1), depart=MONDAY,
                  distinct=False)
    got = sorted((o.total_hours, [leg.mode for leg in o.legs]) for o in result.options)
    assert [hours for hours, _ in got] == pytest.approx([2 + 6.2109375 + 0.75, 12.0])
    assert [modes for _, modes in got] == [["rail", "road", "road", "road"], ["ferry", "road"]]


def test_a_truck_drives_to_a_via_place_on_a_spur_and_back() -> None:
    """Road X-A (3 h), A-B (2 h, B a spur), A-C (3 h); via B the truck drives X-A-B-A-C: 10 h
    at the wheel, a 45 min break after 4.5 h, the 11 h rest after 9 h, then 1 h (21.75 h).
    Once lost: the driver's clock was known only along road paths without a repeated place."""
    nodes = {"XXXXX": node("XXXXX", "KZ", 40.0), "AAAAA": node("AAAAA", "KZ", 41.0),
             "BBBBB": node("BBBBB", "KZ", 41.0, lat=41.0), "CCCCC": node("CCCCC", "KZ", 42.0)}
    links = (link("XXXXX", "AAAAA", Mode.ROAD, 100.0, 3.0),
             link("AAAAA", "BBBBB", Mode.ROAD, 120.0, 2.0),
             link("AAAAA", "CCCCC", Mode.ROAD, 100.0, 3.0))
    result = plan(Network(nodes=nodes, links=links), "XXXXX", "CCCCC", cargo=Cargo(2),
                  depart=MONDAY, via=["BBBBB"])
    assert result.options[0].total_hours == pytest.approx(21.75)


def _least_driving_h(net: Network, source: str, target: str) -> float:
    """The fewest hours at the wheel from ``source`` to ``target`` over the network's roads
    (a plain Dijkstra over the links' hours)."""
    out: dict[str, list[tuple[str, float]]] = {}
    for lk in net.links:
        out.setdefault(lk.origin, []).append((lk.destination, lk.hours.typ))
        out.setdefault(lk.destination, []).append((lk.origin, lk.hours.typ))
    return least_from(out, source).get(target, math.inf)


def test_a_dense_road_grid_is_planned_with_one_variant_per_road() -> None:
    """A 12 x 12 road grid has more road paths without a repeated place than could ever be
    listed (on a 4 x 4 grid the listing already made 28,496 arc variants out of 48 roads and
    took 26 s; 5 x 5 did not end in 2 min). The driver's clock belongs to the route, so the
    graph has one variant per road and direction and two states a place at most (rested, by
    truck), and the answers are worked by hand: one road stretch from a rested start takes
    the drivers' day walked over its fewest hours at the wheel, and via the spur place the
    truck drives to it and back with its clock running on."""
    net = road_grid(12)
    graph = search_graph(net, Tariffs())
    assert len(graph.arcs) == 2 * len(net.links)
    assert len(graph.state_node) <= 2 * len(net.nodes)
    corner, far = "KZ0000", "KZ1111"
    fastest = plan(net, corner, far, cargo=Cargo(2), depart=MONDAY, objective="time")
    driving = _least_driving_h(net, corner, far)
    assert driving > 13.5  # two daily rests' worth of thresholds are crossed on the way
    assert fastest.options[0].total_hours == pytest.approx(walk_a_drivers_day(driving))
    spur = plan(net, corner, far, cargo=Cargo(2), depart=MONDAY, objective="time",
                via=["KZSPUR"])
    there_and_back = (_least_driving_h(net, corner, "KZ0606") + 2 * 0.5
                      + _least_driving_h(net, "KZ0606", far))
    assert spur.options[0].total_hours == pytest.approx(walk_a_drivers_day(there_and_back))
    places = [spur.options[0].legs[0].origin, *(leg.destination for leg in spur.options[0].legs)]
    assert places.count("KZ0606") == 2
    assert places.count("KZSPUR") == 1
    assert any("turn back at a --via place" in note for note in spur.notes)
