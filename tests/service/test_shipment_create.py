"""Shipments: planned legs, ISO 6346 containers, validation of the route."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from helpers.service_factories import START, World, make_world, shipment_body
from midcorridor.network import packaged_data_dir
from midcorridor.service.main import create_app
from midcorridor.service.settings import Settings


def _header(name: str) -> str:
    return (packaged_data_dir() / name).read_text(encoding="utf-8").splitlines()[0] + "\n"


NODES_HEADER, LINKS_HEADER = _header("nodes.csv"), _header("links.csv")


def test_shipment_keeps_legs_and_containers(client: TestClient, world: World) -> None:
    """A created shipment reads back with its legs in order and its ETA at the plan."""
    s = client.get(f"/shipments/{world.shipment_id}", headers=world.auth("shipper")).json()
    assert [leg["origin"] for leg in s["legs"]] == ["CNALS", "KZDST", "KZAAU", "AZALT"]
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


def test_place_not_in_the_network_is_named_with_suggestions(client: TestClient,
                                                           world: World) -> None:
    """A leg end that is not a node id of the service's network is a 422 naming each field
    that holds it and the id, with the place look-up's near matches; nothing is stored."""
    body = shipment_body()
    body["legs"][0]["destination"] = body["legs"][1]["origin"] = "KZDSX"  # Dostyk is KZDST
    before = client.get("/shipments", headers=world.auth("shipper")).json()["count"]
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422, r.text
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"legs.0.destination", "legs.1.origin"}
    for error in errors.values():
        assert error["type"] == "unknown_place"
        assert "'KZDSX'" in error["message"]
        assert "Dostyk (KZDST)" in error["message"]
    assert "legs.0.destination" in r.json()["detail"]
    assert client.get("/shipments", headers=world.auth("shipper")).json()["count"] == before


def test_place_name_instead_of_id_suggests_the_id(client: TestClient, world: World) -> None:
    """A place's name where its id belongs is refused with the id to use; an id like
    nothing in the network is refused without suggestions."""
    body = shipment_body()
    body["destination"] = body["legs"][-1]["destination"] = "Poti"
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422, r.text
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert set(errors) == {"destination", "legs.3.destination"}
    assert "did you mean Poti (GEPTI)" in errors["destination"]
    body = shipment_body(origin="QQ9", plan=True, legs=None, depart=START.isoformat())
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == "origin"
    assert "'QQ9'" in error["message"]
    assert "did you mean" not in error["message"]


def test_places_are_checked_against_the_configured_data(settings: Settings,
                                                         tmp_path: Path) -> None:
    """With a data folder, the places of that network are accepted (the packaged data set
    extended by the folder): the check reads the service's network, not a fixed list."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "nodes.csv").write_text(
        NODES_HEADER + "CNALK,no,Alashankou yard,,CN,45.17,82.57,assumption: test place,"
        "border_crossing,1435,,,,,,no,,\n", encoding="utf-8")
    (folder / "links.csv").write_text(
        LINKS_HEADER + "CNALK-KZDST-rail,CNALK,KZDST,rail,12,assumption: test,1,1,2,"
        "assumption: test,,,,,no,no,,,,,,,diesel,KTZ,yes,\n", encoding="utf-8")
    body = shipment_body()
    body["origin"] = body["legs"][0]["origin"] = "CNALK"
    with TestClient(create_app(settings)) as plain:
        w = make_world(plain.app.state.db)  # type: ignore[attr-defined]
        assert plain.post("/shipments", json=body, headers=w.auth("shipper")).status_code == 422
    with TestClient(create_app(settings.replace(data=str(folder)))) as extended:
        r = extended.post("/shipments", json=body, headers=w.auth("shipper"))
        assert r.status_code == 201, r.text
