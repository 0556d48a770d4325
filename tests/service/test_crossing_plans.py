"""Caspian plans from live bookings: published onto the legs and ETAs, or nothing at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import World, event, shipment_body
from midcorridor.errors import InputError
from midcorridor.service import corridor, crossing_plans, jobs
from midcorridor.service.db.engine import Database
from midcorridor.service.schemas import CrossingPlanRequest

NOW = datetime.now(UTC).replace(microsecond=0)
BASE = NOW - timedelta(hours=130)
AT_AKTAU = BASE + timedelta(hours=118)  # planned arrival at Aktau: BASE + 116 h


def _waiting(client: TestClient, w: World, n: int) -> list[int]:
    """``n`` shipments of 2 TEU that arrived at Aktau."""
    ids = []
    for k in range(n):
        r = client.post("/shipments", json=shipment_body(BASE), headers=w.auth("shipper"))
        assert r.status_code == 201, r.text
        ids.append(int(r.json()["id"]))
        r = client.post("/events", json=event(f"w{k}", ids[-1], "ARRI", "KZAAU",
                                              AT_AKTAU + timedelta(minutes=k)),
                        headers=w.auth("operator"))
        assert r.status_code == 201, r.text
    return ids


def _plan(db: Database, w: World, **body: Any) -> int:
    request = CrossingPlanRequest.model_validate({"horizon_days": 3, "time_limit_s": 20,
                                                  **body})
    return crossing_plans.make_plan(db, request, now=datetime.now(UTC),
                                    org_id=w.org_ids["coordinator"], user_id=1)


def test_plan_assigns_waiting_cargo_and_moves_legs_and_etas(
        client: TestClient, db: Database, world: World) -> None:
    """Three shipments waiting at Aktau are assigned to sailings; each one's ferry leg takes
    its sailing's times, the legs after it move by as much, and the ETA spread follows."""
    ids = _waiting(client, world, 3)
    before = {sid: client.get(f"/shipments/{sid}", headers=world.auth("shipper")).json()
              for sid in ids}
    plan_id = _plan(db, world)
    r = client.get("/crossing/plans/latest", headers=world.auth("coordinator"))
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["id"] == plan_id
    assert plan["solver"] == "highs"
    assert plan["fifo"]["mean_wait_hours"] >= 0
    assert plan["bookings"] >= 3
    assigned = {a["shipment_id"]: a for a in plan["assignments"]}
    assert set(ids) <= set(assigned)
    assert plan["left_behind_units"] == 0
    sailings = {s["id"]: s for s in plan["sailings"]}
    # Each sailing carries what the plan put on it: in all, the optimizer's assigned units.
    assert sum(s["units"] for s in plan["sailings"]) == plan["assigned_units"] > 0
    assert sum(s["shipments"] for s in plan["sailings"]) >= 3
    assert all(s["units"] > 0 for s in plan["sailings"] if s["shipments"])
    for sid in ids:
        after = client.get(f"/shipments/{sid}", headers=world.auth("shipper")).json()
        ferry = after["legs"][2]
        sailing = sailings[assigned[sid]["sailing"]]
        assert (ferry["planned_depart"], ferry["planned_arrive"]) == (
            _iso(sailing["departure"]), _iso(sailing["arrival"]))
        shift = (datetime.fromisoformat(ferry["planned_arrive"])
                 - datetime.fromisoformat(before[sid]["legs"][2]["planned_arrive"]))
        last_before = datetime.fromisoformat(before[sid]["legs"][3]["planned_arrive"])
        assert datetime.fromisoformat(after["legs"][3]["planned_arrive"]) == last_before + shift
        # 2 h late at Aktau, but on a sailing that leaves later still: on time for the plan
        assert _iso(after["eta"]) == _iso(after["legs"][3]["planned_arrive"])
        spread = client.get(f"/shipments/{sid}/eta", headers=world.auth("shipper")).json()
        wait = spread["segments"][0]
        assert sailing["vessel_name"] in wait["reason"]
        history = client.get(f"/shipments/{sid}/eta/history",
                             headers=world.auth("shipper")).json()["data"]
        assert history[-1]["event_id"] is None
        assert history[-1]["p50"] == spread["eta_p50"]
    same = client.get(f"/crossing/plans/{plan_id}", headers=world.auth("admin"))
    assert same.json() == plan


def _iso(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_bad_input_publishes_nothing(client: TestClient, db: Database, world: World) -> None:
    """An unknown vessel, a closure longer than the horizon, a fleet all out of service or a
    closure leaving no sailing fails naming the field; no plan is stored and no leg
    changes."""
    [sid] = _waiting(client, world, 1)
    before = client.get(f"/shipments/{sid}", headers=world.auth("shipper")).json()["legs"]
    with pytest.raises(InputError, match=r"fleet.out_of_service\[0\]"):
        _plan(db, world, fleet={"out_of_service": ["Titanic"]})
    with pytest.raises(InputError, match=r"closures\[0\].hours"):
        _plan(db, world, closures=[{"place": "KZAAU", "hours": 100}])
    # infeasible: no vessel left, or no sailing left in the horizon
    every = [v.id for v in corridor.fleet(db.settings.data)]
    with pytest.raises(InputError, match=r"^fleet.out_of_service: every vessel"):
        _plan(db, world, fleet={"out_of_service": every})
    with pytest.raises(InputError, match=r"^closures: the closures leave no sailing"):
        _plan(db, world, closures=[{"place": "caspian", "hours": 72}])
    assert client.get("/crossing/plans/latest",
                      headers=world.auth("coordinator")).status_code == 404
    after = client.get(f"/shipments/{sid}", headers=world.auth("shipper")).json()["legs"]
    assert after == before


def test_no_cargo_in_the_horizon(client: TestClient, db: Database, world: World) -> None:
    """With nothing waiting or due at a Caspian port the plan fails naming horizon_days."""
    with pytest.raises(InputError, match="horizon_days"):
        _plan(db, world, horizon_days=0.5)


def test_post_plan_is_a_job_that_publishes(client: TestClient, db: Database,
                                           world: World) -> None:
    """POST /crossing/plans answers 202 with a job; run by a worker it names the plan, which
    assigns the waiting cargo. A request the job refuses ends it failed naming the field, and
    a body out of range is a 422 naming the field."""
    [sid] = _waiting(client, world, 1)
    r = client.post("/crossing/plans", json={"horizon_days": 2, "time_limit_s": 10},
                    headers=world.auth("operator"))
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    assert jobs.run_job(db, job_id) == jobs.Outcome("succeeded")
    done = client.get(f"/jobs/{job_id}", headers=world.auth("operator")).json()
    plan = client.get(done["result"]["url"], headers=world.auth("operator")).json()
    assert plan["job_id"] == job_id
    assert sid in {a["shipment_id"] for a in plan["assignments"]}

    r = client.post("/crossing/plans", json={"fleet": {"out_of_service": ["Titanic"]}},
                    headers=world.auth("coordinator"))
    failed = jobs.run_job(db, r.json()["job_id"])
    assert failed is not None
    assert failed.status == "failed"
    assert failed.error.startswith("fleet.out_of_service[0]: unknown vessel 'Titanic'")
    latest = client.get("/crossing/plans/latest", headers=world.auth("coordinator")).json()
    assert latest["id"] == plan["id"]  # the failed job published nothing

    bad = client.post("/crossing/plans", json={"horizon_days": 99},
                      headers=world.auth("coordinator"))
    assert bad.status_code == 422, bad.text
    assert [e["field"] for e in bad.json()["errors"]] == ["horizon_days"]
