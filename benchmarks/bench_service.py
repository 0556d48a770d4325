"""Service benchmark: event ingest rate and latency, and shipment read latency, over loopback.

A real uvicorn server runs the service on SQLite (WAL file) and on PostgreSQL (a throw-away
server, fsync on), and client threads post events on 127.0.0.1:

* single: each request posts one event (``POST /events``), 8 concurrent clients;
* bulk: each request posts 100 events (``POST /events/bulk``), 4 concurrent clients, and 25
  events, 2 clients;
* read: ``GET /shipments/{id}`` of a shipment with its events, one client.

Each backend runs in three configurations, in the same run:

* ``baseline``: 1 worker, group commit off, token cache off (the service before tuning);
* ``tuned``: 1 worker, group commit and token cache on (the defaults);
* ``tuned x2``: the same with 2 uvicorn workers (``midcorridor serve --workers 2``).

Every measurement is the median of 3 runs; each rate is compared with the **baseline of the
same measurement on the same backend**. The load generator shares the 2 cores with the
server. All loops are bounded in count and in time.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "service"))

from pg_server import create_database, postgres_server  # noqa: E402
from server_process import ServerProcess  # noqa: E402
from service_factories import event, make_world, shipment_body  # noqa: E402

from midcorridor.service.db.engine import Database  # noqa: E402
from midcorridor.service.migrations import upgrade  # noqa: E402
from midcorridor.service.schemas import ShipmentCreate  # noqa: E402
from midcorridor.service.settings import Settings  # noqa: E402
from midcorridor.service.shipments import create_shipment  # noqa: E402

SHIPMENTS = 40
TIME_LIMIT_S = 20.0
BASE = datetime(2026, 1, 5, 8, tzinfo=UTC)
AIM_RATE = 1000
AIM_P99_MS = 100.0


@dataclass(frozen=True)
class Sample:
    events: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]


@dataclass
class Target:
    url: str
    token: str
    shipment_ids: list[int]
    counter: int = 0

    def next_ids(self, n: int) -> list[int]:
        start = self.counter
        self.counter += n
        return list(range(start, start + n))


def _prepare(database_url: str) -> tuple[str, list[int]]:
    db = Database(Settings(database_url=database_url))
    upgrade(db.engine)
    world = make_world(db)
    ids = []
    with db.write() as session:
        for _ in range(SHIPMENTS):
            s = create_shipment(session=session, org_id=world.org_ids["shipper"],
                                shipment_in=ShipmentCreate(**shipment_body()),
                                now=datetime.now(UTC))
            ids.append(s.id)
    db.dispose()
    return world.tokens["operator"], ids


def _load(target: Target, *, clients: int, requests: int, batch: int) -> Sample:
    """``requests`` requests of ``batch`` events from ``clients`` threads (bounded in time)."""
    headers = {"Authorization": f"Bearer {target.token}"}
    latencies: list[float] = []
    lock = threading.Lock()
    plan = [target.next_ids(batch) for _ in range(requests)]
    deadline = time.monotonic() + TIME_LIMIT_S
    done = [0]

    def body_of(ids: list[int]) -> tuple[str, dict[str, object]]:
        events = [event(f"b{i}", target.shipment_ids[i % len(target.shipment_ids)], "GTIN",
                        "KZAAU", BASE + timedelta(minutes=i % 100_000),
                        event_type="EQUIPMENT") for i in ids]
        return ("/events", events[0]) if batch == 1 else ("/events/bulk", {"events": events})

    def worker(chunks: list[list[int]]) -> None:
        with httpx.Client(base_url=target.url, headers=headers, timeout=30) as http:
            for ids in chunks:
                if time.monotonic() > deadline:
                    return
                path, body = body_of(ids)
                t = time.perf_counter()
                r = http.post(path, json=body)
                elapsed = (time.perf_counter() - t) * 1000
                if r.status_code not in (200, 201):
                    raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
                with lock:
                    latencies.append(elapsed)
                    done[0] += len(ids)

    threads = [threading.Thread(target=worker, args=(plan[k::clients],)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Sample(done[0], time.perf_counter() - started, latencies)


def _reads(target: Target, *, requests: int) -> Sample:
    headers = {"Authorization": f"Bearer {target.token}"}
    latencies = []
    sid = target.shipment_ids[0]
    deadline = time.monotonic() + TIME_LIMIT_S
    started = time.perf_counter()
    with httpx.Client(base_url=target.url, headers=headers, timeout=30) as http:
        n_events = len(http.get(f"/shipments/{sid}").json()["events"])
        for _ in range(requests):
            if time.monotonic() > deadline:
                break
            t = time.perf_counter()
            r = http.get(f"/shipments/{sid}")
            latencies.append((time.perf_counter() - t) * 1000)
            r.raise_for_status()
    return Sample(n_events * len(latencies), time.perf_counter() - started, latencies)


def _median(runs: int, measure: Callable[[], Sample]) -> tuple[Sample, float, float, float]:
    samples = [measure() for _ in range(runs)]
    return (samples[0], statistics.median(s.rate for s in samples),
            statistics.median(s.pct(0.5) for s in samples),
            statistics.median(s.pct(0.99) for s in samples))


BASELINE = "baseline"
# name -> (uvicorn workers, environment of the server)
CONFIGS: dict[str, tuple[int, dict[str, str]]] = {
    BASELINE: (1, {"MIDCORRIDOR_GROUP_COMMIT": "false", "MIDCORRIDOR_TOKEN_CACHE_TTL_S": "0"}),
    "tuned": (1, {}),
    "tuned x2": (2, {}),
}


def _backend(name: str, new_database: Callable[[str], str], quick: bool,
             rows: list[tuple]) -> None:
    """Every configuration on a fresh database of its own (same starting size)."""
    runs = 3
    single_n, bulk_n, read_n = (150, 6, 60) if quick else (450, 18, 150)
    for n, (config, (workers, env)) in enumerate(CONFIGS.items()):
        database_url = new_database(f"bench{n}")
        token, ids = _prepare(database_url)
        server = ServerProcess(database_url, workers=workers, env=env)
        server.start()
        target = Target(server.url, token, ids)
        try:
            _load(target, clients=4, requests=20 * workers, batch=1)  # warm-up
            for label, clients, requests, batch in (
                ("single event, 8 clients", 8, single_n, 1),
                ("bulk of 100, 4 clients", 4, bulk_n, 100),
                ("bulk of 25, 2 clients", 2, 4 * bulk_n, 25),
            ):
                _, rate, p50, p99 = _median(runs, partial(_load, target, clients=clients,
                                                          requests=requests, batch=batch))
                rows.append((name, config, label, rate, p50, p99))
            if config != "tuned x2":
                sample, _, p50, p99 = _median(runs, partial(_reads, target, requests=read_n))
                events = sample.events // max(1, len(sample.latencies_ms))
                rows.append((name, config, f"read shipment + {events} events", None, p50, p99))
        finally:
            server.stop()


def run(quick: bool = False) -> None:
    """Measure and print the table (``quick`` shrinks every loop)."""
    console = Console(width=130)
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp:
        console.print("[dim]SQLite ...[/dim]")
        _backend("sqlite", lambda name: f"sqlite:///{tmp}/{name}.sqlite", quick, rows)
    console.print("[dim]PostgreSQL ...[/dim]")
    with postgres_server(fsync=True) as admin_url:
        _backend("postgresql", partial(create_database, admin_url), quick, rows)
    base = {(r[0], r[2]): r[3] for r in rows if r[1] == BASELINE}
    table = Table(title="service on loopback, 2 shared cores (median of 3 runs)")
    for col in ("backend", "config", "measurement", "events/s", "p50 ms", "p99 ms",
                "x baseline", "aim met"):
        table.add_column(col, justify="left" if col in ("backend", "config", "measurement")
                         else "right")
    for backend, config, label, rate, p50, p99 in rows:
        ratio = f"{rate / base[backend, label]:.2f}" if rate and base.get((backend, label)) \
            else "-"
        aim = ("yes" if rate >= AIM_RATE and p99 < AIM_P99_MS else "no") if rate else "-"
        table.add_row(backend, config, label, f"{rate:,.0f}" if rate else "-", f"{p50:.1f}",
                      f"{p99:.1f}", ratio, aim)
    console.print(table)
    console.print(f"aim: at least {AIM_RATE:,} events/s with p99 under {AIM_P99_MS:g} ms")


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
