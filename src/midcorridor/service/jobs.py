"""Jobs: long computations (the crossing optimizer, plans, what-if) run by worker processes.

A *job* is a row of the ``jobs`` table with a *kind*, its parameters, the organization and
user that asked for it, a status (``queued`` → ``running`` → ``succeeded`` | ``failed``),
progress (0..1 with a message), and a result or an error. The row is the truth; the job
queue (``midcorridor.service.queue``) only wakes a worker with the job's id.

For engineers adding a kind::

    def crossing_plan(params: dict, progress: JobContext) -> dict:
        progress(0.1, "building the instance")   # or progress.report(...)
        ...                                        # progress.db: the service database
        return {"plan_id": 7}

    register_job_kind("crossing_plan", crossing_plan)

    # in a route, inside the request's write session:
    job_id = submit_job(session, "crossing_plan", body.model_dump(mode="json"),
                        org_id=principal.org_id, user_id=principal.user_id)

Register at import of a module the routes import (the worker imports every route module),
or list the module in ``MIDCORRIDOR_JOB_MODULES``. A job function raises
:class:`~midcorridor.errors.InputError` (or any ``MidcorridorError``) for bad input: the job
ends ``failed`` with that message as its reason, so say which field and why.

A worker that stops while running a job (killed, machine lost) leaves it ``running``; the
next sweep notices (its process on this host is gone, or its heartbeat is older than the
lease) and puts it back in the queue, until it has been started ``job_max_attempts`` times;
then it is ``failed`` with the reason. Job functions must therefore tolerate a second run
(write their outputs in one transaction at the end).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from midcorridor.errors import InputError, MidcorridorError
from midcorridor.service.db.engine import Database, after_commit, database_of
from midcorridor.service.db.models import Job, Organization
from midcorridor.service.schemas import first_problem

log = logging.getLogger(__name__)

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
ACTIVE = (QUEUED, RUNNING)
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)


class JobLimitReached(MidcorridorError):
    """The organization already has as many queued or running jobs as it may (HTTP 429)."""


class JobContext:
    """What a running job gets besides its parameters: progress reporting and the database.

    Calling it reports progress: ``progress(0.4, "solving")``.
    """

    def __init__(self, db: Database, job: Job, worker: str):
        self.db = db
        self.job_id = job.id
        self.kind = job.kind
        self.org_id = job.org_id
        self.user_id = job.requested_by
        self.worker = worker
        self._last = 0.0

    def report(self, fraction: float, message: str = "") -> None:
        """Record progress (clamped to 0..1); at most a few writes a second."""
        if time.monotonic() - self._last < 0.2 and fraction < 1.0:
            return
        self._last = time.monotonic()
        report_progress(self.db, self.job_id, fraction, message, worker=self.worker)

    __call__ = report


JobFunction = Callable[[dict[str, Any], JobContext], dict[str, Any]]
_KINDS: dict[str, JobFunction] = {}


def register_job_kind(kind: str, fn: JobFunction) -> JobFunction:
    """Make ``kind`` runnable: ``fn(params, progress) -> result`` (a JSON object)."""
    if not kind or len(kind) > 50:
        raise ValueError("a job kind is 1 to 50 characters")
    if _KINDS.get(kind, fn) is not fn:
        raise ValueError(f"job kind {kind!r} is already registered to another function")
    _KINDS[kind] = fn
    return fn


def job_kinds() -> list[str]:
    """The registered kinds, sorted."""
    return sorted(_KINDS)


M = TypeVar("M", bound=BaseModel)


def parse_params(model: type[M], params: dict[str, Any]) -> M:
    """``params`` as ``model``, or an :class:`InputError` naming the first bad field."""
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        where, what = first_problem(exc)
        raise InputError(f"params.{where or 'params'}: {what}") from None


def utcnow() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def worker_id() -> str:
    """This process as ``host:pid``, stored on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def submit_job(
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    org_id: int,
    user_id: int | None,
    now: datetime | None = None,
) -> int:
    """Queue a job and return its id; it is handed to a worker once ``session`` commits.

    ``session`` comes from ``Database.write()``. Raises :class:`JobLimitReached` when the
    organization already has ``job_limit_per_org`` jobs queued or running.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}; registered: {', '.join(job_kinds())}")
    db = database_of(session)
    limit = db.settings.job_limit_per_org
    # One submission per organization at a time (PostgreSQL; SQLite has one writer anyway),
    # so two concurrent requests cannot both pass the limit.
    session.execute(select(Organization.id).where(Organization.id == org_id).with_for_update())
    active = session.scalar(
        select(func.count(Job.id)).where(Job.org_id == org_id, Job.status.in_(ACTIVE)))
    if (active or 0) >= limit:
        raise JobLimitReached(
            f"your organization has {active} jobs queued or running, the most it may have "
            f"(MIDCORRIDOR_JOB_LIMIT_PER_ORG={limit}); wait for one to finish "
            "(GET /jobs/{id}) and submit again")
    json.dumps(params, allow_nan=False)  # fail here, not in the worker
    job = Job(kind=kind, org_id=org_id, requested_by=user_id, status=QUEUED, progress=0.0,
              progress_message="", params=params, error="", attempts=0, worker="",
              created_at=now or utcnow())
    session.add(job)
    session.flush()
    job_id = job.id
    after_commit(session, lambda: enqueue_jobs(db, [job_id]))
    return job_id


def enqueue_jobs(db: Database, job_ids: list[int]) -> None:
    """Hand queued jobs to the queue and note when (outside any transaction)."""
    from midcorridor.service.queue import job_queue

    queue = job_queue(db.settings)
    for job_id in job_ids:
        queue.enqueue_job(job_id)
    with db.write() as session:
        session.execute(update(Job).where(Job.id.in_(job_ids), Job.status == QUEUED)
                        .values(enqueued_at=utcnow()))


def report_progress(
    db: Database, job_id: int, fraction: float, message: str = "", *, worker: str | None = None
) -> None:
    """Record a running job's progress (and heartbeat)."""
    fraction = min(1.0, max(0.0, float(fraction))) if fraction == fraction else 0.0
    query = update(Job).where(Job.id == job_id, Job.status == RUNNING)
    if worker is not None:
        query = query.where(Job.worker == worker)
    with db.write() as session:
        session.execute(query.values(progress=fraction, progress_message=message[:500],
                                     heartbeat_at=utcnow()))


