"""The job queue: huey, keeping its queue in the service's own database (SQLite or PostgreSQL).

Two queues share the database:

- ``jobs``: long computations (see ``midcorridor.service.jobs``), consumed by
  ``job_workers`` worker *processes*, so at most that many run at once per worker command;
- ``deliveries``: webhook deliveries, consumed by ``delivery_workers`` threads, with at most
  one delivery in flight per subscription (a lease on the subscription row), so a slow
  receiver holds one thread and delays no other subscriber. The deliveries consumer also
  runs the minute sweep: requeue jobs whose worker stopped, deliver what is due, scan for
  silent shipments.

The API process only enqueues (after its transaction commits); ``midcorridor worker`` (and
``midcorridor serve``, which starts it) consumes. On SQLite the queue's writes take the same
write lock as the service's own writers; on PostgreSQL huey uses ``SKIP LOCKED`` and
``LISTEN/NOTIFY``. huey creates its tables (``task``, ``schedule``, ``kv``, ``counter``; on
PostgreSQL prefixed ``huey_``) in :func:`create_queue_tables`, called by ``db upgrade``.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
from huey import Huey, PostgresHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage
from sqlalchemy.engine import make_url

from midcorridor.service.db.engine import Database, writer_lock
from midcorridor.service.settings import Settings

log = logging.getLogger(__name__)


class _LockedSqliteStorage(SqliteStorage):
    """huey's SQLite storage, whose write transactions take the service's write lock, with
    the service's ``synchronous`` setting.
    """

    def __init__(self, *args: Any, writer_lock: Any, synchronous: str, **kwargs: Any):
        self._writer_lock = writer_lock
        self._synchronous = synchronous
        super().__init__(*args, **kwargs)

    def _create_connection(self) -> Any:
        conn = super()._create_connection()
        conn.execute(f"pragma synchronous={self._synchronous}")
        return conn

    @contextlib.contextmanager
    def db(self, commit: bool = False, close: bool = False) -> Iterator[Any]:
        lock = self._writer_lock if commit else contextlib.nullcontext()
        with lock, super().db(commit=commit, close=close) as cursor:
            yield cursor


def _huey(name: str, settings: Settings, *, create_tables: bool = False) -> Huey:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("the job queue needs a SQLite file, not an in-memory database")
        return SqliteHuey(name, results=False, filename=url.database, timeout=30,
                          storage_class=_LockedSqliteStorage,
                          writer_lock=writer_lock(settings),
                          synchronous=settings.sqlite_synchronous.upper(),
                          create_tables=create_tables)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresHuey(name, results=False, dsn=dsn, create_tables=create_tables,
                        read_timeout=max(0.1, settings.queue_poll_s))


def create_queue_tables(settings: Settings) -> None:
    """Create huey's tables in the service database (idempotent)."""
    _huey("jobs", settings, create_tables=True).storage.close()


class JobQueue:
    """Both queues on one database, with their tasks; one per process and database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.jobs = _huey("jobs", settings)
        self.deliveries = _huey("deliveries", settings)
        self._run_job = self.jobs.task(name="run_job")(self._execute_job)
        self._deliver = self.deliveries.task(name="deliver")(self._deliver_subscription)
        self.deliveries.periodic_task(crontab(), name="sweep")(self.sweep)
        self._db: tuple[int, Database] | None = None
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    # -- producers (any process) ---------------------------------------------------------

    def enqueue_job(self, job_id: int) -> None:
        """Wake a job worker for job ``job_id`` (a duplicate wake-up is harmless)."""
        self._run_job(job_id)

    def wake_deliveries(self, subscription_ids: list[int]) -> None:
        """Have the deliveries of these subscriptions sent."""
        for subscription_id in sorted(set(subscription_ids)):
            self._deliver(subscription_id)

    def pending_job_ids(self) -> set[int]:
        """The jobs whose wake-up waits in the jobs queue."""
        return {int(task.args[0]) for task in self.jobs.pending()
                if task.name == "run_job" and task.args}

    def queued_jobs(self) -> int:
        """Wake-ups waiting in the jobs queue (for tests and the health page)."""
        return int(self.jobs.pending_count())

    def close(self) -> None:
        """Close both queues' storage."""
        self.jobs.storage.close()
        self.deliveries.storage.close()

    # -- consumers (worker processes) ----------------------------------------------------

    def database(self) -> Database:
        """This process's database handle (a forked worker makes its own)."""
        with self._lock:
            if self._db is None or self._db[0] != os.getpid():
                self._db = (os.getpid(), Database(self.settings))
            return self._db[1]

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                workers = self.settings.delivery_workers
                self._client = httpx.Client(
                    timeout=self.settings.delivery_timeout_s,
                    limits=httpx.Limits(max_connections=workers * 2,
                                        max_keepalive_connections=workers))
            return self._client

    def _execute_job(self, job_id: int) -> None:
        from midcorridor.service import jobs

        jobs.run_job(self.database(), job_id)

    def _deliver_subscription(self, subscription_id: int) -> None:
        from midcorridor.service import webhooks

        s, db = self.settings, self.database()
        lease_s = 3 * s.delivery_timeout_s + 30
        if not webhooks.claim(db, subscription_id, lease_s=lease_s):
            return  # another worker is delivering to it and will look again when done
        try:
            outcome = webhooks.deliver_subscription(
                db, self._http(), subscription_id, max_attempts=s.delivery_max_attempts,
                backoff_s=s.delivery_backoff_s, lease_s=lease_s)
        finally:
            webhooks.release(db, subscription_id)
        now = datetime.now(UTC)
        if outcome.retry_at is not None:
            delay = max(0.0, (outcome.retry_at - now).total_seconds())
            self._deliver.schedule((subscription_id,), delay=delay)
        if webhooks.has_due(db, subscription_id, now=now):
            self._deliver(subscription_id)  # arrived while we held the lease

    def sweep(self) -> None:
        """Requeue orphaned jobs, wake due deliveries, scan for silent shipments, refresh the
        spreads of shipments waiting at a port someone left, or where a posted closure began or
        ended, since the last sweep.
        """
        from midcorridor.service import alerts, ingest, jobs, webhooks

        db, now = self.database(), datetime.now(UTC)
        jobs.recover_jobs(db, now=now)
        seen = self.deliveries.get("last-departure-scan", peek=True)
        with db.write() as session:
            newest = ingest.refresh_behind_departures(
                session, after_id=int(seen) if seen is not None else 0, now=now)
        self.deliveries.put("last-departure-scan", newest)
        since = self.deliveries.get("last-closure-scan", peek=True)
        if since is not None:
            with db.write() as session:
                ingest.refresh_opened_or_closed(
                    session, since=datetime.fromisoformat(str(since)), now=now)
        self.deliveries.put("last-closure-scan", now.isoformat())
        self.wake_deliveries(webhooks.due_subscriptions(db, now=now))
        last = self.deliveries.get("last-silence-scan", peek=True)
        if last is None or time.time() - float(last) >= self.settings.alert_scan_interval_s:
            self.deliveries.put("last-silence-scan", time.time())
            with db.write() as session:
                alerts.scan_silent(session, now=now, factor=self.settings.silence_factor)


