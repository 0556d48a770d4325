"""Coordinator aggregates: port queues and dwell, without commercial details."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from helpers.service_factories import START, World, event


def test_port_queue_and_dwell(client: TestClient, world: World) -> None:
    """A shipment arrived at Aktau and not departed is queued there; after departure, dwell."""
    op, sid = world.auth("operator"), world.shipment_id
    client.post("/events", headers=op, json=event("q-1", sid, "ARRI", "KZAAU",
                                                  START + timedelta(hours=118)))
    queues = client.get("/aggregates/port-queues", headers=world.auth("coordinator")).json()
    assert [(q["location"], q["waiting"]) for q in queues["data"]] == [("KZAAU", 1)]
    assert set(queues["data"][0]) == {"location", "waiting", "oldest_arrival", "mean_wait_h"}
    client.post("/events", headers=op, json=event("q-2", sid, "DEPA", "KZAAU",
                                                  START + timedelta(hours=130)))
    queues = client.get("/aggregates/port-queues", headers=world.auth("coordinator")).json()
    assert queues["count"] == 0
    dwell = client.get("/aggregates/dwell", headers=world.auth("coordinator")).json()["data"]
    assert dwell == [{"location": "KZAAU", "shipments": 1, "mean_dwell_h": 12.0,
                      "max_dwell_h": 12.0}]
