"""Caspian crossings in the planner's answers wait for a sailing and pay both port calls.

The Altynkol-Poti shuttle used to run on from Aktau to Alat inside the train's own timetable,
so `route Tashkent Poti` crossed the Caspian with no wait and no port handling (7.2 days,
against 3 days published from Tashkent to Aktau and 12 days from Altynkol to Poti).
"""

from __future__ import annotations

from datetime import UTC, datetime

from midcorridor.network import Network, Sea, ServiceKind
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
