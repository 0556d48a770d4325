"""Shipments planned by ``midcorridor.routing`` (``plan: true``) and the planner endpoint."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from service_factories import World

from midcorridor.service.planning import planner_module


def test_planner_is_installed() -> None:
    """The routing package provides plan(), so plan: true is exercised below."""
    assert planner_module() is not None

DEPART = datetime(2026, 3, 2, tzinfo=UTC).isoformat()


def test_plan_true_fills_legs_from_the_planner(client: TestClient, world: World) -> None:
    """A shipment created with plan: true gets the planner's first option as its legs."""
    body = {"reference": "PLAN-1", "origin": "CNXIA", "destination": "GEPTI", "plan": True,
            "depart": DEPART, "cargo": {"teu": 2}}
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 201, r.text
    legs = r.json()["legs"]
    assert legs[0]["origin"] == "CNXIA" and legs[-1]["destination"] == "GEPTI"
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
    assert bad.status_code == 422 and "Atlantis" in bad.json()["detail"]


def test_plan_true_needs_depart(client: TestClient, world: World) -> None:
    """plan: true without a departure time is refused, naming depart."""
    body = {"origin": "CNXIA", "destination": "GEPTI", "plan": True}
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert r.status_code == 422 and "depart is required" in r.text


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
    assert bad.status_code == 422 and "days" in bad.text
