"""Corridor families (Middle, Northern, Sea) and readable labels for a route.

A route is labelled from the places it passes: the Caspian crossing makes it the Middle
Corridor ("Middle via Aktau–Alat–Poti"), Russian or Belarusian track the Northern route
("Northern via Dostyk–Brest"), a deep-sea leg the sea route ("Sea via Suez").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from midcorridor.network.model import Link, Mode, Network
from midcorridor.network.seas import is_caspian_crossing

NORTHERN_COUNTRIES = frozenset({"RU", "BY"})
SEA_PASSAGES = ("suez", "cape of good hope", "good hope", "bab", "gibraltar", "malacca")


@dataclass(frozen=True)
class Family:
    """A corridor family: arcs it must use at least once and countries it never enters."""

    name: str
    avoid_countries: frozenset[str]


MIDDLE = Family("Middle", NORTHERN_COUNTRIES)
NORTHERN = Family("Northern", frozenset())
SEA = Family("Sea", frozenset())
FAMILIES = (MIDDLE, NORTHERN, SEA)


def is_northern(network: Network, link: Link) -> bool:
    """A link with an end in Russia or Belarus."""
    ends = (network.nodes[link.origin].country, network.nodes[link.destination].country)
    return any(c in NORTHERN_COUNTRIES for c in ends)


def is_deep_sea(network: Network, link: Link) -> bool:
    """A sea link that is not a Caspian crossing."""
    return link.mode is Mode.SEA and not is_caspian_crossing(network, link)


def requirement(network: Network, family: Family, link: Link) -> bool:
    """Whether travelling ``link`` counts as using the family's signature infrastructure."""
    if family is MIDDLE:
        return is_caspian_crossing(network, link)
    if family is NORTHERN:
        return is_northern(network, link)
    return is_deep_sea(network, link)


def excluded(network: Network, family: Family, link: Link) -> bool:
    """Whether ``link`` would make a route of ``family`` count as a family ranked before it."""
    if family is MIDDLE:
        return False
    if family is SEA:
        return is_caspian_crossing(network, link)
    return is_caspian_crossing(network, link) or is_deep_sea(network, link)


def _name(network: Network, node_id: str) -> str:
    return network.nodes[node_id].name.split(" (")[0]


def family_of(network: Network, links: Sequence[Link]) -> str:
    """The family a route belongs to: Middle, Northern, Sea, or Direct."""
    if any(is_caspian_crossing(network, lk) for lk in links):
        return "Middle"
    if any(is_deep_sea(network, lk) for lk in links):
        return "Sea"
    if any(is_northern(network, lk) for lk in links):
        return "Northern"
    return "Direct"


def label(network: Network, path: Sequence[str], links: Sequence[Link]) -> str:
    """A readable corridor label for a route given its node ids and links in order."""
    family = family_of(network, links)
    steps = list(zip(path, path[1:], links, strict=False))
    if family == "Middle":
        i = next(i for i, (_, _, lk) in enumerate(steps) if is_caspian_crossing(network, lk))
        a, b, _ = steps[i]
        names = [_name(network, a), _name(network, b)]
        later_sea = [s for s in steps[i + 1 :] if s[2].mode in (Mode.SEA, Mode.FERRY)]
        if later_sea:
            names.append(_name(network, later_sea[0][0]))
        else:
            borders = [s for s in steps[i + 1 :] if s[2].border]
            if borders:
                names.append(_name(network, borders[-1][1]))
        return "Middle via " + "–".join(names)
    if family == "Sea":
        for passage in SEA_PASSAGES:
            for node_id in path:
                name = network.nodes[node_id].name
                if passage in name.lower():
                    return f"Sea via {passage.title() if passage != 'bab' else name}"
        sea = [s for s in steps if s[2].mode is Mode.SEA]
        return f"Sea {_name(network, sea[0][0])}–{_name(network, sea[-1][1])}"
    borders = [s for s in steps if s[2].border]
    if family == "Northern" and borders:
        exits = [s for s in borders if network.nodes[s[0]].country in NORTHERN_COUNTRIES
                 and network.nodes[s[1]].country not in NORTHERN_COUNTRIES]
        last = exits[-1] if exits else borders[-1]
        return f"Northern via {_name(network, borders[0][1])}–{_name(network, last[0])}"
    modes = "/".join(dict.fromkeys(lk.mode.value for lk in links))
    if borders:
        return f"{family} {modes} via " + "–".join(_name(network, s[1]) for s in borders[:3])
    return f"{family} {modes}"
