"""The callback address guard: only public http(s) addresses, checked at registration and again
at each delivery. Checked by refusal only: nothing here is ever sent to a private address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from helpers.receiver import Receiver
from helpers.service_factories import START, World, event
from midcorridor.service import callbacks, webhooks
from midcorridor.service.db.engine import Database
from midcorridor.service.main import create_app
from midcorridor.service.settings import Settings

REFUSED = [
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://[fd00:ec2::254]/latest/meta-data/",  # cloud metadata over IPv6 (unique local)
    "http://100.100.100.200/latest/meta-data/",  # metadata in the shared address space
    "http://10.0.0.5/hook",
    "http://172.16.3.4:8080/hook",
    "http://192.168.1.1/hook",
    "http://127.0.0.1:8000/admin/tokens",  # the service itself
    "http://127.1/hook",
    "http://localhost:8000/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # loopback written as IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/hook",  # 169.254.169.254 as IPv4-mapped IPv6
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
]
NOT_HTTP = ["ftp://93.184.215.14/x", "file:///etc/passwd", "gopher://93.184.215.14/",
            "http://user:password@93.184.215.14/hook", "http:///no-host"]


@pytest.mark.parametrize("url", REFUSED)
def test_private_addresses_are_refused(url: str) -> None:
    """Loopback, private, link-local, metadata and non-unicast addresses are refused."""
    with pytest.raises(callbacks.CallbackRefused, match="callback_url: .* resolves to"):
        callbacks.check(url, allow_loopback=False)


@pytest.mark.parametrize("url", NOT_HTTP)
def test_only_plain_http_urls(url: str) -> None:
    """Other schemes, credentials in the URL and URLs without a host are refused."""
    with pytest.raises(callbacks.CallbackRefused, match="callback_url"):
        callbacks.check(url, allow_loopback=False)


def test_loopback_setting_admits_loopback_only() -> None:
    """The setting admits 127.0.0.0/8 and ::1, never private or link-local addresses."""
    for url in ("http://127.0.0.1:9/hook", "http://[::1]:9/hook", "http://localhost:9/h"):
        assert callbacks.check(url, allow_loopback=True).address in ("127.0.0.1", "::1")
    for url in REFUSED:
        if "127." not in url and "::1]" not in url and "localhost" not in url:
            with pytest.raises(callbacks.CallbackRefused):
                callbacks.check(url, allow_loopback=True)


def test_public_host_is_pinned_to_the_checked_address() -> None:
    """A name is resolved once, checked, and the URL pinned to that address, keeping the Host
    header and the TLS server name, so a second lookup cannot change where it goes."""
    def resolve(host: str, port: int) -> list[str]:
        assert (host, port) == ("hooks.example.com", 443)
        return ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]

    target = callbacks.check("https://hooks.example.com/in?x=1", allow_loopback=False,
                             resolve=resolve)
    assert target.url == "https://93.184.215.14/in?x=1"
    assert (target.host, target.tls_server_name) == ("hooks.example.com", "hooks.example.com")


def test_any_private_address_of_a_name_refuses_it() -> None:
    """A name with one public and one private address is refused (either could be used)."""
    with pytest.raises(callbacks.CallbackRefused, match="10.1.2.3"):
        callbacks.check("https://mixed.example.com/", allow_loopback=False,
                        resolve=lambda host, port: ["93.184.215.14", "10.1.2.3"])


def test_rebinding_is_refused_at_delivery_before_sending() -> None:
    """A name that was public when registered and resolves privately at delivery time is
    refused by ``post_callback`` before any connection is made."""
    answers = iter([["93.184.215.14"], ["169.254.169.254"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent to {request.url}")

    callbacks.check("http://rebind.example.com/", allow_loopback=False, resolve=rebinding)
    with httpx.Client(transport=httpx.MockTransport(never)) as client, \
            pytest.raises(callbacks.CallbackRefused, match="169.254.169.254"):
        callbacks.post_callback(client, "http://rebind.example.com/", content=b"{}",
                                headers={}, allow_loopback=False, resolve=rebinding)


@pytest.fixture
def strict_client(settings: Settings) -> Iterator[TestClient]:
    """The app with the production default: no callbacks to loopback."""
    with TestClient(create_app(settings.replace(callback_allow_loopback=False))) as client:
        yield client


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://127.0.0.1:8000/hook", "http://10.0.0.5/hook",
                                 "ftp://93.184.215.14/x"])
def test_subscription_to_a_private_address_is_a_422(
    strict_client: TestClient, world: World, url: str
) -> None:
    """Registering a callback at a private address answers 422 naming callback_url."""
    r = strict_client.post("/subscriptions", headers=world.auth("shipper"), json={
        "shipment_id": world.shipment_id, "callback_url": url})
    assert r.status_code == 422, r.text
    assert "callback_url" in r.json()["detail"]


def test_delivery_checks_the_address_again(
    client: TestClient, db: Database, world: World, settings: Settings
) -> None:
    """A subscription accepted earlier is refused at delivery once its address is no longer
    allowed: nothing is sent and the log says why."""
    server = Receiver().start()
    try:
        sub = client.post("/subscriptions", headers=world.auth("shipper"), json={
            "shipment_id": world.shipment_id, "callback_url": server.url}).json()
        client.post("/events", headers=world.auth("operator"), json=event(
            "g-1", world.shipment_id, "DEPA", "KZAAU", START + timedelta(hours=122)))
        strict = Database(settings.replace(callback_allow_loopback=False))
        try:
            with httpx.Client(timeout=2) as http:
                attempted = webhooks.deliver_due(strict, http, now=datetime.now(UTC)
                                                 + timedelta(seconds=1), max_attempts=1,
                                                 backoff_s=1.0)
        finally:
            strict.dispose()
        assert attempted == 1
        assert server.received == []
    finally:
        server.close()
    log = client.get(f"/subscriptions/{sub['id']}/deliveries", headers=world.auth("shipper"))
    [delivery] = log.json()["data"]
    assert delivery["status"] == "failed"
    assert delivery["last_error"].startswith("refused: callback_url: 127.0.0.1 resolves to")
