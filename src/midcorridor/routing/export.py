"""Route options as GeoJSON: every option one LineString through its places."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from midcorridor.network.model import Network
    from midcorridor.routing.result import RoutePlan


def plan_geojson(network: Network, plan: RoutePlan) -> dict[str, Any]:
    """A FeatureCollection with one LineString per option (``[lon, lat]``, WGS 84)."""
    features = []
    for rank, option in enumerate(plan.comparison(), start=1):
        if not option.legs:
            continue
        ids = [option.legs[0].origin, *(leg.destination for leg in option.legs)]
        coords = [[network.nodes[i].lon, network.nodes[i].lat] for i in ids]
        props = {k: v for k, v in option.to_dict().items() if k not in ("legs", "assumptions")}
        props.update(rank=rank, origin=plan.origin, destination=plan.destination,
                     places=ids, depart=option.depart.isoformat(),
                     arrive=option.arrive.isoformat())
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}
