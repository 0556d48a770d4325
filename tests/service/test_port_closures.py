"""Posted closures of the Caspian ports: who may post and cancel them, what is refused, and
how the corridor state and the crossing plans take them in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import World, event, shipment_body
from midcorridor.errors import InputError
from midcorridor.service import crossing_plans, ingest
from midcorridor.service.db.engine import Database
from midcorridor.service.schemas import CrossingPlanRequest

NOW = datetime.now(UTC).replace(microsecond=0)


def _body(place: str = "KZAAU", start: timedelta | None = None,
          end: timedelta = timedelta(hours=24), reason: str = "storm warning") -> dict[str, Any]:
    body: dict[str, Any] = {"place": place, "end": (NOW + end).isoformat(), "reason": reason}
    if start is not None:
        body["start"] = (NOW + start).isoformat()
    return body


def _post(client: TestClient, w: World, role: str, **kw: Any) -> Any:
    return client.post("/crossing/closures", json=_body(**kw), headers=w.auth(role))


def test_post_list_and_cancel(client: TestClient, world: World) -> None:
    """An operator closes its own port and cancels it; the coordinator closes the whole sea;
    the list holds what is current or to come, soonest first, with its status."""
    r = _post(client, world, "operator", place="kzaau")
    assert r.status_code == 201, r.text
    mine = r.json()
    assert (mine["place"], mine["name"], mine["status"]) == ("KZAAU", "Aktau", "current")
    assert mine["reason"] == "storm warning"
    r = _post(client, world, "coordinator", place="Caspian", start=timedelta(hours=30),
              end=timedelta(hours=40), reason="ice")
    assert r.status_code == 201, r.text
    sea = r.json()
    assert (sea["place"], sea["status"]) == ("caspian", "upcoming")
    listed = client.get("/crossing/closures", headers=world.auth("operator")).json()
    assert [(c["id"], c["status"]) for c in listed] == [(mine["id"], "current"),
                                                        (sea["id"], "upcoming")]
    # an operator may not cancel the closure of the whole sea, nor close it
    assert client.delete(f"/crossing/closures/{sea['id']}",
                         headers=world.auth("operator")).status_code == 403
    assert _post(client, world, "operator", place="caspian").status_code == 403
    assert _post(client, world, "operator", place="TMKRW").status_code == 403  # not its port
    r = client.delete(f"/crossing/closures/{mine['id']}", headers=world.auth("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    again = client.delete(f"/crossing/closures/{mine['id']}", headers=world.auth("operator"))
    assert again.status_code == 409
    assert "cancelled already" in again.json()["detail"]
    assert client.delete("/crossing/closures/999999",
                         headers=world.auth("coordinator")).status_code == 404
    listed = client.get("/crossing/closures", headers=world.auth("coordinator")).json()
    assert [c["id"] for c in listed] == [sea["id"]]


@pytest.mark.parametrize(("body", "field", "words"), [
    (_body(place="XXAAA"), "place", "is not a Caspian port"),
    (_body(place="GEPTI"), "place", "KZAAU"),  # a real node, but not a Caspian port
    (_body(start=timedelta(hours=5), end=timedelta(hours=2)), "end", "not after the start"),
    (_body(start=timedelta(hours=-50), end=timedelta(hours=-2)), "end", "in the past"),
    (_body(end=timedelta(days=500)), "end", "at most 366"),
    (_body(reason="   "), "reason", ""),
    ({"place": "KZAAU", "reason": "x"}, "end", ""),
    ({**_body(), "end": "2026-13-01T00:00:00+00:00"}, "end", ""),
    ({**_body(), "end": (NOW + timedelta(hours=3)).replace(tzinfo=None).isoformat()}, "end", ""),
    ({**_body(), "place": 7}, "place", ""),
])
def test_bad_closures_are_refused_naming_the_field(
        client: TestClient, world: World, body: dict[str, Any], field: str, words: str) -> None:
    r = client.post("/crossing/closures", json=body, headers=world.auth("coordinator"))
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert field in fields, r.text
    assert words in r.text
    assert client.get("/crossing/closures", headers=world.auth("coordinator")).json() == []


def test_the_corridor_state_shows_a_closed_port(client: TestClient, world: World) -> None:
    """A closure in force shows on its port (the whole sea's on every port); one still to
    come does not; a replay of a moment before it was posted does not show it either."""
    before = (NOW - timedelta(minutes=5)).isoformat()
    aktau = _post(client, world, "operator", start=timedelta(hours=-1)).json()
    _post(client, world, "coordinator", place="AZALT", start=timedelta(hours=5))
    ports = {p["place"]: p for p in client.get(
        "/corridor/state", headers=world.auth("coordinator")).json()["ports"]}
    assert ports["KZAAU"]["closure"]["id"] == aktau["id"]
    assert ports["KZAAU"]["closure"]["reason"] == "storm warning"
    assert ports["AZALT"]["closure"] is None
    assert ports["KZKUR"]["closure"] is None
    sea = _post(client, world, "coordinator", place="caspian", start=timedelta(hours=-1),
                end=timedelta(hours=2)).json()
    ports = {p["place"]: p for p in client.get(
        "/corridor/state", headers=world.auth("coordinator")).json()["ports"]}
    assert ports["KZKUR"]["closure"]["id"] == sea["id"]
    assert ports["KZAAU"]["closure"]["id"] == aktau["id"]  # the one that ends last
    past = client.get("/corridor/state", params={"at": before},
                      headers=world.auth("coordinator")).json()
    assert all(p["closure"] is None for p in past["ports"])


def test_plans_sail_around_posted_closures(client: TestClient, db: Database,
                                           world: World) -> None:
    """With Aktau closed past its first sailing no sailing leaves it before the closure ends;
    the whole sea closed for the horizon leaves no sailing: the plan fails naming closures."""
    base = NOW - timedelta(hours=130)
    r = client.post("/shipments", json=shipment_body(base), headers=world.auth("shipper"))
    sid = r.json()["id"]
    arrived = event("w", sid, "ARRI", "KZAAU", base + timedelta(hours=118))
    r = client.post("/events", json=arrived, headers=world.auth("operator"))
    assert r.status_code == 201, r.text
    request = CrossingPlanRequest.model_validate({"horizon_days": 3, "time_limit_s": 20})
    with db.read() as session:
        open_sea = crossing_plans.build_instance(session, request, now=NOW)
    first = min(s.departure for s in open_sea.sailings if s.origin == "KZAAU")
    closed = _post(client, world, "operator", start=timedelta(hours=-1),
                   end=timedelta(hours=first + 10)).json()
    with db.read() as session:
        instance = crossing_plans.build_instance(session, request, now=NOW)
    end_h = (datetime.fromisoformat(closed["end"]) - instance.start).total_seconds() / 3600
    assert instance.ports["KZAAU"].closures
    leaving = [s.departure for s in instance.sailings if s.origin == "KZAAU"]
    assert leaving
    assert min(leaving) >= end_h > first
    _post(client, world, "coordinator", place="caspian", start=timedelta(hours=-1),
          end=timedelta(days=5))
    with db.read() as session, pytest.raises(InputError, match="^closures: "):
        crossing_plans.build_instance(session, request, now=NOW)


def test_cargo_waiting_at_a_closed_port_waits_it_out(client: TestClient, world: World) -> None:
    """Posting a closure of Aktau recomputes the spread of the cargo waiting there: its wait
    for a ferry starts when the port reopens, and says so; cancelling it undoes that."""
    base = NOW - timedelta(hours=130)
    sid = client.post("/shipments", json=shipment_body(base),
                      headers=world.auth("shipper")).json()["id"]
    arrived = event("w", sid, "ARRI", "KZAAU", base + timedelta(hours=118))
    assert client.post("/events", json=arrived, headers=world.auth("operator")).status_code == 201

    def eta() -> Any:
        return client.get(f"/shipments/{sid}/eta", headers=world.auth("shipper")).json()

    open_port = eta()
    closed = _post(client, world, "operator", start=timedelta(hours=-1),
                   end=timedelta(hours=100)).json()
    shut = eta()
    wait = shut["segments"][0]
    assert wait["segment"] == "at KZAAU"
    assert "port closed until" in wait["reason"]
    assert wait["p50_h"] >= 100 - 1
    reopens = datetime.fromisoformat(closed["end"])
    assert datetime.fromisoformat(shut["eta_p10"]) > reopens
    # eta keeps its meaning (the plan plus the delay so far) and lies before the P10; the
    # answer says so, and why
    assert open_port["eta_before_p10"] == (open_port["eta"] < open_port["eta_p10"])
    assert shut["eta"] < shut["eta_p10"]
    assert shut["eta_before_p10"]
    assert "before the P10" in shut["eta_note"]
    assert "port closed until" in shut["eta_note"]
    assert datetime.fromisoformat(shut["eta_p50"]) > datetime.fromisoformat(open_port["eta_p50"])
    r = client.delete(f"/crossing/closures/{closed['id']}", headers=world.auth("coordinator"))
    assert r.status_code == 200, r.text
    again = eta()
    assert "closed" not in again["segments"][0]["reason"]
    assert (again["eta"] < again["eta_p10"]) == again["eta_before_p10"]
    gap = (datetime.fromisoformat(again["eta_p50"])
           - datetime.fromisoformat(open_port["eta_p50"])).total_seconds()
    assert abs(gap) < 3600


def test_the_sweep_counts_a_closure_from_its_start_to_its_end(
        client: TestClient, db: Database, world: World) -> None:
    """A closure posted ahead of time changes nothing until it begins; the sweep after its
    start recomputes the cargo waiting there, and the sweep after its end does so again."""
    base = NOW - timedelta(hours=130)
    sid = client.post("/shipments", json=shipment_body(base),
                      headers=world.auth("shipper")).json()["id"]
    arrived = event("w", sid, "ARRI", "KZAAU", base + timedelta(hours=118))
    assert client.post("/events", json=arrived, headers=world.auth("operator")).status_code == 201
    ahead = _post(client, world, "coordinator", place="caspian", start=timedelta(hours=2),
                  end=timedelta(hours=60)).json()

    def reason() -> str:
        e = client.get(f"/shipments/{sid}/eta", headers=world.auth("shipper")).json()
        return str(e["segments"][0]["reason"])

    assert "closed" not in reason()  # posted for later: nothing yet
    begun = datetime.fromisoformat(ahead["start"]) + timedelta(minutes=1)
    with db.write() as session:
        assert ingest.refresh_opened_or_closed(session, since=begun - timedelta(minutes=2),
                                               now=begun) == 1
    assert "port closed until" in reason()
    with db.write() as session:  # a sweep that saw neither its start nor its end
        assert ingest.refresh_opened_or_closed(session, since=begun,
                                               now=begun + timedelta(hours=1)) == 0
    over = datetime.fromisoformat(ahead["end"]) + timedelta(minutes=1)
    with db.write() as session:
        assert ingest.refresh_opened_or_closed(session, since=over - timedelta(minutes=2),
                                               now=over) == 1
    assert "closed" not in reason()
