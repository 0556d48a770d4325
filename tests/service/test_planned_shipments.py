"""Shipments planned by ``midcorridor.routing`` (``plan: true``) and the planner endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from helpers.service_factories import World, make_world
from midcorridor.network import load_network
from midcorridor.routing import Cargo, plan
from midcorridor.service import planning
from midcorridor.service.main import create_app
from midcorridor.service.settings import Settings

DEPART = datetime(2026, 3, 2, tzinfo=UTC).isoformat()


def test_plan_options_are_the_planners_legs() -> None:
    """The service's options are the planner's own, leg for leg, best first; Aktau-Baku is one
    Caspian crossing that leaves no earlier than asked."""
    depart = datetime(2026, 3, 2, tzinfo=UTC)
    options = planning.plan_options("Aktau", "Baku", depart, 2.0, limit=2, data="")
    expected = plan(load_network(), "Aktau", "Baku", depart=depart, cargo=Cargo(teu=2.0))
    assert len(options) == min(2, len(expected.options))
    for got, option in zip(options, expected.options, strict=False):
        assert [(leg.origin, leg.destination, leg.mode, leg.planned_depart, leg.planned_arrive,
                 leg.link_id) for leg in got] == [
            (leg.origin, leg.destination, str(leg.mode), leg.depart, leg.arrive, leg.link_id)
            for leg in option.legs]
    first = options[0]
    assert (first[0].origin, first[-1].destination) == ("KZAAU", "AZBAK")
    assert first[0].mode in ("ferry", "sea")
    assert first[0].planned_depart >= depart


def test_the_data_folder_of_the_settings_is_read(settings: Settings, tmp_path: Path) -> None:
    """A data folder named in the settings is what the planner loads: a broken one makes the
    planner answer 503 naming the file, and the health check says the planner cannot answer."""
    folder = tmp_path / "corridor-data"
    folder.mkdir()
    (folder / "nodes.csv").write_text("id,name,colour\nXXBAD,Nowhere,blue\n", encoding="utf-8")
    with TestClient(create_app(settings.replace(data=str(folder)))) as client:
        world = make_world(client.app.state.db)  # type: ignore[attr-defined]
        r = client.post("/planner/plan", headers=world.auth("coordinator"),
                        json={"origin": "Aktau", "destination": "Baku", "depart": DEPART})
        assert r.status_code == 503, r.text
        assert "nodes.csv" in r.json()["detail"]
        assert "colour" in r.json()["detail"]
        assert client.get("/health").json()["planner"] is False
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").json()["planner"] is True


def test_plan_true_fills_legs_from_the_planner(client: TestClient, world: World) -> None:
    """A shipment created with plan: true gets the planner's first option as its legs."""
    body = {"reference": "PLAN-1", "origin": "CNXIA", "destination": "GEPTI", "plan": True,
            "depart": DEPART, "cargo": {"teu": 2}}
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 201, r.text
    legs = r.json()["legs"]
    assert legs[0]["origin"] == "CNXIA"
    assert legs[-1]["destination"] == "GEPTI"
    assert all(a["destination"] == b["origin"] for a, b in zip(legs, legs[1:], strict=False))
    assert r.json()["planned_arrival"] == legs[-1]["planned_arrive"]
    assert any(leg["mode"] in ("ferry", "sea") for leg in legs)  # crosses the Caspian


def test_planner_endpoint_and_unknown_place(client: TestClient, world: World) -> None:
    """The planner answers options over the API, and a 422 naming an unknown place."""
    ok = client.post("/planner/plan", headers=world.auth("coordinator"),
                     json={"origin": "Aktau", "destination": "Baku", "depart": DEPART})
    assert ok.status_code == 200, ok.text
    assert ok.json()["options"][0][0]["origin"] == "KZAAU"
    bad = client.post("/planner/plan", headers=world.auth("coordinator"),
                      json={"origin": "Atlantis", "destination": "Baku", "depart": DEPART})
    assert bad.status_code == 422
    assert "Atlantis" in bad.json()["detail"]


def test_plan_true_needs_depart(client: TestClient, world: World) -> None:
    """plan: true without a departure time is refused, naming depart."""
    body = {"origin": "CNXIA", "destination": "GEPTI", "plan": True}
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422
    assert "depart is required" in r.text


def test_crossing_optimizer_over_the_api(client: TestClient, world: World) -> None:
    """The crossing optimizer is queued as a job (run in test_jobs); bad input is a 422."""
    r = client.post("/optimizer/crossing", headers=world.auth("coordinator"),
                    json={"days": 3, "seed": 1, "time_limit_s": 5})
    assert r.status_code == 202, r.text
    job = client.get(r.json()["url"], headers=world.auth("coordinator")).json()
    assert (job["kind"], job["status"]) == ("crossing_optimizer", "queued")
    assert job["params"] == {"days": 3.0, "seed": 1, "mode": "assignment", "time_limit_s": 5.0}
    bad = client.post("/optimizer/crossing", headers=world.auth("coordinator"),
                      json={"days": 90})
    assert bad.status_code == 422
    assert "days" in bad.text


def test_route_options_carry_the_planners_legs_rounded(client: TestClient) -> None:
    """POST /planner/routes answers the planner's options in its order, each leg with every
    field of the planner's leg: distance to 0.1 km, hours, cost and CO2e to two decimals."""
    depart = datetime(2026, 3, 2, tzinfo=UTC)
    r = client.post("/planner/routes", json={"origin": "Aktau", "destination": "Baku",
                                             "depart": DEPART, "teu": 3})
    assert r.status_code == 200, r.text
    expected = plan(load_network(), "Aktau", "Baku", depart=depart, cargo=Cargo(teu=3.0))
    options = r.json()["options"]
    assert len(options) == len(expected.comparison())
    for got, option in zip(options, expected.comparison(), strict=True):
        assert len(got["legs"]) == len(option.legs)
        for leg, want in zip(got["legs"], option.legs, strict=True):
            assert leg == {
                "origin": want.origin, "destination": want.destination, "mode": str(want.mode),
                "depart": want.depart.isoformat().replace("+00:00", "Z"),
                "arrive": want.arrive.isoformat().replace("+00:00", "Z"),
                "distance_km": round(want.distance_km, 1), "dwell_h": round(want.dwell_h, 2),
                "wait_h": round(want.wait_h, 2), "cost_usd": round(want.cost_usd, 2),
                "co2e_kg": round(want.co2e_kg, 2), "link_id": want.link_id,
                "service_id": want.service_id, "transshipment": want.transshipment,
                "co2e_ttw_kg": round(want.co2e_ttw_kg, 2), "unload_h": round(want.unload_h, 2),
                "trucks": want.trucks,
            }
