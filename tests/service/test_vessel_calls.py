"""A Caspian vessel's own call: an event without a shipment, stored once, refused by field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers.service_factories import START, World, event, post_at_once
from midcorridor.service import corridor, ingest
from midcorridor.service.access import Principal, Role
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event
from midcorridor.service.schemas import EventCreate

AT = START + timedelta(hours=120)


def call(event_id: str, code: str = "ARRI", location: str = "KZAAU",
         vehicle: str = "Merkuriy-1", hours: float = 0.0, **extra: Any) -> dict[str, Any]:
    """A vessel's own call: a transport event naming the vessel, with no shipment."""
    body = event(event_id, 0, code, location, AT + timedelta(hours=hours), vehicle=vehicle,
                 mode="ferry", **extra)
    del body["shipment_id"]
    return body


def _calls(db: Database) -> list[tuple[str, str, str | None]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Event.client_event_id, Event.vehicle, Event.facility)
            .where(Event.shipment_id.is_(None)).order_by(Event.client_event_id))]


def test_a_call_is_stored_once_single_or_bulk(client: TestClient, db: Database,
                                              world: World) -> None:
    """The port's operator reports an empty arrival at anchorage: stored without a shipment,
    answered from the stored row when posted again, alone or in bulk."""
    headers = world.auth("operator")
    first = client.post("/events", json=call("c1", facility="anchorage"), headers=headers)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert (stored["shipment_id"], stored["vehicle"], stored["facility"]) == (
        None, "Merkuriy-1", "anchorage")
    again = client.post("/events", json=call("c1", facility="anchorage"), headers=headers)
    assert (again.status_code, again.json()["id"]) == (200, stored["id"])
    bulk = client.post("/events/bulk", headers=headers, json={"events": [
        call("c1", facility="anchorage"), call("c2", "DEPA", hours=9),
        call("c2", "DEPA", hours=9)]}).json()
    assert [(r["event_id"], r["status"]) for r in bulk["results"]] == [
        ("c1", "duplicate"), ("c2", "created"), ("c2", "duplicate")]
    assert bulk["results"][0]["id"] == stored["id"]
    # the same id with other content is a conflict, as for cargo events
    changed = client.post("/events", json=call("c1", facility="berth"), headers=headers)
    assert changed.status_code == 409, changed.text
    assert _calls(db) == [("c1", "Merkuriy-1", "anchorage"), ("c2", "Merkuriy-1", None)]


def test_concurrent_posts_of_a_call_store_it_once(client: TestClient, db: Database,
                                                  world: World) -> None:
    """Eight simultaneous posts of one call store it once; all get the same answer."""
    answers = post_at_once(client, call("race-1", "DEPA"), world.auth("operator"))
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.text for a in answers}) == 1
    assert _calls(db) == [("race-1", "Merkuriy-1", None)]


def test_a_call_names_the_vessel_as_the_data_set_does(client: TestClient, db: Database,
                                                      world: World) -> None:
    """A vessel named in another case is stored under its id (the state reads it by id or
    name as spelt)."""
    r = client.post("/events", json=call("n1", vehicle="merkuriy-1"),
                    headers=world.auth("operator"))
    assert r.status_code == 201, r.text
    assert _calls(db) == [("n1", "ASCO-AKTAU-ALAT-1", None)]


def _fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [p["field"] for p in response.json()["errors"]]


def test_refusals_name_the_field(client: TestClient, db: Database, world: World) -> None:
    """An unknown vessel, a place that is not a Caspian port, a cargo event or a transport
    event without vehicle lacking its shipment, a facility on a sailing: 422 naming the field;
    nothing stored."""
    headers = world.auth("operator")
    post = client.post
    assert _fields(post("/events", json=call("r1", vehicle="Flying Dutchman"),
                        headers=headers)) == ["vehicle"]
    assert _fields(post("/events", json=call("r2", location="KZDST"),  # a rail station
                        headers=headers)) == ["location"]
    load = call("r3", "LOAD", event_type="EQUIPMENT")
    assert _fields(post("/events", json=load, headers=headers)) == ["shipment_id"]
    assert _fields(post("/events", json=call("r4", vehicle=""), headers=headers)) == [
        "shipment_id"]
    assert _fields(post("/events", json=call("r5", "DEPA", facility="berth"),
                        headers=headers)) == ["facility"]
    bulk = post("/events/bulk", headers=headers, json={"events": [
        call("r6", vehicle="Flying Dutchman"), call("r7", location="GEPTI")]}).json()
    assert [(r["status"], r["error"].split(":")[0]) for r in bulk["results"]] == [
        ("rejected", "vehicle"), ("rejected", "location")]
    assert _calls(db) == []


