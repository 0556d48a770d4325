"""The network as GeoJSON (RFC 7946) and as flat tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from midcorridor.network.model import Link, Network, Node


def _gauge(node: Node) -> str:
    return "/".join(str(g) for g in sorted(node.gauges))


def node_record(node: Node) -> dict[str, Any]:
    """One node as a flat record."""
    return {
        "id": node.id,
        "name": node.name,
        "country": node.country,
        "kind": node.kind.value,
        "lat": node.lat,
        "lon": node.lon,
        "gauge_mm": _gauge(node),
        "handling_h": node.handling_h,
        "transshipment": node.transshipment,
        "aliases": ";".join(node.aliases),
    }


def link_record(link: Link) -> dict[str, Any]:
    """One link as a flat record."""
    return {
        "id": link.id,
        "from": link.origin,
        "to": link.destination,
        "mode": link.mode.value,
        "distance_km": link.distance_km,
        "hours_min": link.hours.min,
        "hours_typ": link.hours.typ,
        "hours_max": link.hours.max,
        "dwell_h_typ": link.dwell.typ,
        "border": link.border,
        "gauge_change": link.gauge_change,
        "tariff_usd": link.tariff.value if link.tariff else None,
        "tariff_unit": link.tariff.unit if link.tariff else None,
        "operator": link.operator,
        "bidirectional": link.bidirectional,
    }


def _point(node: Node) -> list[float]:
    return [round(node.lon, 6), round(node.lat, 6)]


def to_geojson(network: Network) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of every node (Point) and link (LineString).

    Coordinates are ``[longitude, latitude]`` in WGS 84, as RFC 7946 requires.
    """
    features: list[dict[str, Any]] = []
    for node in network.nodes.values():
        features.append(
            {
                "type": "Feature",
                "id": node.id,
                "geometry": {"type": "Point", "coordinates": _point(node)},
                "properties": {"feature": "node", **node_record(node)},
            }
        )
    for link in network.links:
        a, b = network.nodes[link.origin], network.nodes[link.destination]
        features.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {"type": "LineString", "coordinates": [_point(a), _point(b)]},
                "properties": {"feature": "link", **link_record(link)},
            }
        )
    return {"type": "FeatureCollection", "features": features}
