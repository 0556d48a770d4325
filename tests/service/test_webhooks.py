"""Subscriptions: signed deliveries to a local receiver, retries with back-off, the log."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.testclient import TestClient
from service_factories import START, World, event, make_world, shipment_body

from midcorridor.service import webhooks
from midcorridor.service.db.engine import Database
from midcorridor.service.main import create_app
from midcorridor.service.settings import Settings

SECRET = "s3cret-s3cret-s3cret"


class Receiver(ThreadingHTTPServer):
    """A webhook receiver on 127.0.0.1 that fails the first ``failures`` requests."""

    def __init__(self, failures: int):
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        server: Receiver = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.received.append((dict(self.headers), body))
        status = 500 if len(server.received) <= server.failures else 204
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver that answers 500 twice, then 204."""
    server = Receiver(failures=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _subscribe(client: TestClient, world: World, url: str) -> int:
    r = client.post("/subscriptions", headers=world.auth("shipper"), json={
        "shipment_id": world.shipment_id, "callback_url": url, "secret": SECRET})
    assert r.status_code == 201 and r.json()["secret"] == SECRET
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
    assert delivery["status"] == "failed" and delivery["attempts"] == 3
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


def test_background_worker_delivers_on_its_own(
    settings: Settings, receiver: Receiver
) -> None:
    """With the worker running, a new event reaches the receiver without any manual step."""
    fast = settings.replace(background=True, delivery_interval_s=0.05, delivery_backoff_s=0.05)
    with TestClient(create_app(fast)) as client:
        world = make_world(client.app.state.db)  # type: ignore[attr-defined]
        sid = client.post("/shipments", json=shipment_body(),
                          headers=world.auth("shipper")).json()["id"]
        world.shipment_id = sid
        _subscribe(client, world, receiver.url)
        client.post("/events", headers=world.auth("operator"), json=event(
            "w-4", sid, "DEPA", "KZAAU", START + timedelta(hours=122)))
        deadline = time.monotonic() + 10
        while len(receiver.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(receiver.received) == 3  # two failures, then delivered
