"""Service benchmark: event ingest rate and latency, and shipment read latency, over loopback.

A real uvicorn server runs the service on SQLite (WAL file) and on PostgreSQL (a throw-away
server, fsync on), and client threads post events on 127.0.0.1:

* single: each request posts one event (``POST /events``), 8 concurrent clients;
* bulk: each request posts 100 events (``POST /events/bulk``), 4 concurrent clients, and 25
  events, 2 clients;
* read: ``GET /shipments/{id}`` of a shipment with its events, one client;
* jobs: single-event post p99 with 20 crossing-optimizer jobs queued, against idle;
* deliveries: a fast webhook receiver's latency (post to arrival) while another
  organization's receiver times out on every delivery, against the fast receiver alone.

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # helpers

from typing import TYPE_CHECKING

from helpers.pg_server import create_database, postgres_server  # noqa: E402
from helpers.receiver import Receiver  # noqa: E402
from helpers.server_process import ServerProcess  # noqa: E402
from helpers.service_factories import World, event, make_world, shipment_body  # noqa: E402
from helpers.worker_process import WorkerProcess, wait_for  # noqa: E402
from midcorridor.service.db.engine import Database  # noqa: E402
from midcorridor.service.migrations import upgrade  # noqa: E402
from midcorridor.service.schemas import ShipmentCreate  # noqa: E402
from midcorridor.service.settings import Settings  # noqa: E402
from midcorridor.service.shipments import create_shipment  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

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


JOBS_QUEUED = 20
SLOW_RECEIVER_S = 8.0  # longer than the 5 s delivery timeout


def _jobs_and_deliveries(name: str, database_url: str, quick: bool, rows: list[tuple]) -> None:
    """Event-post p99 idle and with 20 optimizer jobs queued; a fast receiver's delivery
    latency alone and while a slow receiver times out (service, worker, receivers on
    127.0.0.1)."""
    db = Database(Settings(database_url=database_url))
    upgrade(db.engine)
    world = make_world(db)
    with db.write() as session:
        ids = [create_shipment(session=session, org_id=world.org_ids[owner],
                               shipment_in=ShipmentCreate(**shipment_body()),
                               now=datetime.now(UTC)).id
               for owner in ["shipper"] * SHIPMENTS + ["shipper_b"]]
    db.dispose()
    env = {"MIDCORRIDOR_JOB_LIMIT_PER_ORG": str(JOBS_QUEUED)}
    server = ServerProcess(database_url, env=env)
    server.start()
    worker = WorkerProcess(database_url, env=env).start()
    runs, requests = 3, (100 if quick else 300)
    target = Target(server.url, world.tokens["operator"], ids[:-1])
    try:
        _load(target, clients=4, requests=20, batch=1)  # warm-up
        load = partial(_load, target, clients=4, requests=requests, batch=1)
        _, _, _, idle_p99 = _median(runs, load)
        rows.append((name, "event post p99, idle", idle_p99, "baseline"))
        job_ids = []
        with httpx.Client(base_url=server.url, headers=world.auth("coordinator")) as http:
            for seed in range(JOBS_QUEUED):
                r = http.post("/optimizer/crossing", json={
                    "days": 14, "seed": seed, "mode": "rotation", "time_limit_s": 20})
                r.raise_for_status()
                job_ids.append(r.json()["job_id"])
            _, _, _, busy_p99 = _median(runs, load)
            left = sum(http.get(f"/jobs/{j}").json()["status"] in ("queued", "running")
                       for j in job_ids)
        rows.append((name, f"event post p99, {JOBS_QUEUED} optimizer jobs queued "
                     f"({left} still unfinished at the end)", busy_p99,
                     f"{busy_p99 / idle_p99:.2f}"))
        worker.stop()
        worker = WorkerProcess(database_url, env=env, queue="deliveries").start()
        alone = _delivery_latencies(server.url, world, ids, slow=False, n=10 if quick else 20)
        rows.append((name, "delivery latency p50 / p99, fast receiver alone",
                     f"{alone[0]:.0f} / {alone[1]:.0f}", "baseline"))
        busy = _delivery_latencies(server.url, world, ids, slow=True, n=10 if quick else 20)
        rows.append((name, f"delivery latency p50 / p99, slow receiver ({SLOW_RECEIVER_S:g} s) "
                     "timing out meanwhile", f"{busy[0]:.0f} / {busy[1]:.0f}",
                     f"{busy[1] / alone[1]:.2f}"))
    finally:
        worker.stop()
        server.stop()


_delivery_round = [0]


def _delivery_latencies(url: str, world: World, ids: list[int], *, slow: bool,
                        n: int) -> tuple[float, float]:
    """p50 and p99 (ms) from posting an event to its arrival at a fast receiver; with
    ``slow``, another organization's receiver gets events too and times out on each."""
    _delivery_round[0] += 1
    tag = f"r{_delivery_round[0]}"
    receivers = [Receiver().start()] + ([Receiver(delay_s=SLOW_RECEIVER_S).start()]
                                        if slow else [])
    fast = receivers[0]
    fast_shipment, slow_shipment = ids[-1], ids[0]
    latencies = []
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            subs = [http.post("/subscriptions", headers=world.auth(role), json={
                "shipment_id": shipment, "callback_url": r.url}).json()["id"]
                for role, shipment, r in zip(("shipper_b", "shipper"),
                                             (fast_shipment, slow_shipment), receivers,
                                             strict=False)]
            operator = world.auth("operator")
            http.post("/events", headers=operator, json=event(  # warm-up, not counted
                f"{tag}-warm", fast_shipment, "GTIN", "KZAAU", BASE, event_type="EQUIPMENT"))
            wait_for(lambda: len(fast.arrived) > 0, "the first delivery", 60)
            for i in range(n):
                if slow:
                    http.post("/events", headers=operator, json=event(
                        f"{tag}-slow-{i}", slow_shipment, "GTIN", "KZAAU",
                        BASE + timedelta(minutes=i), event_type="EQUIPMENT"))
                event_id = f"{tag}-fast-{i}"
                posted = time.perf_counter()
                http.post("/events", headers=operator, json=event(
                    event_id, fast_shipment, "GTIN", "KZAAU", BASE + timedelta(minutes=i),
                    event_type="EQUIPMENT")).raise_for_status()
                wait_for(lambda k=i: len(fast.arrived) > k + 1, "a delivery", 60)
                latencies.append((fast.arrived[i + 1] - posted) * 1000)
            for sub, role in zip(subs, ("shipper_b", "shipper"), strict=False):
                http.delete(f"/subscriptions/{sub}", headers=world.auth(role))
    finally:
        for receiver in receivers:
            receiver.close()
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def run(quick: bool = False, *, throughput: bool = True) -> None:
    """Measure and print the tables (``quick`` shrinks every loop; without ``throughput``
    only the jobs and deliveries table)."""
    console = Console(width=130)
    rows: list[tuple] = []
    queue_rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp:
        if throughput:
            console.print("[dim]SQLite ...[/dim]")
            _backend("sqlite", lambda name: f"sqlite:///{tmp}/{name}.sqlite", quick, rows)
        console.print("[dim]SQLite, jobs and deliveries ...[/dim]")
        _jobs_and_deliveries("sqlite", f"sqlite:///{tmp}/jobs.sqlite", quick, queue_rows)
    console.print("[dim]PostgreSQL ...[/dim]")
    with postgres_server(fsync=True) as admin_url:
        if throughput:
            _backend("postgresql", partial(create_database, admin_url), quick, rows)
        console.print("[dim]PostgreSQL, jobs and deliveries ...[/dim]")
        _jobs_and_deliveries("postgresql", create_database(admin_url, "jobs"), quick,
                             queue_rows)
    queue_table = Table(title="jobs and webhook deliveries (ms; median of 3 runs for posts)")
    for col in ("backend", "measurement", "ms", "x baseline"):
        queue_table.add_column(col, justify="left" if col != "x baseline" else "right")
    for backend, label, value, ratio in queue_rows:
        queue_table.add_row(backend, label, value if isinstance(value, str) else f"{value:.1f}",
                            ratio)
    console.print(queue_table)
    if not throughput:
        return
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
    # --jobs-only: just the jobs and deliveries table (event p99 with 20 optimizer jobs
    # queued; a fast receiver's latency while a slow one times out).
    run(quick="--quick" in sys.argv, throughput="--jobs-only" not in sys.argv)
