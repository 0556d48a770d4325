"""Corridor families (Middle, Northern, Sea) and the name of a route, decided from its legs.

In order (docs/routing.md):

* **Middle** when the route crosses the Caspian: "Middle via Aktau–Alat" names the port of
  loading and of discharge, and a later Black Sea crossing is added: "Middle via Aktau–Alat,
  Poti–Constanța".
* **Northern** when it passes through Russia or Belarus without crossing the Caspian:
  "Northern via Kurgan–Brest" names the first and the last place it passes there.
* **Sea** when its longest leg is a deep-sea voyage (consecutive sea legs with an ocean leg
  among them): "Sea via Suez" or "Sea via Cape" by the passage, else the voyage's ports.
* **Direct** otherwise: "Direct sea via Poti–Constanța" names its first voyage's ports, else
  "Direct rail via Kapıkule–Plovdiv" the pair of places either side of its first border.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.network.model import Link, Mode, Network, Sea
from midcorridor.network.seas import WATER_MODES, is_caspian_crossing

if TYPE_CHECKING:
    from collections.abc import Sequence

NORTHERN_COUNTRIES = frozenset({"RU", "BY"})
#: Ocean passages a deep-sea voyage is named by, as they appear in the waypoints' names.
PASSAGES = (("cape of good hope", "Cape"), ("suez", "Suez"))


@dataclass(frozen=True)
class Family:
    """A corridor family and the countries its routes never enter."""

    name: str
    avoid_countries: frozenset[str]


MIDDLE = Family("Middle", NORTHERN_COUNTRIES)
NORTHERN = Family("Northern", frozenset())
SEA = Family("Sea", NORTHERN_COUNTRIES)
FAMILIES = (MIDDLE, NORTHERN, SEA)


#: Waters closed off from the oceans: a voyage within one of them is not an ocean leg (the
#: Black Sea and the Sea of Marmara are joined by the Bosporus).
INLAND_WATERS = (frozenset({Sea.CASPIAN}), frozenset({Sea.BLACK, Sea.MARMARA}))


def is_ocean(network: Network, link: Link) -> bool:
    """A sea link that leaves the inland waters (the Caspian; the Black Sea and Marmara)."""
    if link.mode is not Mode.SEA:
        return False
    seas = {network.nodes[link.origin].sea, network.nodes[link.destination].sea}
    return not any(seas <= waters for waters in INLAND_WATERS)


def is_northern(network: Network, link: Link) -> bool:
    """A link with an end in Russia or Belarus."""
    ends = (network.nodes[link.origin].country, network.nodes[link.destination].country)
    return any(c in NORTHERN_COUNTRIES for c in ends)


def requirement(network: Network, family: Family, link: Link) -> bool:
    """Whether travelling ``link`` counts as using the family's signature infrastructure."""
    if family is MIDDLE:
        return is_caspian_crossing(network, link)
    if family is NORTHERN:
        return is_northern(network, link)
    return is_ocean(network, link)


def excluded(network: Network, family: Family, link: Link) -> bool:
    """Whether ``link`` would give a route of ``family`` a family ranked before it."""
    if family is MIDDLE:
        return False
    if family is NORTHERN:
        return is_caspian_crossing(network, link)
    return is_caspian_crossing(network, link) or is_northern(network, link)


def _name(network: Network, node_id: str) -> str:
    return network.nodes[node_id].name.split(" (")[0]


Step = tuple[str, str, Link]


def voyages(steps: Sequence[Step]) -> list[list[Step]]:
    """Runs of consecutive sea or ferry steps, each one voyage (through sea waypoints)."""
    return [run for run in _legs(steps) if run[0][2].mode in WATER_MODES]


def _legs(steps: Sequence[Step]) -> list[list[Step]]:
    """Runs of consecutive steps by one mode (sea and ferry count as one)."""
    runs: list[list[Step]] = []
    for step in steps:
        water = step[2].mode in WATER_MODES
        if runs and (runs[-1][-1][2].mode in WATER_MODES) == water and (
                water or runs[-1][-1][2].mode is step[2].mode):
            runs[-1].append(step)
        else:
            runs.append([step])
    return runs


