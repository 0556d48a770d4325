"""Shipments: planned legs, ISO 6346 containers, validation of the route."""

from __future__ import annotations

from fastapi.testclient import TestClient
from service_factories import World, shipment_body


def test_shipment_keeps_legs_and_containers(client: TestClient, world: World) -> None:
    """A created shipment reads back with its legs in order and its ETA at the plan."""
    s = client.get(f"/shipments/{world.shipment_id}", headers=world.auth("shipper")).json()
    assert [leg["origin"] for leg in s["legs"]] == ["CNALK", "KZDOS", "KZAAU", "AZALT"]
    assert s["cargo"]["containers"] == ["CSQU3054383"]
    assert s["eta"] == s["planned_arrival"]
    assert s["status"] == "planned"
    assert s["events"] == []


def test_bad_container_number_names_the_field(client: TestClient, world: World) -> None:
    """A container number with a wrong check digit is a 422 naming cargo.containers."""
    body = shipment_body()
    body["cargo"]["containers"] = ["CSQU3054383", "CSQU3054384"]
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "cargo.containers"
    assert "expected 3" in error["message"]


def test_broken_route_is_refused(client: TestClient, world: World) -> None:
    """Legs that do not chain, or a missing route, are refused with the reason."""
    body = shipment_body()
    body["legs"][1]["origin"] = "KZAAU"
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422
    assert "legs[1].origin" in r.text
    r = client.post("/shipments", json=shipment_body(legs=None), headers=world.auth("shipper"))
    assert r.status_code == 422
    assert "legs is required" in r.text
