"""The throughput paths: group commit of single posts, the token cache, several workers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers.server_process import ServerProcess
from helpers.service_factories import START, World, event, make_world, shipment_body
from midcorridor.service.access import Principal, Role
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event
from midcorridor.service.group_commit import GroupCommit
from midcorridor.service.schemas import EventCreate, ShipmentCreate
from midcorridor.service.settings import Settings
from midcorridor.service.shipments import create_shipment
from midcorridor.service.token_cache import TokenCache


def _count(db: Database, **where: object) -> int:
    with db.read() as session:
        query = select(func.count()).select_from(Event).filter_by(**where)
        return int(session.scalar(query) or 0)


def test_concurrent_single_posts_of_two_callers_all_stored_once(
    client: TestClient, db: Database, world: World
) -> None:
    """Simultaneous posts from an operator and a shipper, with replays, each store once."""
    bodies = [("operator", event(f"op-{i}", world.shipment_id, "GTIN", "KZAAU",
                                 START + timedelta(hours=i), event_type="EQUIPMENT"))
              for i in range(24)]
    bodies += [("shipper", event(f"sh-{i}", world.shipment_id, "RELS", "KZAAU",
                                 START + timedelta(hours=i), event_type="SHIPMENT",
                                 document_type="CUS")) for i in range(8)]
    work = bodies + bodies[:6]  # six replays in the same burst
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(
            lambda rb: client.post("/events", json=rb[1], headers=world.auth(rb[0])), work))
    codes = [a.status_code for a in answers]
    assert codes.count(201) == len(bodies)
    assert codes.count(200) == 6
    assert _count(db, shipment_id=world.shipment_id) == len(bodies)
    by_id: dict[str, set[str]] = {}
    for answer in answers:
        by_id.setdefault(answer.json()["event_id"], set()).add(answer.text)
    assert all(len(texts) == 1 for texts in by_id.values())


def test_group_commit_isolates_a_failing_event() -> None:
    """When a batch fails, each event is retried alone and only the bad one fails."""
    principal = Principal(1, 1, Role.operator)
    calls: list[int] = []
    gate = threading.Event()

    def run(items: object) -> list[object]:
        batch = list(items)  # type: ignore[call-overload]
        calls.append(len(batch))
        gate.wait(5)
        if any(e.event_id == "bad" for _, e in batch):
            raise ValueError("bad event")
        return [e.event_id for _, e in batch]

    committer = GroupCommit(run)
    events = [EventCreate(**event(name, 1, "GTIN", "KZAAU", START, event_type="EQUIPMENT"))
              for name in ("a", "bad", "b", "c")]

    def submit(e: EventCreate) -> object:
        try:
            return committer.submit(principal, e)
        except ValueError as exc:
            return str(exc)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(submit, e) for e in events]
        gate.set()
        results = [f.result(timeout=10) for f in futures]
    assert results == ["a", "bad event", "b", "c"]


def test_token_cache_expires_and_ignores_lookups_older_than_a_clear() -> None:
    """An entry lives for the TTL only, and a lookup begun before a clear is not cached."""
    now = [0.0]
    cache = TokenCache(2.0, clock=lambda: now[0])
    principal = Principal(1, 1, Role.operator)
    cache.put("h", principal, cache.generation)
    assert cache.get("h") == principal
    now[0] = 2.5
    assert cache.get("h") is None
    stale = cache.generation
    cache.clear()
    cache.put("h", principal, stale)
    assert cache.get("h") is None
    assert TokenCache(0).get("h") is None


def test_revoked_token_stops_at_once_despite_the_cache(
    client: TestClient, world: World
) -> None:
    """A token used (and cached) just before its revocation answers 401 right after it."""
    assert client.get("/me", headers=world.auth("operator")).status_code == 200
    tokens = client.get("/admin/tokens", headers=world.auth("admin")).json()["data"]
    operator_user = client.get("/me", headers=world.auth("operator")).json()["id"]
    token_id = next(t["id"] for t in tokens if t["user_id"] == operator_user)
    assert client.delete(f"/admin/tokens/{token_id}",
                         headers=world.auth("admin")).status_code == 200
    assert client.get("/me", headers=world.auth("operator")).status_code == 401


def test_concurrent_replays_across_two_workers_store_one_event(database_url: str) -> None:
    """Sixteen simultaneous posts of one id to a 2-worker server store it once, same body."""
    db = Database(Settings(database_url=database_url))
    world = make_world(db)
    with db.write() as session:
        shipment_id = create_shipment(session=session, org_id=world.org_ids["shipper"],
                                      shipment_in=ShipmentCreate(**shipment_body()),
                                      now=datetime.now(UTC)).id
    server = ServerProcess(database_url, workers=2)
    server.start()
    try:
        headers = world.auth("operator")
        for round_ in range(3):
            body = event(f"race-{round_}", shipment_id, "DEPA", "KZAAU",
                         START + timedelta(hours=150 + round_))
            barrier = threading.Barrier(16)

            def post(_: int, body: dict[str, object] = body,
                     barrier: threading.Barrier = barrier) -> httpx.Response:
                with httpx.Client(base_url=server.url, timeout=30) as http:
                    barrier.wait(10)
                    return http.post("/events", json=body, headers=headers)

            with ThreadPoolExecutor(16) as pool:
                answers = list(pool.map(post, range(16)))
            assert sorted(a.status_code for a in answers) == [200] * 15 + [201]
            assert len({a.text for a in answers}) == 1
        assert _count(db, shipment_id=shipment_id) == 3
    finally:
        server.stop()
        db.dispose()
