"""Jobs on the real queue: run in a worker process, progress, restart, limits, failures."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import helpers.job_kinds  # noqa: F401  (registers test_count here too, for submit_job)
from helpers.service_factories import World
from helpers.worker_process import WorkerProcess, wait_for
from midcorridor.service import jobs, planning
from midcorridor.service.db.engine import Database, after_commit
from midcorridor.service.db.models import Job
from midcorridor.service.main import create_app
from midcorridor.service.queue import job_queue
from midcorridor.service.schemas import CrossingPublic
from midcorridor.service.settings import Settings


def _submit(db: Database, world: World, kind: str, params: dict[str, Any],
            role: str = "coordinator") -> int:
    with db.write() as session:
        return jobs.submit_job(session, kind, params, org_id=world.org_ids[role], user_id=None)


def _job(client: TestClient, world: World, job_id: int, role: str = "coordinator"
         ) -> dict[str, Any]:
    r = client.get(f"/jobs/{job_id}", headers=world.auth(role))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _finished(client: TestClient, world: World, job_id: int) -> dict[str, Any] | None:
    body = _job(client, world, job_id)
    return body if body["status"] in ("succeeded", "failed") else None


def _row(db: Database, job_id: int) -> Job:
    with db.read() as session:
        return session.get_one(Job, job_id)


def test_optimizer_job_runs_in_a_worker_process(
    client: TestClient, db: Database, world: World, database_url: str
) -> None:
    """POST /optimizer/crossing answers 202 at once; a worker process solves it; the result
    equals a direct call of the optimizer on the same instance."""
    params = {"days": 2, "seed": 3, "mode": "assignment", "time_limit_s": 5}
    r = client.post("/optimizer/crossing", json=params, headers=world.auth("coordinator"))
    assert r.status_code == 202, r.text
    accepted = r.json()
    assert accepted["status"] == "queued"
    assert r.headers["location"] == accepted["url"]
    queued = _job(client, world, accepted["job_id"])
    assert (queued["status"], queued["progress"], queued["result"]) == ("queued", 0.0, None)
    with WorkerProcess(database_url):
        done = wait_for(lambda: _finished(client, world, accepted["job_id"]), "the job")
    assert done["status"] == "succeeded", done["error"]
    assert done["progress"] == 1.0
    assert done["error"] is None
    assert done["attempts"] == 1
    result = CrossingPublic.model_validate(done["result"])
    direct = CrossingPublic.model_validate(planning.optimize_crossing(
        days=2, seed=3, mode="assignment", time_limit_s=5, data=""))
    assert (result.bookings, result.status, result.fifo) == (
        direct.bookings, direct.status, direct.fifo)
    assert result.objective == pytest.approx(direct.objective)
    worker = _row(db, accepted["job_id"]).worker
    host, pid = worker.rsplit(":", 1)
    assert host == socket.gethostname()
    assert int(pid) != os.getpid()


def test_progress_is_visible_while_running(
    client: TestClient, db: Database, world: World, database_url: str, tmp_path: Path
) -> None:
    """A running job shows its progress and message; it ends with its result."""
    gate = tmp_path / "gate"
    job_id = _submit(db, world, "test_count", {"n": 4, "gate": str(gate),
                                               "starts": str(tmp_path / "starts")})
    with WorkerProcess(database_url, queue="jobs"):
        running = wait_for(lambda: (j := _job(client, world, job_id))["progress"] > 0 and j,
                           "progress")
        assert running["status"] == "running"
        assert 0 < running["progress"] < 1
        assert running["progress_message"].startswith("counted")
        assert running["started_at"] is not None
        assert running["finished_at"] is None
        gate.touch()
        done = wait_for(lambda: _finished(client, world, job_id), "the job")
    assert done["status"] == "succeeded"
    assert done["result"]["total"] == 0 + 1 + 2 + 3


def test_job_survives_a_killed_worker(
    client: TestClient, db: Database, world: World, database_url: str, tmp_path: Path
) -> None:
    """kill -9 of the worker while a job runs; a new worker runs it again to the end, and a
    job queued while no worker was up runs too."""
    gate, starts = tmp_path / "gate", tmp_path / "starts"
    params = {"n": 2, "gate": str(gate), "starts": str(starts)}
    job_id = _submit(db, world, "test_count", params)
    first = WorkerProcess(database_url).start()
    try:
        wait_for(lambda: _job(client, world, job_id)["status"] == "running"
                 and starts.exists() and starts.read_text().split() != [], "the first run")
    finally:
        first.kill()
    assert _job(client, world, job_id)["status"] == "running"  # nobody has noticed yet
    waiting = _submit(db, world, "test_count", {**params, "n": 3}, role="operator")
    gate.touch()
    with WorkerProcess(database_url):
        done = wait_for(lambda: _finished(client, world, job_id), "the rerun")
        other = wait_for(lambda: _finished(client, world, waiting), "the queued job")
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2, done
    assert done["result"]["total"] == 1
    assert other["status"] == "succeeded"
    assert other["result"]["total"] == 3
    pids = starts.read_text().split()
    assert len(pids) == 3
    assert pids[0] != done["result"]["pid"]


@pytest.mark.parametrize("attempts_before", [1, 2])
def test_orphaned_job_is_requeued_then_failed(
    db: Database, world: World, attempts_before: int
) -> None:
    """A running job whose worker process is gone is queued again while attempts remain,
    else failed with the reason (max attempts 2)."""
    job_id = _submit(db, world, "test_count", {"n": 1, "gate": "-", "starts": "-"})
    dead = f"{socket.gethostname()}:{2**22 + 12345}"  # above Linux's default pid_max
    alive = f"{socket.gethostname()}:{os.getpid()}"
    now = jobs.utcnow()
    with db.write() as session:
        job = session.get_one(Job, job_id)
        job.status, job.worker, job.attempts = "running", dead, attempts_before
        job.heartbeat_at = now
        session.add(Job(kind="test_count", org_id=job.org_id, status="running", params={},
                        worker=alive, attempts=1, heartbeat_at=now, created_at=now,
                        progress=0.0, progress_message="", error=""))
    requeued = jobs.recover_jobs(db, now=now)
    row = _row(db, job_id)
    if attempts_before == 1:
        assert row.status == "queued"
        assert requeued == [job_id]
        assert row.enqueued_at is not None
    else:
        assert row.status == "failed"
        assert requeued == []
        assert "stopped during attempt 2 of 2" in row.error
        assert row.finished_at is not None
    with db.read() as session:  # the job of a live worker is left alone
        assert session.scalars(select(Job.status).where(Job.worker == alive)).all() == [
            "running"]
    later = now + timedelta(seconds=db.settings.job_lease_s + 1)
    jobs.recover_jobs(db, now=later)  # a stale heartbeat counts as stopped, too
    with db.read() as session:
        assert session.scalars(select(Job.status).where(Job.worker == alive)).all() == []


def test_a_bad_job_fails_with_a_reason_naming_the_field(
    client: TestClient, db: Database, world: World, database_url: str, tmp_path: Path
) -> None:
    """Parameters the job function refuses end the job failed, the reason naming the field."""
    bad_optimizer = _submit(db, world, planning.CROSSING_JOB, {"days": 99})
    bad_count = _submit(db, world, "test_count", {"n": 0, "gate": "-",
                                                  "starts": str(tmp_path / "s")})
    with WorkerProcess(database_url, queue="jobs"):
        first = wait_for(lambda: _finished(client, world, bad_optimizer), "the first job")
        second = wait_for(lambda: _finished(client, world, bad_count), "the second job")
    assert first["status"] == "failed"
    assert first["error"].startswith("params.days:")
    assert first["result"] is None
    assert second["status"] == "failed"
    assert second["error"].startswith("params.n:")


def test_organization_job_limit_answers_429(settings: Settings, world: World) -> None:
    """Beyond the per-organization limit of queued plus running jobs: 429, clear message;
    another organization may still submit."""
    limited = settings.replace(job_limit_per_org=2)
    with TestClient(create_app(limited)) as client:
        body = {"days": 1, "time_limit_s": 1}
        codes = [client.post("/optimizer/crossing", json=body,
                             headers=world.auth("operator")).status_code for _ in range(3)]
        assert codes == [202, 202, 429]
        refused = client.post("/optimizer/crossing", json=body, headers=world.auth("operator"))
        assert refused.status_code == 429
        assert "2 jobs queued or running" in refused.json()["detail"]
        assert client.post("/optimizer/crossing", json=body,
                           headers=world.auth("coordinator")).status_code == 202


def test_jobs_are_visible_to_their_organization_only(
    client: TestClient, db: Database, world: World
) -> None:
    """GET /jobs/{id}: the owner's organization, the coordinator and the admin; else 404."""
    job_id = _submit(db, world, "test_count", {"n": 1, "gate": "-", "starts": "-"},
                     role="operator")
    seen = {role: client.get(f"/jobs/{job_id}", headers=world.auth(role)).status_code
            for role in world.tokens}
    assert seen == {"admin": 200, "shipper": 404, "shipper_b": 404, "forwarder": 404,
                    "operator": 200, "operator_off": 404, "coordinator": 200}
    assert client.get("/jobs/999999", headers=world.auth("admin")).status_code == 404


