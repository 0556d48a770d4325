"""Subscriptions: signed deliveries to a local receiver, retries with back-off, the log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from helpers.receiver import Receiver
from helpers.service_factories import START, World, event
from helpers.worker_process import WorkerProcess, wait_for
from midcorridor.service import webhooks
from midcorridor.service.db.engine import Database

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver that answers 500 twice, then 204."""
    server = Receiver(failures=2).start()
    yield server
    server.close()


def _subscribe(client: TestClient, world: World, url: str) -> int:
    r = client.post("/subscriptions", headers=world.auth("shipper"), json={
        "shipment_id": world.shipment_id, "callback_url": url, "secret": SECRET})
    assert r.status_code == 201
    assert r.json()["secret"] == SECRET
    return int(r.json()["id"])


def test_signed_delivery_retried_with_backoff(
    client: TestClient, db: Database, world: World, receiver: Receiver
) -> None:
    """Two failures are retried after 10 s then 20 s; the third attempt lands, signed."""
    sub_id = _subscribe(client, world, receiver.url)
    posted = client.post("/events", headers=world.auth("operator"), json=event(
        "w-1", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122))).json()
    t0 = datetime.now(UTC) + timedelta(seconds=1)
    args = {"max_attempts": 5, "backoff_s": 10.0}
    with httpx.Client(timeout=5) as http:
        attempted = [
            webhooks.deliver_due(db, http, now=t0, **args),
            webhooks.deliver_due(db, http, now=t0 + timedelta(seconds=9), **args),
            webhooks.deliver_due(db, http, now=t0 + timedelta(seconds=10), **args),
            webhooks.deliver_due(db, http, now=t0 + timedelta(seconds=29), **args),
            webhooks.deliver_due(db, http, now=t0 + timedelta(seconds=30), **args),
            webhooks.deliver_due(db, http, now=t0 + timedelta(seconds=99), **args),
        ]
    assert attempted == [1, 0, 1, 0, 1, 0]
    assert len(receiver.received) == 3
    headers, body = receiver.received[-1]
    assert webhooks.verify(SECRET, headers[webhooks.SIGNATURE_HEADER], body)
    assert not webhooks.verify("another-secret-xx", headers[webhooks.SIGNATURE_HEADER], body)
    assert json.loads(body)["event"]["id"] == posted["id"]
    log = client.get(f"/subscriptions/{sub_id}/deliveries", headers=world.auth("shipper"))
    [delivery] = log.json()["data"]
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == (
        "delivered", 3, 204)


def test_unreachable_receiver_ends_failed(
    client: TestClient, db: Database, world: World
) -> None:
    """A receiver that never answers is given up after the maximum attempts, error logged."""
    closed = Receiver(failures=0)
    url = closed.url
    closed.server_close()  # nothing listens on this port any more
    sub_id = _subscribe(client, world, url)
    client.post("/events", headers=world.auth("operator"), json=event(
        "w-2", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122)))
    now = datetime.now(UTC) + timedelta(seconds=1)
    with httpx.Client(timeout=2) as http:
        for _ in range(3):
            webhooks.deliver_due(db, http, now=now, max_attempts=3, backoff_s=1.0)
            now += timedelta(hours=1)
    log = client.get(f"/subscriptions/{sub_id}/deliveries", headers=world.auth("shipper"))
    [delivery] = log.json()["data"]
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 3
    assert "ConnectError" in delivery["last_error"]


def test_cancelled_subscription_gets_no_new_deliveries(
    client: TestClient, world: World, receiver: Receiver
) -> None:
    """After cancelling, new events are not queued for the subscription."""
    sub_id = _subscribe(client, world, receiver.url)
    assert client.delete(f"/subscriptions/{sub_id}", headers=world.auth("shipper")).json()[
        "active"] is False
    client.post("/events", headers=world.auth("operator"), json=event(
        "w-3", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122)))
    log = client.get(f"/subscriptions/{sub_id}/deliveries", headers=world.auth("shipper"))
    assert log.json()["count"] == 0


def test_worker_process_delivers_on_its_own(
    client: TestClient, world: World, receiver: Receiver, database_url: str
) -> None:
    """With ``midcorridor worker`` running, a new event reaches the receiver without any
    manual step: two failures retried with back-off, then delivered, logged."""
    sub_id = _subscribe(client, world, receiver.url)
    client.post("/events", headers=world.auth("operator"), json=event(
        "w-4", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122)))
    env = {"MIDCORRIDOR_DELIVERY_BACKOFF_S": "0.2"}
    with WorkerProcess(database_url, env=env, queue="deliveries"):
        wait_for(lambda: len(receiver.received) >= 3, "three attempts")
        log = wait_for(lambda: (d := client.get(
            f"/subscriptions/{sub_id}/deliveries", headers=world.auth("shipper")
        ).json()["data"])[0]["status"] == "delivered" and d, "the delivery log")
    assert len(receiver.received) == 3  # two failures, then delivered
    assert (log[0]["attempts"], log[0]["last_status_code"]) == (3, 204)


def test_slow_receiver_delays_no_other_subscriber(
    client: TestClient, world: World, receiver: Receiver, database_url: str
) -> None:
    """While one receiver holds its first delivery open, another organization's receiver
    gets all its events, with only two delivery threads; the slow one gets one request at
    a time and, once it answers, the rest in order."""
    release = threading.Event()
    slow = Receiver(hold=release).start()
    receiver.failures = 0
    try:
        _subscribe(client, world, slow.url)
        r = client.post("/subscriptions", headers=world.auth("shipper_b"), json={
            "shipment_id": world.other_shipment_id, "callback_url": receiver.url})
        assert r.status_code == 201
        for i, shipment in enumerate([world.shipment_id] * 3 + [world.other_shipment_id] * 3):
            posted = client.post("/events", headers=world.auth("operator"), json=event(
                f"s-{i}", shipment, "DEPA", "KZAAU", START + timedelta(hours=122 + i)))
            assert posted.status_code == 201
        env = {"MIDCORRIDOR_DELIVERY_WORKERS": "2", "MIDCORRIDOR_DELIVERY_TIMEOUT_S": "150"}
        with WorkerProcess(database_url, env=env, queue="deliveries"):
            wait_for(lambda: len(receiver.received) == 3, "the other receiver's deliveries")
            assert len(slow.received) == 1
            assert not release.is_set()
            release.set()
            wait_for(lambda: len(slow.received) == 3, "the slow receiver's deliveries")
        order = [json.loads(body)["event"]["event_id"] for _, body in slow.received]
        assert order == ["s-0", "s-1", "s-2"]
        assert [json.loads(b)["event"]["event_id"] for _, b in receiver.received] == [
            "s-3", "s-4", "s-5"]
    finally:
        slow.close()