def test_who_posts_a_call_at_the_port(client: TestClient, db: Database, world: World) -> None:
    """The coordinator and the admin report calls; an operator only at its own places; a
    shipper never. Neither coordinator nor admin reports cargo events (in bulk, refused one by
    one)."""
    assert client.post("/events", json=call("w1", location="KZKUR", vehicle="Barda"),
                       headers=world.auth("coordinator")).status_code == 201
    assert client.post("/events", json=call("w1", location="TMKRW", vehicle="Nakhichevan"),
                       headers=world.auth("admin")).status_code == 201
    outside = client.post("/events", json=call("w2", location="TMKRW", vehicle="Nakhichevan"),
                          headers=world.auth("operator"))
    assert outside.status_code == 403
    assert "TMKRW" in outside.json()["detail"]
    assert client.post("/events", json=call("w3"),
                       headers=world.auth("shipper")).status_code == 403
    cargo = event("w4", world.shipment_id, "DEPA", "KZAAU", AT)
    bulk = client.post("/events/bulk", json={"events": [cargo, call("w5")]},
                       headers=world.auth("coordinator"))
    assert bulk.status_code == 200, bulk.text
    assert [(r["status"], r["error"][:40]) for r in bulk.json()["results"]] == [
        ("rejected", "role coordinator may not report events o"), ("created", "")]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 3


def _states(db: Database, now: datetime, at: datetime | None) -> dict[str, tuple[Any, ...]]:
    with db.read() as session:
        found = corridor.state(session, now=now, at=at).vessels
    return {v.name: (v.status, v.place, v.since) for v in found}


def test_the_state_takes_a_vessel_from_its_latest_call_or_cargo_event(
        db: Database, world: World) -> None:
    """Dagestan lands cargo at Alat (a cargo event), berths there by its own call, sails
    empty (its own call) and anchors off Aktau: the state follows whichever event is latest,
    at any moment; a vessel no event names is unknown."""
    t0 = START + timedelta(hours=140)
    operator = Principal(0, world.org_ids["operator"], Role.operator,
                         frozenset({"KZAAU", "AZALT"}))
    coordinator = Principal(0, world.org_ids["coordinator"], Role.coordinator)
    landed = EventCreate(**event("k1", world.shipment_id, "ARRI", "AZALT", t0,
                                 vehicle="Dagestan", mode="ferry"))
    own = [EventCreate(**call("k2", location="AZALT", vehicle="Dagestan", facility="berth"
                              ) | {"event_time": (t0 + timedelta(hours=1)).isoformat()}),
           EventCreate(**call("k3", "DEPA", location="AZALT", vehicle="ASCO-AKTAU-ALAT-2"
                              ) | {"event_time": (t0 + timedelta(hours=8)).isoformat()}),
           EventCreate(**call("k4", location="KZAAU", vehicle="Dagestan", facility="anchorage"
                              ) | {"event_time": (t0 + timedelta(hours=30)).isoformat()})]
    now = t0 + timedelta(hours=40)
    with db.write() as session:
        outcomes = [*ingest.ingest(session, operator, [landed], now=now, slip_threshold_h=24),
                    *ingest.ingest(session, coordinator, own, now=now, slip_threshold_h=24)]
    assert [o.status for o in outcomes] == ["created"] * 4
    expected = {
        t0 - timedelta(hours=1): ("unknown", "", None),
        t0: ("at_berth", "AZALT", t0),
        t0 + timedelta(hours=5): ("at_berth", "AZALT", t0 + timedelta(hours=1)),
        t0 + timedelta(hours=8): ("at_sea", "AZALT", t0 + timedelta(hours=8)),
        t0 + timedelta(hours=29): ("at_sea", "AZALT", t0 + timedelta(hours=8)),
        t0 + timedelta(hours=30): ("anchored", "KZAAU", t0 + timedelta(hours=30)),
    }
    for at, status in expected.items():
        assert _states(db, now, at)["Dagestan"] == status, at
    latest = _states(db, now, None)
    assert latest["Dagestan"] == ("anchored", "KZAAU", t0 + timedelta(hours=30))
    assert latest["Merkuriy-1"] == ("unknown", "", None)
