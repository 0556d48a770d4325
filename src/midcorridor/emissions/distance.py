"""Distance adjustment (ISO 14083 section 5.4.4) when only a great-circle distance is known.

GLEC default intensities are on a shortest-feasible-distance (SFD) basis. A link whose
``distance_km`` equals the great-circle distance between its ends (within 0.5 %) is taken to
carry a GCD, and is multiplied by a distance adjustment factor (DAF)::

    d_SFD = GCD x DAF            (sea: DAF = 1.15, CCWG / GLEC 2019 convention)

Links with a published distance along the line are used as they are (DAF = 1).
"""

from __future__ import annotations

from midcorridor.network.geo import great_circle_km
from midcorridor.network.model import Link, Mode, Network

#: Sea: +15 % on the great-circle distance (CCWG rule via the Hamburg Sued calculator page,
#: c. 2015, and GLEC 2019; emissions.md section 2.1).
DAF_SEA = 1.15
#: assumption: the GLEC v3 road and rail DAFs were not found (emissions.md gap 5); the sea
#: value is used for every land mode too.
DAF_LAND = 1.15
_GCD_TOLERANCE = 1.005


def daf(mode: Mode) -> float:
    """The distance adjustment factor for a mode."""
    return DAF_SEA if mode in (Mode.SEA, Mode.FERRY) else DAF_LAND


def is_great_circle(network: Network, link: Link) -> bool:
    """Whether the link's distance is no longer than the great circle between its ends."""
    a, b = network.nodes[link.origin], network.nodes[link.destination]
    gcd = great_circle_km(a.lat, a.lon, b.lat, b.lon)
    return link.distance_km <= gcd * _GCD_TOLERANCE


def emission_distance_km(network: Network, link: Link) -> float:
    """The distance to multiply by the intensity factor: SFD, or GCD x DAF when GCD only."""
    if is_great_circle(network, link):
        return link.distance_km * daf(link.mode)
    return link.distance_km