def _km(run: Sequence[Step]) -> float:
    return sum(s[2].distance_km for s in run)


def deep_sea_voyage(network: Network, steps: Sequence[Step]) -> list[Step] | None:
    """The route's longest leg when it is a voyage with an ocean leg, else None."""
    runs = _legs(steps)
    if not runs:
        return None
    longest = max(runs, key=_km)
    if any(is_ocean(network, s[2]) for s in longest):
        return longest
    return None


def _steps(path: Sequence[str], links: Sequence[Link]) -> list[Step]:
    return list(zip(path, path[1:], links, strict=False))


def family_of(network: Network, links: Sequence[Link], path: Sequence[str] = ()) -> str:
    """The family a route belongs to: Middle, Northern, Sea, or Direct."""
    if any(is_caspian_crossing(network, lk) for lk in links):
        return "Middle"
    if any(is_northern(network, lk) for lk in links):
        return "Northern"
    if not path:
        path = _path_of(links)
    if deep_sea_voyage(network, _steps(path, links)) is not None:
        return "Sea"
    return "Direct"


def _path_of(links: Sequence[Link]) -> list[str]:
    """Node ids along ``links`` travelled in order (each link's direction found from the last)."""
    if not links:
        return []
    first = links[0]
    if len(links) > 1 and first.origin in (links[1].origin, links[1].destination):
        path = [first.destination, first.origin]
    else:
        path = [first.origin, first.destination]
    for link in links[1:]:
        path.append(link.other_end(path[-1]))
    return path


def label(network: Network, path: Sequence[str], links: Sequence[Link]) -> str:
    """A readable corridor name for a route given its node ids and links in order."""
    steps = _steps(path, links)
    family = family_of(network, links, path)
    if family == "Middle":
        i = next(i for i, s in enumerate(steps) if is_caspian_crossing(network, s[2]))
        a, b, _ = steps[i]
        text = f"Middle via {_name(network, a)}–{_name(network, b)}"
        later = [v for v in voyages(steps[i + 1 :])
                 if not any(is_ocean(network, st[2]) for st in v)]
        if later:
            text += f", {_port_pair(network, later[0])}"
        return text
    if family == "Northern":
        inside = [p for p in path if network.nodes[p].country in NORTHERN_COUNTRIES]
        pair = dict.fromkeys((inside[0], inside[-1]))
        return "Northern via " + "–".join(_name(network, p) for p in pair)
    if family == "Sea":
        voyage = deep_sea_voyage(network, steps) or []
        names = [network.nodes[p].name.lower() for s in voyage for p in s[:2]]
        for needle, passage in PASSAGES:
            if any(needle in n for n in names):
                return f"Sea via {passage}"
        return f"Sea {_port_pair(network, voyage)}"
    modes = "/".join(dict.fromkeys(lk.mode.value for lk in links))
    crossings = voyages(steps)
    if crossings:
        return f"Direct {modes} via {_port_pair(network, crossings[0])}"
    border = next((st for st in steps if st[2].border), None)
    if border is None:
        return f"Direct {modes}"
    return f"Direct {modes} via {_name(network, border[0])}–{_name(network, border[1])}"


def _port_pair(network: Network, voyage: Sequence[Step]) -> str:
    return f"{_name(network, voyage[0][0])}–{_name(network, voyage[-1][1])}"


# Countries of the Middle Corridor's own sections (east Caspian shore to Türkiye).
MIDDLE_COUNTRIES = frozenset({"KZ", "TM", "AZ", "GE", "AM", "TR"})


def link_family(network: Network, link: Link) -> str:
    """The corridor family a link belongs to on a map: ``"Northern"`` (Russian or Belarusian
    track), ``"Sea"`` (ocean), ``"Middle"`` (Caspian shores, Georgia, Armenia, Türkiye and
    the crossing) or ``"Shared"`` (China, Europe: used by more than one family).
    """
    if is_northern(network, link):
        return NORTHERN.name
    if is_ocean(network, link):
        return SEA.name
    ends = {network.nodes[link.origin].country, network.nodes[link.destination].country}
    if is_caspian_crossing(network, link) or ends & MIDDLE_COUNTRIES:
        return MIDDLE.name
    return "Shared"
