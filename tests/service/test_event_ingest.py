"""Event ingestion: idempotency, out-of-order and late events, off-route flags, validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers.service_factories import START, World, event, post_at_once, shipment_body
from midcorridor.service import accounts
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event


def _count(db: Database, shipment_id: int) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Event.id)).where(Event.shipment_id == shipment_id)) or 0


def test_same_event_twice_is_stored_once_and_answered_the_same(
    client: TestClient, db: Database, world: World
) -> None:
    """Posting an event id again returns 200 with the identical body and stores nothing new."""
    body = event("e-1", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=150))
    first = client.post("/events", json=body, headers=world.auth("operator"))
    second = client.post("/events", json=body, headers=world.auth("operator"))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert _count(db, world.shipment_id) == 1


def test_reused_event_id_with_other_content_is_a_conflict(
    client: TestClient, world: World
) -> None:
    """The same event id with different content answers 409 and keeps the first event."""
    body = event("e-2", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=150))
    assert client.post("/events", json=body, headers=world.auth("operator")).status_code == 201
    body["location"] = "AZALT"
    r = client.post("/events", json=body, headers=world.auth("operator"))
    assert r.status_code == 409
    assert "e-2" in r.json()["detail"]


def test_out_of_order_events_give_the_same_eta(client: TestClient, world: World) -> None:
    """Events posted late and out of order leave the shipment as if they came in order."""
    times = {"DEPA CNALS": 0, "ARRI KZDST": 4, "DEPA KZDST": 14, "ARRI KZAAU": 125}
    bodies = [event(f"o-{i}", world.shipment_id, key.split()[0], key.split()[1],
                    START + timedelta(hours=h)) for i, (key, h) in enumerate(times.items())]
    other = client.post("/shipments", json=shipment_body(), headers=world.auth("shipper"))
    other_id = other.json()["id"]
    for b in reversed(bodies):
        client.post("/events", json=b, headers=world.auth("operator"))
    for b in bodies:
        b2 = dict(b, event_id="r" + b["event_id"], shipment_id=other_id)
        client.post("/events", json=b2, headers=world.auth("operator"))
    a = client.get(f"/shipments/{world.shipment_id}/eta", headers=world.auth("shipper")).json()
    b = client.get(f"/shipments/{other_id}/eta", headers=world.auth("shipper")).json()
    assert a["eta"] == b["eta"]
    assert a["delay_h"] == b["delay_h"] == 9.0
    detail = client.get(f"/shipments/{world.shipment_id}", headers=world.auth("shipper")).json()
    assert [e["event_id"] for e in detail["events"]] == ["o-0", "o-1", "o-2", "o-3"]


def test_event_off_the_route_is_accepted_and_flagged(client: TestClient, world: World) -> None:
    """An event at a place not on the route is stored with ``off_route`` set, not dropped."""
    body = event("x-1", world.shipment_id, "ARRI", "KZKUR", START + timedelta(hours=120),
                 event_type="EQUIPMENT", event_code="DISC")
    r = client.post("/events", json=body, headers=world.auth("operator"))
    assert r.status_code == 201
    assert r.json()["off_route"] is True


def test_invalid_event_names_the_field(client: TestClient, world: World) -> None:
    """Bad code, place or container get a 422 whose location names the field."""
    cases = {
        "event_code": {"event_code": "LOAD"},
        "location": {"location": "Aktau"},
        "equipment_reference": {"equipment_reference": "CSQU3054384"},
        "event_time": {"event_time": "2026-01-05T08:00:00"},
    }
    for field, change in cases.items():
        body = event("v-1", world.shipment_id, "DEPA", "KZAAU", START) | change
        r = client.post("/events", json=body, headers=world.auth("operator"))
        assert r.status_code == 422, field
        answer = r.json()
        assert field in [e["field"] for e in answer["errors"]], r.text
        assert field in answer["detail"], r.text


def test_oversized_body_is_refused(client: TestClient, world: World) -> None:
    """A body over the size limit answers 413 before it is parsed."""
    big = {"events": [], "padding": "x" * 2_100_000}
    r = client.post("/events/bulk", json=big, headers=world.auth("operator"))
    assert r.status_code == 413


def test_bulk_mixes_created_duplicate_and_rejected(
    client: TestClient, db: Database, world: World
) -> None:
    """A bulk post reports each event's outcome and stores only the new, allowed ones."""
    t = START + timedelta(hours=150)
    events = [
        event("b-1", world.shipment_id, "DEPA", "KZAAU", t),
        event("b-1", world.shipment_id, "DEPA", "KZAAU", t),
        event("b-2", world.other_shipment_id, "ARRI", "AZALT", t + timedelta(hours=22)),
        event("b-3", 999_999, "ARRI", "AZALT", t),
    ]
    r = client.post("/events/bulk", json={"events": events}, headers=world.auth("operator"))
    assert r.status_code == 200
    result = r.json()
    assert [i["status"] for i in result["results"]] == [
        "created", "duplicate", "created", "rejected"]
    assert (result["created"], result["duplicates"], result["rejected"]) == (2, 1, 1)
    again = client.post("/events/bulk", json={"events": events[:1]},
                        headers=world.auth("operator")).json()
    assert again["results"][0] == result["results"][0] | {"status": "duplicate"}
    assert _count(db, world.shipment_id) == 1


