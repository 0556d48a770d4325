"""Property tests: feasibility against the timetable, Pareto optimality, an independent
reference built from the network, avoidance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpers.drivers import walk_a_drivers_day
from helpers.networks import (
    a_place_needed_after_the_via_place,
    a_way_back_through_the_via_place,
    arrivals_seconds_apart,
    clocks_that_round_apart,
    only_through_az,
    sums_that_round_apart,
)
from helpers.strategies import COUNTRIES, departs, networks
from midcorridor.emissions import hub_emission, link_emission
from midcorridor.errors import NoRouteError
from midcorridor.network.geo import haversine_km
from midcorridor.network.model import Link, Mode, Network, Service
from midcorridor.routing import Cargo, Tariffs, plan
from midcorridor.routing.cargo import TONNES_PER_TEU
from midcorridor.routing.costs import handling_charge, link_charge
from midcorridor.routing.graph import search_graph
from midcorridor.routing.plan import RULE_STEPS
from midcorridor.routing.search import _passable
from midcorridor.routing.timetable import from_hours, to_hours

#: The Monday the random departures start from (:data:`helpers.strategies.departs`).
FIRST_DEPART = datetime(2026, 11, 30, tzinfo=UTC)

# Random networks are drawn afresh on every run; the examples that once failed are pinned.
RANDOM = settings(max_examples=60, deadline=None, print_blob=True)


@RANDOM
@example(clocks_that_round_apart(), FIRST_DEPART)
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


# -- an independent reference: every simple path over the network's links, costed by hand ---

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)  # times below are hours after this Monday 00:00


@dataclass(frozen=True)
class Step:
    """One link travelled from ``tail`` to ``head``, on ``service`` when a line sails it."""

    tail: str
    head: str
    link: Link
    service: Service | None


def _km(net: Network, a: str, b: str) -> float:
    na, nb = net.nodes[a], net.nodes[b]
    return haversine_km(na.lat, na.lon, nb.lat, nb.lon)


def _steps_from(net: Network, place: str) -> list[Step]:
    """The ways out of ``place``: a land link as it is, a ferry link only on a line sailing
    it (the random networks' lines have two stops and sail both ways)."""
    steps = []
    for link in net.links:
        ends = [(link.origin, link.destination)]
        if link.bidirectional:
            ends.append((link.destination, link.origin))
        for tail, head in ends:
            if tail != place:
                continue
            if link.mode is not Mode.FERRY:
                steps.append(Step(tail, head, link, None))
                continue
            for line in net.services:
                assert len(line.route) == 2  # the reference's scope: two-stop lines
                assert line.bidirectional
                if set(line.route) == {tail, head}:
                    steps.append(Step(tail, head, link, line))
    return steps


def _next_sailing(line: Service, ready_h: float) -> float:
    """The first sailing of a weekly line at or after ``ready_h`` (hours after MONDAY)."""
    assert line.departures.utc_offset == "+00:00"
    assert line.departures.headway_h is None
    hh, mm = (int(x) for x in line.departures.time.split(":"))
    sailings = sorted(day * 24.0 + hh + mm / 60.0 for day in line.departures.weekdays)
    week = math.floor(ready_h / 168.0)
    return min(week * 168.0 + at + k * 168.0 for k in (0, 1) for at in sailings
               if week * 168.0 + at + k * 168.0 >= ready_h - 1e-9)


def _travel(net: Network, path: list[Step], depart_h: float) -> tuple[float, float, float]:
    """Hours, USD and kg CO2e of one TEU on ``path`` from ``depart_h``, step by step: terminal
    handling (time, charge, hub emission) where the mode changes, a vessel is boarded or left,
    and at both ends of a voyage; a line waits for its sailing; a link adds its dwell."""
    hub = hub_emission(TONNES_PER_TEU).wtw_kg
    t, usd, co2 = depart_h, 0.0, 0.0
    before: Step | None = None
    driven = 0.0  # hours at the wheel since the cargo came onto the road
    for step in path:
        boards = step.link.mode is Mode.FERRY if before is None else (
            before.link.mode is not step.link.mode or before.service is not None
            or step.service is not None)
        ready = t + step.link.dwell.typ
        if boards:
            handling = net.nodes[step.tail].handling_h
            assert handling is not None  # the random networks give every node's handling
            ready += handling
            usd += handling_charge(step.tail, Tariffs()).usd
            co2 += hub
        leave = ready if step.service is None else _next_sailing(step.service, ready)
        if step.link.mode is Mode.ROAD:  # the driver's breaks and rests, walked by hand
            if boards:
                driven = 0.0
            drive = step.link.hours.typ
            t = leave + walk_a_drivers_day(driven + drive) - walk_a_drivers_day(driven)
            driven += drive
        else:
            t = leave + step.link.hours.typ
        # one TEU on the road takes a whole truck of two, and pays (and emits) for both
        paid = 2.0 if step.link.mode is Mode.ROAD else 1.0
        usd += paid * link_charge(net, step.link, Tariffs()).usd
        co2 += paid * link_emission(net, step.link, TONNES_PER_TEU).wtw_kg
        before = step
    if before is not None and before.link.mode is Mode.FERRY:  # unloading the vessel
        handling = net.nodes[before.head].handling_h
        assert handling is not None
        t += handling
        usd += handling_charge(before.head, Tariffs()).usd
        co2 += hub
    return t - depart_h, usd, co2


def _keeps_rules(net: Network, path: list[Step], src: str, dst: str) -> bool:
    """Rules 2 and 3 (docs/routing.md) on a path of these ocean-free networks."""
    places = [src, *(step.head for step in path)]
    near = [i for i, p in enumerate(places) if _km(net, p, dst) <= 100.0]
    if near and any(_km(net, p, dst) > 150.0 for p in places[near[0]:]):
        return False
    least = _least_km(net, dst)
    limit = 2.0 * _km(net, src, dst)  # no way that short: the limit of every place (below)
    if least[src] > limit:
        limit = 2.0 * least[src] + 100.0
    if sum(step.link.distance_km for step in path) > limit * (1 + 1e-9):
        return False
    rest = 0.0  # from every place: twice the more of its distance and least km on, + 100
    for place, step in reversed(list(zip(places, path, strict=False))):
        rest += step.link.distance_km
        if rest > (2.0 * max(_km(net, place, dst), least[place]) + 100.0) * (1 + 1e-9):
            return False
    return True


def _least_km(net: Network, dst: str) -> dict[str, float]:
    """Per place, the least km of any way from it to ``dst`` (relaxed to a fixed point)."""
    least = {p: (0.0 if p == dst else math.inf) for p in net.nodes}
    changed = True
    while changed:
        changed = False
        for p in net.nodes:
            for step in _steps_from(net, p):
                km = step.link.distance_km + least[step.head]
                if km < least[p]:
                    least[p], changed = km, True
    return least


def _simple_paths(net: Network, src: str, dst: str) -> list[list[Step]]:
    """Every path from ``src`` to ``dst`` that passes no place twice."""
    paths: list[list[Step]] = []

    def extend(path: list[Step], seen: set[str]) -> None:
        here = path[-1].head if path else src
        if here == dst:
            paths.append(path)
            return
        for step in _steps_from(net, here):
            if step.head not in seen:
                extend([*path, step], seen | {step.head})

    extend([], {src})
    return paths


def _front(net: Network, paths: list[list[Step]], src: str, dst: str, depart: datetime,
           rules: bool) -> list[tuple[float, float, float]]:
    """The Pareto front of (hours, USD, kg CO2e) over ``paths`` (those keeping rules 2 and 3
    when ``rules``)."""
    depart_h = (depart - MONDAY).total_seconds() / 3600.0
    values = [_travel(net, path, depart_h) for path in paths
              if not rules or _keeps_rules(net, path, src, dst)]
    return [v for v in values
            if not any(all(o[i] <= v[i] + 1e-6 for i in range(3))
                       and any(o[i] < v[i] - 1e-6 for i in range(3)) for o in values)]


def _reference(net: Network, src: str, dst: str, depart: datetime,
               rules: bool) -> list[tuple[float, float, float]]:
    """The Pareto front of (hours, USD, kg CO2e) over every simple path from ``src`` to
    ``dst`` (keeping rules 2 and 3 when ``rules``), built from the network alone."""
    return _front(net, _simple_paths(net, src, dst), src, dst, depart, rules)


def _same_front(a: list[tuple[float, float, float]], b: list[tuple[float, float, float]]) -> bool:
    """Whether every point of each front is (within rounding) a point of the other."""
    def close(x: tuple[float, ...], y: tuple[float, ...]) -> bool:
        return all(math.isclose(p, q, rel_tol=1e-9, abs_tol=1e-6) for p, q in zip(x, y,
                                                                                  strict=True))
    return all(any(close(x, y) for y in b) for x in a) and all(any(close(y, x) for x in a)
                                                                for y in b)


@RANDOM
@example(clocks_that_round_apart(), FIRST_DEPART)  # the driver's clock (found at random)
@given(networks(), departs)
def test_matches_an_independent_reference(net: Network, depart: datetime) -> None:
    """On small random networks the planner's options are exactly the Pareto front of every
    simple path, timed and costed from the network without the search graph. When no simple
    path keeps the rules, the planner says so and the front without them is expected."""
    ids = list(net.nodes)
    expected = _reference(net, ids[0], ids[-1], depart, rules=True)
    result = plan(net, ids[0], ids[-1], cargo=Cargo(1), depart=depart, distinct=False)
    if not expected:
        expected = _reference(net, ids[0], ids[-1], depart, rules=False)
        assert any("break them" in note for note in result.notes), result.notes
    got = [(o.total_hours, o.cost_usd, o.co2e_kg) for o in result.options]
    assert _same_front(got, expected), (sorted(got), sorted(expected))


@RANDOM
@given(networks(), departs, st.data())
def test_via_a_place_keeps_the_rule_steps(net: Network, depart: datetime,
                                          data: st.DataObject) -> None:
    """Via a place, the options are exactly the Pareto front of the paths that pass it under
    the first rule step that has any (docs/routing.md), and the notes name that step: first
    no place twice (and rules 2 and 3); then a route may turn back at the via place (no place
    twice before it, nor after it, but the places before it may be passed again: a simple
    path to it and a simple path on); then without rules 2 and 3, turning back too. The
    driver's clock runs on through the via place on a road. Before partial routes were
    compared by the places they passed, the search missed routes passing no place twice."""
    ids = list(net.nodes)
    src, dst = ids[0], ids[-1]
    via = data.draw(st.sampled_from(ids[1:-1]))
    _check_via_steps(net, src, dst, via, depart)


def test_a_route_needing_a_place_another_passed_before_the_via_place_is_found() -> None:
    """A partial route that passed a place before its via place does not hide one that did not
    and needs it after the via place (found at random; it failed before labels were compared
    by the places they passed)."""
    _check_via_steps(a_way_back_through_the_via_place(), "KZN00", "TRN03", "AZN01",
                     FIRST_DEPART)


def test_a_route_needing_a_place_after_the_via_place_still_ahead_is_found() -> None:
    """A partial route that passed a place does not hide one that did not and needs it after
    a via place still ahead of both (it failed before labels were compared by the places
    they passed)."""
    _check_via_steps(a_place_needed_after_the_via_place(), "KZN00", "TRN04", "AZN03",
                     FIRST_DEPART)


def test_options_equal_but_for_rounding_are_one() -> None:
    """Two routes whose cost and CO2e differ only by float rounding are not both options
    (found at random)."""
    _check_via_steps(sums_that_round_apart(), "KZN00", "KZN04", "AZN01", FIRST_DEPART)


def test_arrivals_seconds_apart_are_two_options() -> None:
    """Two routes arriving 0.036 s apart, the sooner dearer, are both options (found at
    random; a margin relative to the hours since the epoch joined them)."""
    _check_via_steps(arrivals_seconds_apart(), "KZN00", "TRN03", "GEN02", FIRST_DEPART)


def _check_via_steps(net: Network, src: str, dst: str, via: str, depart: datetime) -> None:
    """The planner's options via ``via`` against every path of each rule step."""
    halves = [p + q for p in _simple_paths(net, src, via) for q in _simple_paths(net, via, dst)]
    simple = [path for path in halves if len({step.head for step in path} | {src})
              == len(path) + 1]
    # the rule steps: no place twice (with rules 2 and 3), turning back at the via place, and
    # without rules 2 and 3 turning back too (the step without them but not turning back is
    # skipped with a via place)
    steps = {0: (simple, True), 1: (halves, True), 3: (halves, False)}
    fronts = {i: _front(net, paths, src, dst, depart, rules)
              for i, (paths, rules) in steps.items()}
    graph = search_graph(net, Tariffs())
    at = graph.index
    # the planner's quick test whether a route can pass the via place and no place twice
    assert _passable(graph, at[src], at[dst], at[via], ()) == bool(simple)
    try:
        result = plan(net, src, dst, cargo=Cargo(1), depart=depart, via=[via],
                      distinct=False)
    except NoRouteError:
        assert not halves
        return
    taken = next((i for i, (_, note) in enumerate(RULE_STEPS) if note and note in result.notes),
                 0)
    got = [(o.total_hours, o.cost_usd, o.co2e_kg) for o in result.options]
    # no stricter step has a route, and the options are that step's front
    assert [i for i, front in fronts.items() if front][:1] == [taken], (taken, fronts)
    assert _same_front(got, fronts[taken]), (taken, sorted(got), sorted(fronts[taken]))


@RANDOM
@example(only_through_az(), FIRST_DEPART, "AZ")  # once said "not connected" (found at random)
@given(networks(), departs, st.sampled_from(COUNTRIES))
def test_avoided_countries_never_appear(net: Network, depart: datetime, country: str) -> None:
    """No leg of any option touches an avoided country. When avoiding it leaves no route,
    NoRouteError names the country and says to stop avoiding it (the random networks are
    connected, so the avoidance is the only thing that can cut the route)."""
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
        assert f"avoids country {country}: every route crosses it; stop avoiding country " \
               f"{country}" in message, message
        assert _reference(_without(net, country), ids[0], ids[-1], depart, rules=False) == []
        return
    for option in (*result.options, *result.by_corridor):
        for leg in option.legs:
            assert not leg.origin.startswith(country)
            assert not leg.destination.startswith(country)


def _without(net: Network, country: str) -> Network:
    """``net`` without the places of ``country`` and the links and lines that touch them."""
    keep = {i: n for i, n in net.nodes.items() if not i.startswith(country)}
    return Network(nodes=keep,
                   links=tuple(lk for lk in net.links
                               if lk.origin in keep and lk.destination in keep),
                   services=tuple(sv for sv in net.services
                                  if all(stop in keep for stop in sv.route)))


def test_from_hours_round_trip() -> None:
    """Hours since the epoch convert back to the same UTC time."""
    moment = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert from_hours(to_hours(moment)) == moment