@dataclass(frozen=True)
class Outcome:
    """How a job ended: its status and, on failure, the error."""

    status: str
    error: str = ""


def run_job(db: Database, job_id: int, *, worker: str | None = None) -> Outcome | None:
    """Claim a queued job, run its function, store the result or the reason it failed.

    Returns None when the job is not (or no longer) queued: another worker has it.
    """
    me = worker or worker_id()
    now = utcnow()
    with db.write() as session:
        claimed = session.execute(  # type: ignore[attr-defined]
            update(Job).where(Job.id == job_id, Job.status == QUEUED).values(
                status=RUNNING, started_at=now, heartbeat_at=now, worker=me,
                attempts=Job.attempts + 1, progress=0.0, progress_message="started",
                error="")
        ).rowcount
        if not claimed:
            return None
        job = session.get_one(Job, job_id)
        params = dict(job.params)
        context = JobContext(db, job, me)
    fn = _KINDS.get(context.kind)
    heartbeat = _Heartbeat(db, job_id, me, db.settings.job_heartbeat_s)
    heartbeat.start()
    try:
        if fn is None:
            raise InputError(f"kind: no worker function for job kind {context.kind!r} "
                             f"(known: {', '.join(job_kinds()) or 'none'})")
        result = fn(params, context)
        if not isinstance(result, dict):
            raise TypeError(f"the {context.kind} function returned {type(result).__name__}, "
                            "not a JSON object")
        result = json.loads(json.dumps(result, allow_nan=False, default=str))
        outcome = Outcome(SUCCEEDED)
    except MidcorridorError as exc:
        result, outcome = None, Outcome(FAILED, str(exc))
    except (KeyboardInterrupt, SystemExit):
        # The worker is stopping: give the job back to the queue for the next worker.
        heartbeat.stop()
        _requeue_interrupted(db, job_id, me)
        raise
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, context.kind)
        result, outcome = None, Outcome(FAILED, f"internal error in {context.kind}: "
                                                f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        heartbeat.stop()
    values: dict[str, Any] = {"status": outcome.status, "result": result,
                              "error": outcome.error, "finished_at": utcnow()}
    if outcome.status == SUCCEEDED:
        values.update(progress=1.0, progress_message="done")
    with db.write() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING,
                                          Job.worker == me).values(**values))
    return outcome


