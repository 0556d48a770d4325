"""Caspian crossings in the planner's answers wait for a sailing and pay both port calls.

The Altynkol-Poti shuttle used to run on from Aktau to Alat inside the train's own timetable,
so `route Tashkent Poti` crossed the Caspian with no wait and no port handling (7.2 days,
against 3 days published from Tashkent to Aktau and 12 days from Altynkol to Poti).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.networks import link, node, port_network
from midcorridor.network import Network, Sea, ServiceKind
from midcorridor.network.model import Departures, Mode, Service
from midcorridor.routing import Cargo, plan

DEPART = datetime(2026, 12, 1, tzinfo=UTC)
WATER = ("sea", "ferry")


def test_no_block_train_of_the_data_set_runs_across_a_sea(corridor: Network) -> None:
    """Between two stops of a block train there is a land link: trains do not sail."""
    for service in corridor.services:
        if ServiceKind(service.kind) is not ServiceKind.BLOCK_TRAIN:
            continue
        for a, b in zip(service.route, service.route[1:], strict=False):
            modes = {arc.link.mode for arc in corridor.arcs_from(a) if arc.head == b}
            assert modes - set(WATER), f"{service.id}: {a}-{b} only by {sorted(modes)}"


def test_tashkent_poti_waits_for_a_sailing_and_pays_both_port_calls(corridor: Network) -> None:
    """Every Caspian crossing of every option is sailed by a ferry or feeder line, loads at
    one port and unloads at the other; none is the shuttle's train."""
    result = plan(corridor, "Tashkent", "Poti", cargo=Cargo(40), depart=DEPART)
    services = {s.id: s for s in corridor.services}
    crossings = 0
    for option in result.comparison():
        for i, leg in enumerate(option.legs):
            if not (leg.mode in WATER and corridor.nodes[leg.origin].sea is Sea.CASPIAN
                    and corridor.nodes[leg.destination].sea is Sea.CASPIAN):
                continue
            crossings += 1
            assert leg.service_id is not None
            kind = ServiceKind(services[leg.service_id].kind)
            assert kind in (ServiceKind.FERRY, ServiceKind.CONTAINER_SHIP), leg
            assert leg.dwell_h > 0  # loading at the port of departure
            after = option.legs[i + 1] if i + 1 < len(option.legs) else None
            assert (after.dwell_h if after is not None else leg.unload_h) > 0  # unloading
    assert crossings >= len(result.comparison())


def _through_train_network() -> Network:
    """The port network (rail A-P 10 h, ferry P-Q Mondays 20:00, 22 h, 5 h handling at both
    ports) with rail Q-B 10 h and a through train A-P-Q-B leaving A daily at 00:00 UTC, whose
    stops P and Q are joined only by the ferry link."""
    net = port_network()
    nodes = dict(net.nodes)
    nodes["BBBBB"] = node("BBBBB", "AZ", 54.0)
    train = Service("TRAIN-A-B", "through train", "op", ServiceKind.BLOCK_TRAIN,
                    ("AAAAA", "PPPPP", "QQQQQ", "BBBBB"), Departures(headway_h=24.0))
    return Network(nodes=nodes,
                   links=(*net.links, link("QQQQQ", "BBBBB", Mode.RAIL, 100.0, 10.0,
                                           tariff=100.0)),
                   services=(*net.services, train))


def test_a_train_whose_stops_are_joined_by_water_does_not_sail() -> None:
    """Worked by hand: the train reaches P at 10:00; the boxes leave it (5 h handling), wait
    5 h for the Monday 20:00 sailing, cross in 22 h to Q (Tuesday 18:00), are unloaded (5 h)
    and wait for the train's next departure from Q, daily at 16:00 (00:00 + 10 h + the ferry
    link's 30 h in the through timetable): Wednesday 16:00, at B Thursday 02:00, 74 h. Riding
    the ferry inside the train's timetable it was 50 h, with no sailing and no port call."""
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    result = plan(_through_train_network(), "AAAAA", "BBBBB", cargo=Cargo(2), depart=monday)
    (option,) = result.options
    rail, ferry, onward = option.legs
    assert (rail.service_id, ferry.service_id, onward.service_id) == (
        "TRAIN-A-B", "LINE-PPPPP-QQQQQ", "TRAIN-A-B")
    assert (ferry.dwell_h, ferry.wait_h) == pytest.approx((5.0, 5.0))
    assert ferry.depart == datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert (onward.dwell_h, onward.wait_h) == pytest.approx((5.0, 17.0))
    assert onward.arrive == datetime(2026, 12, 3, 2, tzinfo=UTC)
    assert option.total_hours == pytest.approx(74.0)
    assert option.transshipments == 2


def test_without_a_sailing_the_train_does_not_cross() -> None:
    """With no ferry line on P-Q, the through train cannot take the boxes across: no route."""
    from midcorridor.errors import NoRouteError

    net = _through_train_network()
    net = net.replace(services=tuple(s for s in net.services
                                     if ServiceKind(s.kind) is ServiceKind.BLOCK_TRAIN))
    with pytest.raises(NoRouteError):
        plan(net, "AAAAA", "BBBBB", cargo=Cargo(2), depart=datetime(2026, 11, 30, tzinfo=UTC))


def test_no_option_rides_a_train_across_water(corridor: Network) -> None:
    """Over origin-destination pairs across the Caspian and the Black Sea, no leg carried by a
    block train is a sea or ferry leg."""
    trains = {s.id for s in corridor.services
              if ServiceKind(s.kind) is ServiceKind.BLOCK_TRAIN}
    for origin, destination in (("Xi'an", "Poti"), ("Khorgos", "Baku"), ("Tashkent", "Poti"),
                                ("Almaty", "Istanbul"), ("Urumqi", "Constanta")):
        result = plan(corridor, origin, destination, cargo=Cargo(40), depart=DEPART)
        for option in result.options:
            for leg in option.legs:
                assert not (leg.service_id in trains and leg.mode in WATER), (origin, leg)