_QUEUES: dict[tuple[int, str], JobQueue] = {}
_QUEUES_LOCK = threading.Lock()


def job_queue(settings: Settings) -> JobQueue:
    """The queue of ``settings``' database for this process."""
    key = (os.getpid(), settings.database_url)
    with _QUEUES_LOCK:
        queue = _QUEUES.get(key)
        if queue is None or queue.settings != settings:
            queue = _QUEUES[key] = JobQueue(settings)
        return queue


def load_job_kinds(settings: Settings) -> None:
    """Import every module that registers job kinds: the routes, and ``job_modules``."""
    importlib.import_module("midcorridor.service.routes")
    for name in settings.job_modules.replace(",", " ").split():
        importlib.import_module(name)


# -- the worker command ------------------------------------------------------------------

QUEUE_NAMES = ("jobs", "deliveries")


def _consume(settings: Settings, name: str) -> None:
    """Run one consumer until signalled (in its own process)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    load_job_kinds(settings)
    queue = job_queue(settings)
    if name == "jobs":
        consumer = queue.jobs.create_consumer(
            workers=settings.job_workers, worker_type="process", periodic=False,
            initial_delay=0.05, backoff=1.5, max_delay=settings.queue_poll_s)
    else:
        queue.sweep()  # at start: jobs left by a stopped worker, deliveries due
        consumer = queue.deliveries.create_consumer(
            workers=settings.delivery_workers, worker_type="thread", periodic=True,
            initial_delay=0.05, backoff=1.5, max_delay=settings.queue_poll_s)
    queue.close()  # forked workers open their own connections
    consumer.run()


def run_workers(settings: Settings, queues: tuple[str, ...] = QUEUE_NAMES,
                parent_pid: int | None = None) -> int:
    """Run the consumers of ``queues``, each in a child process of this process group.

    SIGINT (Ctrl-C, which reaches the whole group) lets running jobs finish; SIGTERM, passed
    on to the consumers, interrupts them and gives their jobs back to the queue. With
    ``parent_pid``, the workers also stop when that process is gone. Returns the exit
    status: 0 after a signal, 1 when a consumer died on its own.
    """
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_consume, args=(settings, name), name=f"queue-{name}")
                for name in queues]
    for child in children:
        child.start()
    stopping = threading.Event()

    def forward(signum: int) -> None:
        for child in children:
            if child.pid is not None and child.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signum)

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()
        if signum != signal.SIGINT:  # SIGINT came to the whole group already
            forward(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    died = False
    try:
        while not stopping.is_set():
            if not all(child.is_alive() for child in children):
                log.error("a queue consumer stopped unexpectedly; stopping the others")
                died = True
                break
            if parent_pid is not None and os.getppid() != parent_pid:
                log.warning("the server process is gone; stopping the workers")
                break
            time.sleep(0.2)
        if not stopping.is_set():
            forward(signal.SIGTERM)
        for child in children:
            child.join(timeout=60)
            if child.is_alive():
                child.kill()
                child.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if died else 0