def _requeue_interrupted(db: Database, job_id: int, me: str) -> None:
    try:
        with db.write() as session:
            session.execute(
                update(Job).where(Job.id == job_id, Job.status == RUNNING, Job.worker == me)
                .values(status=QUEUED, worker="", enqueued_at=None,
                        attempts=Job.attempts - 1,
                        progress_message="the worker stopped; queued again"))
    except Exception:  # the sweep recovers it from the heartbeat instead
        log.exception("could not requeue job %s", job_id)


class _Heartbeat:
    """A thread that keeps a running job's ``heartbeat_at`` fresh."""

    def __init__(self, db: Database, job_id: int, worker: str, every_s: float):
        self._db, self._job_id, self._worker, self._every = db, job_id, worker, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"job-{job_id}-heartbeat")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                with self._db.write() as session:
                    session.execute(update(Job).where(
                        Job.id == self._job_id, Job.status == RUNNING,
                        Job.worker == self._worker).values(heartbeat_at=utcnow()))
            except Exception:
                log.exception("heartbeat of job %s failed", self._job_id)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this host (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(worker: str, host: str) -> bool:
    name, _, pid = worker.rpartition(":")
    return name == host and pid.isdigit() and not process_alive(int(pid))


def recover_jobs(db: Database, *, now: datetime | None = None) -> list[int]:
    """Requeue or fail the jobs whose worker stopped; queue what was never handed over, and
    what was handed over but whose wake-up is gone from the queue.

    A worker takes a job's wake-up from the queue before it marks the job running; one
    killed in between leaves the job queued with nothing in the queue to run it. A job
    queued for longer than the lease whose wake-up is not in the queue is handed over again
    (a second wake-up is harmless: only one worker can claim the job). Returns the ids handed
    to the queue.
    """
    settings = db.settings
    now = now or utcnow()
    stale = now - timedelta(seconds=settings.job_lease_s)
    host = socket.gethostname()
    with db.write() as session:
        running = session.scalars(select(Job).where(Job.status == RUNNING)).all()
        for job in running:
            orphaned = (job.heartbeat_at is None or job.heartbeat_at < stale
                        or _worker_gone(job.worker, host))
            if not orphaned:
                continue
            if job.attempts >= settings.job_max_attempts:
                job.status, job.finished_at = FAILED, now
                job.error = (f"the worker running this job ({job.worker}) stopped during "
                             f"attempt {job.attempts} of {settings.job_max_attempts}; "
                             "not run again")
            else:
                log.warning("job %s: worker %s stopped; queued again", job.id, job.worker)
                job.status, job.worker, job.enqueued_at = QUEUED, "", None
                job.progress_message = (f"queued again: the worker stopped during attempt "
                                        f"{job.attempts}")
        session.flush()
        queued = session.execute(select(Job.id, Job.enqueued_at).where(Job.status == QUEUED)
                                 .order_by(Job.id)).all()
    waiting = [job_id for job_id, at in queued if at is None]
    long_waiting = [job_id for job_id, at in queued if at is not None and at < stale]
    if long_waiting:
        from midcorridor.service.queue import job_queue

        in_queue = job_queue(settings).pending_job_ids()
        lost = [job_id for job_id in long_waiting if job_id not in in_queue]
        for job_id in lost:
            log.warning("job %s: queued but not in the queue (its worker stopped before "
                        "starting it); queued again", job_id)
        waiting = sorted([*waiting, *lost])
    if waiting:
        enqueue_jobs(db, waiting)
    return waiting


def job_row(session: Session, job_id: int) -> Job | None:
    """The job with this id, if any."""
    return session.get(Job, job_id)
