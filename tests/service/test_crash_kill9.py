"""Crash test: writers post events, the server is killed with SIGKILL and restarted; every
acknowledged event is stored, and none twice."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from helpers.pg_server import create_database, drop_database
from helpers.server_process import ServerProcess
from helpers.service_factories import START, event, make_world, shipment_body
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event
from midcorridor.service.migrations import upgrade
from midcorridor.service.schemas import ShipmentCreate
from midcorridor.service.settings import Settings
from midcorridor.service.shipments import create_shipment

WRITERS = 4
MAX_EVENTS_PER_WRITER = 600
PHASE_S = 2.0
# Under load a phase lasts until this many more events are acknowledged (or WAIT_S passes).
MIN_ACKED = 40
WAIT_S = 60.0
_names = itertools.count()


class Writer(threading.Thread):
    """Posts numbered events until stopped, re-posting any it has no answer for."""

    def __init__(self, n: int, url_box: list[str], token: str, shipment_id: int):
        super().__init__(daemon=True)
        self.n, self.url_box, self.shipment_id = n, url_box, shipment_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.acked: set[str] = set()
        self.stop = threading.Event()
        self.errors = 0

    def run(self) -> None:
        with httpx.Client(timeout=5) as http:
            i = 0
            while not self.stop.is_set() and i < MAX_EVENTS_PER_WRITER:
                eid = f"w{self.n}-{i}"
                body = event(eid, self.shipment_id, "GTIN", "KZAAU",
                             START + timedelta(minutes=i), event_type="EQUIPMENT")
                try:
                    r = http.post(self.url_box[0] + "/events", json=body, headers=self.headers)
                except httpx.HTTPError:
                    self.errors += 1
                    time.sleep(0.05)
                    continue  # not acknowledged: post the same id again
                if r.status_code in (200, 201):
                    self.acked.add(eid)
                    i += 1
                elif r.status_code >= 500:
                    self.errors += 1
                else:
                    raise AssertionError(r.text)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def crash_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend, migrated by the test itself."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite'}"
        return
    admin = request.getfixturevalue("postgres_url")
    name = f"mc_crash_{next(_names)}"
    yield create_database(admin, name)
    drop_database(admin, name)


def _acked(writers: list[Writer]) -> int:
    return sum(len(w.acked) for w in writers)


def _run_until_more_acked(writers: list[Writer], than: int) -> None:
    """Let the writers run for a phase: at least PHASE_S, and until MIN_ACKED more events are
    acknowledged (a loaded machine may need longer), at most WAIT_S."""
    started = time.monotonic()
    time.sleep(PHASE_S)
    while _acked(writers) < than + MIN_ACKED and time.monotonic() - started < WAIT_S:
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_under_load_loses_no_acknowledged_event(crash_url: str, workers: int) -> None:
    """SIGKILL mid-load (of the whole server, every worker), restart: all acknowledged events
    are present exactly once."""
    url = crash_url
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    world = make_world(db)
    with db.write() as session:
        shipment = create_shipment(session=session, org_id=world.org_ids["shipper"],
                                   shipment_in=ShipmentCreate(**shipment_body()),
                                   now=datetime.now(UTC))
        shipment_id = shipment.id
    server = ServerProcess(url, workers=workers)
    server.start()
    box = [server.url]
    writers = [Writer(n, box, world.tokens["operator"], shipment_id) for n in range(WRITERS)]
    try:
        for w in writers:
            w.start()
        _run_until_more_acked(writers, 0)
        acked_before_kill = _acked(writers)
        server.kill()
        time.sleep(0.3)
        server.start()
        _run_until_more_acked(writers, acked_before_kill)
    finally:
        for w in writers:
            w.stop.set()
        for w in writers:
            w.join(timeout=30)
        server.stop()
    acked = set().union(*(w.acked for w in writers))
    with db.read() as session:
        stored = session.execute(
            select(Event.client_event_id, func.count()).where(Event.shipment_id == shipment_id)
            .group_by(Event.client_event_id)
        ).all()
    db.dispose()
    counts = dict(stored)
    assert acked_before_kill > 0
    assert len(acked) > acked_before_kill
    assert acked <= set(counts), sorted(acked - set(counts))[:10]
    assert max(counts.values()) == 1
    assert sum(w.errors for w in writers) > 0  # the kill was really felt by the writers
