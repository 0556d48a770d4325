"""The planner's fastest route as a path of network arcs (what the simulator follows)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from midcorridor.errors import NoRouteError
from midcorridor.network.model import Mode, NodeKind
from midcorridor.routing import Cargo, plan
from midcorridor.routing.plan import fastest_path

if TYPE_CHECKING:
    from midcorridor.network import Network

MONDAY = datetime(2024, 1, 1, tzinfo=UTC)


def test_the_path_is_the_plans_first_option_by_time(corridor: Network) -> None:
    """For random pairs of places, the path is leg for leg the route plan() ranks first."""
    rng = random.Random(3)
    ids = sorted(i for i, n in corridor.nodes.items() if n.kind is not NodeKind.SEA_WAYPOINT)
    checked = 0
    while checked < 12:
        a, b = rng.sample(ids, 2)
        try:
            planned = plan(corridor, a, b, cargo=Cargo(teu=4), depart=MONDAY).options[0]
        except NoRouteError:
            continue
        path = fastest_path(corridor, a, b, depart=MONDAY)
        assert [arc.link.id for arc in path] == [leg.link_id for leg in planned.legs]
        assert [(arc.tail, arc.head) for arc in path] == [
            (leg.origin, leg.destination) for leg in planned.legs]
        checked += 1


def test_only_allowed_links_are_taken(corridor: Network) -> None:
    """Barring road links gives a path without them, as avoid_modes does in plan()."""
    path = fastest_path(corridor, "Kuryk", "Baku", depart=MONDAY,
                        allowed=lambda link, _service: link.mode is not Mode.ROAD)
    planned = plan(corridor, "Kuryk", "Baku", cargo=Cargo(teu=1), depart=MONDAY,
                   avoid_modes=["road"]).options[0]
    assert all(arc.link.mode is not Mode.ROAD for arc in path)
    assert [arc.link.id for arc in path] == [leg.link_id for leg in planned.legs]


def test_no_allowed_link_is_no_route(corridor: Network) -> None:
    """When nothing is allowed the error names both ends."""
    with pytest.raises(NoRouteError, match="KZKUR to AZBAK"):
        fastest_path(corridor, "Kuryk", "Baku", depart=MONDAY, allowed=lambda *_: False)
