"""Invariants of the geometry checks and of the packaged data set."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from midcorridor.network import Link, Mode, Network, Node, NodeKind, Spread, great_circle_km
from midcorridor.network.validate import MAX_CIRCUITY, MIN_CIRCUITY, check_links, circuity_bounds_km

lat = st.floats(min_value=-60, max_value=70, allow_nan=False)
lon = st.floats(min_value=-170, max_value=170, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(lat, lon, lat, lon, st.floats(min_value=0.5, max_value=3.5))
def test_circuity_check_matches_bounds(
    lat1: float, lon1: float, lat2: float, lon2: float, factor: float
) -> None:
    """A link is reported exactly when its distance falls outside the circuity bounds."""
    a = Node("AAAAA", "A", "KZ", lat1, lon1, NodeKind.CITY)
    b = Node("BBBBB", "B", "KZ", lat2, lon2, NodeKind.CITY)
    great_circle = great_circle_km(lat1, lon1, lat2, lon2)
    distance = great_circle * factor
    link = Link("AB", "AAAAA", "BBBBB", Mode.ROAD, distance, Spread(1, 1, 1))
    low, high = circuity_bounds_km(great_circle)
    problems = check_links({"AAAAA": a, "BBBBB": b}, [link], {})
    assert bool(problems) == (not low <= distance <= high)


def test_packaged_links_within_circuity_bounds(corridor: Network) -> None:
    """Every packaged link is between 0.98 and 2.5 times its ends' great-circle distance."""
    for link in corridor.links:
        a, b = corridor.node(link.origin), corridor.node(link.destination)
        great_circle = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        low, high = circuity_bounds_km(great_circle)
        assert low <= link.distance_km <= high, link.id
    assert MIN_CIRCUITY < 1 < MAX_CIRCUITY