def test_concurrent_replays_store_one_event(
    client: TestClient, db: Database, world: World
) -> None:
    """Eight simultaneous posts of one event id store it once; all get the same answer."""
    body = event("race-1", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=150))
    answers = post_at_once(client, body, world.auth("operator"))
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.text for a in answers}) == 1
    assert _count(db, world.shipment_id) == 1


def _port_operator(db: Database, place: str) -> dict[str, str]:
    """A token of an operator whose segment is the one place ``place``."""
    now = datetime.now(UTC)
    with db.write() as session:
        org = accounts.create_org(session=session, name=f"Port {place}", kind="operator",
                                  places=[place], now=now)
        user = accounts.create_user(session=session, org_id=org.id, email=f"{place}@p.example",
                                    name="", is_admin=False, now=now)
        token = accounts.create_token(session=session, user_id=user.id, name="", now=now)[1]
    return {"Authorization": f"Bearer {token}"}


def test_operator_reports_only_in_its_segment(
    client: TestClient, db: Database, world: World
) -> None:
    """A port may report at its own place; an arrival it posts at the far end is a 403 naming
    the place, in single and bulk posts, and moves neither progress nor the ETA."""
    aktau = _port_operator(db, "KZAAU")
    before = client.get(f"/shipments/{world.shipment_id}/eta", headers=aktau).json()
    far = event("far-1", world.shipment_id, "ARRI", "GEPTI", START + timedelta(hours=186))
    r = client.post("/events", json=far, headers=aktau)
    assert r.status_code == 403, r.text
    assert "GEPTI" in r.json()["detail"]
    assert "KZAAU" in r.json()["detail"]
    own = event("own-1", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=134))
    bulk = client.post("/events/bulk", json={"events": [far, own]}, headers=aktau).json()
    assert [i["status"] for i in bulk["results"]] == ["rejected", "created"]
    assert "GEPTI" in bulk["results"][0]["error"]
    after = client.get(f"/shipments/{world.shipment_id}/eta", headers=aktau).json()
    assert after["status"] == "in_transit"
    assert before["status"] == "planned"
    assert after["eta"] != before["eta"]  # the Aktau departure moved it (late by 12 h) ...
    assert after["delay_h"] == 12.0  # ... and the arrival at Poti did not (it would be -4 h)
    assert _count(db, world.shipment_id) == 1


def test_events_are_paged_with_a_total(client: TestClient, world: World) -> None:
    """A shipment's events page in event-time order; ``count`` and ``events_count`` are the
    total, not the page size (the shipment view once stopped at 1000 without saying so)."""
    headers = world.auth("operator")
    bodies = [event(f"p-{i}", world.shipment_id, "GTIN", "KZAAU",
                    START + timedelta(hours=120 - i), event_type="EQUIPMENT") for i in range(5)]
    r = client.post("/events/bulk", json={"events": bodies}, headers=headers)
    assert r.json()["created"] == 5
    url = f"/shipments/{world.shipment_id}/events"
    first = client.get(url, params={"limit": 2}, headers=headers).json()
    rest = client.get(url, params={"skip": 2, "limit": 10}, headers=headers).json()
    assert first["count"] == rest["count"] == 5
    ids = [e["event_id"] for e in first["data"] + rest["data"]]
    assert ids == [f"p-{i}" for i in reversed(range(5))]  # event-time order
    detail = client.get(f"/shipments/{world.shipment_id}", headers=headers).json()
    assert detail["events_count"] == 5
    assert len(detail["events"]) == 5


def test_alert_and_delivery_counts_are_totals(client: TestClient, world: World) -> None:
    """``count`` on /alerts is how many alerts there are, not how many are on the page."""
    headers = world.auth("operator")
    for i, hours in enumerate((60, 120, 180)):  # the ETA slips by more each time: 3 alerts
        client.post("/events", headers=headers, json=event(
            f"s-{i}", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122 + hours)))
    everything = client.get("/alerts", headers=world.auth("shipper")).json()
    assert everything["count"] >= 2
    page = client.get("/alerts", params={"limit": 1}, headers=world.auth("shipper")).json()
    assert page["count"] == everything["count"]
    assert len(page["data"]) == 1
