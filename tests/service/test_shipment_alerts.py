"""Alerts: the ETA slipping past the threshold, and silent shipments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from helpers.service_factories import START, World, event, shipment_body
from midcorridor.service import alerts
from midcorridor.service.db.engine import Database


def test_slip_past_threshold_fires_once(client: TestClient, world: World) -> None:
    """A 30 h slip fires one eta_slip alert; a small further slip fires no second one."""
    headers, sid = world.auth("operator"), world.shipment_id
    depart = START + timedelta(hours=122)
    client.post("/events", headers=headers,
                json=event("s-1", sid, "DEPA", "KZAAU", depart + timedelta(hours=30)))
    client.post("/events", headers=headers,
                json=event("s-2", sid, "ARRI", "AZALT", depart + timedelta(hours=22 + 35)))
    data = client.get(f"/shipments/{sid}/alerts", headers=world.auth("shipper")).json()["data"]
    assert [(a["kind"], a["slip_h"]) for a in data] == [("eta_slip", 30.0)]
    assert "threshold 24 h" in data[0]["message"]


def test_per_shipment_threshold_is_used(client: TestClient, world: World) -> None:
    """A shipment with a 4 h threshold alerts on a 5 h delay."""
    body = shipment_body(alert_threshold_h=4)
    sid = client.post("/shipments", json=body, headers=world.auth("shipper")).json()["id"]
    client.post("/events", headers=world.auth("operator"),
                json=event("t-1", sid, "DEPA", "KZAAU", START + timedelta(hours=127)))
    data = client.get("/alerts", headers=world.auth("shipper")).json()["data"]
    assert [(a["shipment_id"], a["kind"]) for a in data] == [(sid, "eta_slip")]


def test_silent_shipment_alerts_once_per_step(db: Database, world: World) -> None:
    """A shipment unheard for longer than its current leg takes gets one silent alert."""
    late = START + timedelta(days=3)  # the first leg takes 2 h, x1.5
    with db.write() as session:
        first = alerts.scan_silent(session, now=late, factor=1.5)
    with db.write() as session:
        second = alerts.scan_silent(session, now=late + timedelta(hours=1), factor=1.5)
    assert sorted(a.shipment_id for a in first) == sorted(
        [world.shipment_id, world.other_shipment_id])
    assert all(a.kind == "silent" for a in first)
    assert second == []


def test_shipment_on_time_is_not_silent(db: Database, world: World) -> None:
    """Before the first departure nothing is silent."""
    with db.write() as session:
        assert alerts.scan_silent(session, now=START - timedelta(hours=1), factor=1.5) == []
    assert datetime.now(UTC) > START
