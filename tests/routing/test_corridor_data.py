"""The packaged corridor data set: the Xi'an questions from the issue."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers.networks import ocean_leg
from midcorridor.network import Network, find_place
from midcorridor.network.geo import haversine_km
from midcorridor.routing import Cargo, plan

DEPART = datetime(2026, 12, 1, tzinfo=UTC)


def test_xian_istanbul_has_three_corridors(corridor: Network) -> None:
    """Xi'an to Istanbul: Middle, Northern and Sea options exist; Middle is among the Pareto set."""
    result = plan(corridor, "Xi'an", "Istanbul", cargo=Cargo(40), depart=DEPART)
    families = {o.family for o in result.comparison()}
    assert {"Middle", "Northern", "Sea"} <= families
    assert any(o.family == "Middle" for o in result.options)
    assert all(o.legs[0].origin == find_place(corridor, "Xi'an").id for o in result.options)


def test_xian_duisburg_avoiding_russia(corridor: Network) -> None:
    """Avoiding RU and BY leaves no Northern option and no leg in Russia or Belarus."""
    result = plan(corridor, "Xi'an", "Duisburg", cargo=Cargo(40), depart=DEPART,
                  avoid_countries=["RU", "BY"])
    for option in result.comparison():
        assert option.family != "Northern"
        for leg in option.legs:
            for end in (leg.origin, leg.destination):
                assert corridor.nodes[end].country not in ("RU", "BY")


def test_via_baku(corridor: Network) -> None:
    """Passing via Baku puts Baku on every option."""
    baku = find_place(corridor, "Baku").id
    result = plan(corridor, "Xi'an", "Istanbul", cargo=Cargo(1), depart=DEPART, via=["Baku"])
    for option in result.options:
        assert baku in {leg.destination for leg in option.legs}
    # Baku is a spur off Alat: only rule 1 gives way, and the plan says so; no long detours
    assert len(result.notes) == 1
    assert "twice" in result.notes[0]
    a, b = corridor.nodes[result.origin], corridor.nodes[result.destination]
    limit = 2 * haversine_km(a.lat, a.lon, b.lat, b.lon)
    for option in result.comparison():
        land = sum(leg.distance_km for leg in option.legs if not ocean_leg(corridor, leg))
        assert land <= limit * (1 + 1e-6)
