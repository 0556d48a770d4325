"""Distances on the WGS 84 ellipsoid and along the marine network."""

from __future__ import annotations

import math
from functools import lru_cache

from geographiclib.geodesic import Geodesic

from midcorridor.errors import MidcorridorError


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The geodesic distance between two points on the WGS 84 ellipsoid, in km."""
    return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / 1000.0


SPHERE_RADIUS_KM = 6371.0
"""Mean Earth radius for the fast spherical distance."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km: fast, within 0.5 % of the geodesic."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * SPHERE_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1024)
def sea_distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The sailing distance between two open-sea ports along the ``searoute`` marine network.

    Not valid inside the Caspian Sea: the marine network has a single node per shore there,
    so Aktau and Kuryk (or Baku and Alat) come out identical. Use published crossing distances.
    """
    try:  # deferred: the marine graph is large, and it ships in the optional `sea` extra
        import searoute
    except ImportError as exc:
        raise MidcorridorError(
            "sea distances need the optional package searoute: pip install 'midcorridor[sea]'"
        ) from exc

    route = searoute.searoute([lon1, lat1], [lon2, lat2], units="km")
    return float(route["properties"]["length"])
