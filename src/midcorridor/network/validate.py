"""Checks on the network as a whole: references, geometry, gauge, services, connectivity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import process

from midcorridor.errors import Problem
from midcorridor.network.geo import great_circle_km
from midcorridor.network.model import Link, Mode, Network, Node, Sea, ServiceKind

MAX_CIRCUITY = 2.5
"""Longest allowed ratio of a link's distance to the great-circle distance between its ends."""
MIN_CIRCUITY = 0.98
"""Shortest allowed ratio: a little under 1 leaves room for rounded published distances."""
_SHORT_KM = 10.0
"""Below this great-circle distance the circuity ratio says little (station to yard)."""

Where = Mapping[tuple[str, str], tuple[str, int | str]]


def _at(where: Where, table: str, key: str, field: str, message: str) -> Problem:
    file, line = where.get((table, key), (f"{table}", "-"))
    return Problem(file, line, field, message)


def _suggest(name: str, known: Iterable[str]) -> str:
    matches = process.extract(name, list(known), limit=3, score_cutoff=50)
    return f"; nearest ids: {', '.join(m[0] for m in matches)}" if matches else ""


def circuity_bounds_km(great_circle: float) -> tuple[float, float]:
    """The shortest and longest plausible line distance for a great-circle distance in km."""
    upper = MAX_CIRCUITY * great_circle if great_circle >= _SHORT_KM else float("inf")
    return MIN_CIRCUITY * great_circle - 1.0, upper


def check_links(
    nodes: Mapping[str, Node], links: Iterable[Link], where: Where, scenario: str = ""
) -> list[Problem]:
    """Reference, distance and gauge checks on links against ``nodes``."""
    context = f" (scenario {scenario})" if scenario else ""
    problems: list[Problem] = []
    for link in links:
        problems += _check_link(link, nodes, where, context)
    return problems


def _check_link(link: Link, nodes: Mapping[str, Node], where: Where, context: str) -> list[Problem]:
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(_at(where, "links", link.id, field, message))

    ends = []
    for field, node_id in (("from", link.origin), ("to", link.destination)):
        if node_id not in nodes:
            bad(field, f"unknown node {node_id!r}{context}{_suggest(node_id, nodes)}")
        else:
            ends.append(nodes[node_id])
    if len(ends) != 2:
        return problems
    a, b = ends
    great_circle = great_circle_km(a.lat, a.lon, b.lat, b.lon)
    low, high = circuity_bounds_km(great_circle)
    if link.distance_km < low:
        bad("distance_km",
            f"{link.distance_km:g} km is shorter than the great-circle distance "
            f"{great_circle:.0f} km between {a.id} and {b.id}{context}; "
            "check the distance or the coordinates")
    elif link.distance_km > high:
        bad("distance_km",
            f"{link.distance_km:g} km is {link.distance_km / great_circle:.1f} times the "
            f"great-circle distance {great_circle:.0f} km between {a.id} and {b.id}"
            f"{context}; a circuity over {MAX_CIRCUITY} is implausible")
    if link.mode is Mode.RAIL:
        for node in (a, b):
            if not node.gauges:
                bad("mode", f"rail link to {node.id}, which has no gauge_mm{context}")
        if a.gauges and b.gauges and not (a.gauges & b.gauges) and not link.gauge_change:
            bad("gauge_change",
                f"joins {a.id} ({'/'.join(map(str, sorted(a.gauges)))} mm) and {b.id} "
                f"({'/'.join(map(str, sorted(b.gauges)))} mm) without a transshipment; "
                f"mark gauge_change=yes or add the gauge-change station{context}")
    problems += _check_water(link, a, b, where, context)
    if link.gauge_change and not (a.transshipment or b.transshipment):
        bad("gauge_change",
            f"gauge change but neither {a.id} nor {b.id} is marked transshipment=yes")
    return problems


def _check_water(link: Link, a: Node, b: Node, where: Where, context: str) -> list[Problem]:
    """A sea or ferry link joins two places on water, and never the Caspian to another sea."""
    if link.mode not in (Mode.SEA, Mode.FERRY):
        return []
    dry = [node.id for node in (a, b) if node.sea is None]
    if dry:
        return [_at(where, "links", link.id, "mode",
                    f"{link.mode} link to {', '.join(dry)}, which lies on no sea{context}; "
                    "give the node its sea in nodes.csv or change the mode")]
    if (a.sea is Sea.CASPIAN) != (b.sea is Sea.CASPIAN):
        return [_at(where, "links", link.id, "to",
                    f"joins {a.id} ({a.sea}) and {b.id} ({b.sea}), but the Caspian is landlocked "
                    f"(no sea link leaves it){context}; check the nodes' sea column")]
    return []


def check_network(network: Network, where: Where) -> list[Problem]:
    """Every network-level problem: links, services and parts that cannot be reached."""
    problems = check_links(network.nodes, network.links, where)
    for service in network.services:
        problems += _check_service(network, service.id, where)
    problems += _check_connected(network, where)
    return problems


def _check_service(network: Network, service_id: str, where: Where) -> list[Problem]:
    service = network.service(service_id)
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(_at(where, "services", service.id, field, message))

    unknown = [stop for stop in service.route if stop not in network.nodes]
    for stop in unknown:
        bad("route", f"unknown node {stop!r}{_suggest(stop, network.nodes)}")
    if unknown:
        return problems
    by_water = service.kind in (ServiceKind.FERRY, ServiceKind.CONTAINER_SHIP)
    for a, b in zip(service.route, service.route[1:], strict=False):
        if by_water and not any(
            arc.head == b and arc.link.mode in (Mode.SEA, Mode.FERRY)
            for arc in network.arcs_from(a)
        ):
            bad("route", f"no sea or ferry link from {a} to {b}; add it to links.csv")
        if not by_water and not network.nodes[a].gauges:
            bad("route", f"block-train stop {a} has no railway")
    if not service.vessels and by_water:
        bad("vessels", "lists no vessels")
    return problems


def _check_connected(network: Network, where: Where) -> list[Problem]:
    """Nodes outside the largest connected part (links taken both ways)."""
    neighbours: dict[str, set[str]] = {node_id: set() for node_id in network.nodes}
    for link in network.links:
        if link.origin in neighbours and link.destination in neighbours:
            neighbours[link.origin].add(link.destination)
            neighbours[link.destination].add(link.origin)
    parts: list[set[str]] = []
    seen: set[str] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        part, stack = {start}, [start]
        while stack:
            for nxt in neighbours[stack.pop()]:
                if nxt not in part:
                    part.add(nxt)
                    stack.append(nxt)
        seen |= part
        parts.append(part)
    if len(parts) <= 1:
        return []
    main = max(parts, key=len)
    problems = []
    for part in parts:
        if part is main:
            continue
        names = ", ".join(sorted(part))
        for node_id in sorted(part):
            problems.append(
                _at(
                    where,
                    "nodes",
                    node_id,
                    "id",
                    f"{node_id} cannot be reached from the rest of the network "
                    f"(its part: {names}); "
                    "add a link to it or remove it",
                )
            )
    return problems
