"""GeoJSON export follows RFC 7946: a FeatureCollection with [lon, lat] positions."""

from __future__ import annotations

import json

from midcorridor.network import Network, to_geojson


def _check_position(position: list[float]) -> None:
    assert len(position) == 2
    lon, lat = position
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


def test_geojson_structure(corridor_minimal: Network) -> None:
    """Every node is a Point and every link a LineString between its ends' coordinates."""
    document = json.loads(json.dumps(to_geojson(corridor_minimal)))
    assert document["type"] == "FeatureCollection"
    features = document["features"]
    assert len(features) == len(corridor_minimal.nodes) + len(corridor_minimal.links)
    for feature in features:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry["type"] == "Point":
            _check_position(geometry["coordinates"])
        else:
            assert geometry["type"] == "LineString"
            assert len(geometry["coordinates"]) >= 2
            for position in geometry["coordinates"]:
                _check_position(position)


def test_geojson_longitude_first(corridor_minimal: Network) -> None:
    """Positions are longitude then latitude (Aktau is at 51.17 E, 43.65 N)."""
    features = {f["id"]: f for f in to_geojson(corridor_minimal)["features"]}
    assert features["KZAAU"]["geometry"]["coordinates"] == [51.17, 43.65]
    link = features["KZAAU-AZALT-ferry"]
    assert link["geometry"]["coordinates"][0] == [51.17, 43.65]
    assert link["properties"]["mode"] == "ferry"