def test_unknown_kind_is_refused_at_submission(db: Database, world: World) -> None:
    with pytest.raises(ValueError, match="unknown job kind 'nope'"):
        _submit(db, world, "nope", {})


def test_a_failed_hand_over_leaves_the_job_to_the_sweep(db: Database, world: World) -> None:
    """An action after commit that fails does not undo or fail the write; a job never handed
    to the queue is handed over by the sweep."""
    def broken() -> None:
        raise RuntimeError("queue unreachable")

    with db.write() as session:
        after_commit(session, broken)
        job_id = jobs.submit_job(session, "test_count", {"n": 1, "gate": "-", "starts": "-"},
                                 org_id=world.org_ids["coordinator"], user_id=None)
    with db.write() as session:
        session.get_one(Job, job_id).enqueued_at = None  # as if the hand-over had failed
    assert jobs.recover_jobs(db) == [job_id]
    row = _row(db, job_id)
    assert row.status == "queued"
    assert row.enqueued_at is not None


def test_a_job_whose_worker_died_before_starting_it_is_run(
    client: TestClient, db: Database, world: World, database_url: str, tmp_path: Path
) -> None:
    """A worker takes a job's wake-up from the queue, then marks the job running; killed in
    between, it leaves the job queued with nothing in the queue. Once the job has waited a
    lease, the sweep hands it over again and a worker runs it, once; a job whose wake-up
    still waits in the queue is not handed over twice."""
    starts = tmp_path / "starts"
    params = {"n": 2, "gate": str(tmp_path), "starts": str(starts)}  # the gate is open
    lost = _submit(db, world, "test_count", params)
    waiting = _submit(db, world, "test_count", {**params, "n": 3}, role="operator")
    queue = job_queue(db.settings)
    taken = queue.jobs.dequeue()  # what the killed worker took with it
    assert taken is not None
    assert taken.args == (lost,)
    assert queue.pending_job_ids() == {waiting}
    assert jobs.recover_jobs(db) == []  # just taken: a live worker may be starting it
    later = jobs.utcnow() + timedelta(seconds=db.settings.job_lease_s + 1)
    assert jobs.recover_jobs(db, now=later) == [lost]
    assert queue.pending_job_ids() == {lost, waiting}
    assert queue.queued_jobs() == 2
    with WorkerProcess(database_url, queue="jobs"):
        done = wait_for(lambda: _finished(client, world, lost), "the lost job")
        other = wait_for(lambda: _finished(client, world, waiting), "the waiting job")
    assert (done["status"], done["attempts"]) == ("succeeded", 1), done
    assert (other["status"], other["result"]["total"]) == ("succeeded", 3)
    assert len(starts.read_text().split()) == 2  # each job ran once
