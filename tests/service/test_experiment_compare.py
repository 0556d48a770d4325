"""POST /experiments/compare: the simulator's experiments against the baseline, as a job."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import World
from midcorridor.errors import InputError
from midcorridor.service import jobs
from midcorridor.service.compare import comparison
from midcorridor.service.db.engine import Database
from midcorridor.service.schemas import CompareRequest
from midcorridor.service.settings import Settings
from midcorridor.sim.kpi import compare
from midcorridor.sim.run import run
from midcorridor.sim.simulate import BASELINE, prepare


def test_comparison_is_the_simulators_own(client: TestClient, db: Database,
                                          world: World) -> None:
    """The job's comparison equals the simulator's compare run directly with the same seed:
    the baseline first, then the experiment, and its paired differences to the baseline."""
    listed = client.get("/experiments", headers=world.auth("coordinator")).json()
    assert listed["baseline"] == "baseline"
    assert {"storms", "more_ferries"} <= {s["id"] for s in listed["data"]}
    r = client.post("/experiments/compare", headers=world.auth("coordinator"),
                    json={"experiments": ["storms"], "replications": 2, "seed": 3})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    early = client.get(f"/experiments/compare/{job_id}", headers=world.auth("coordinator"))
    assert early.status_code == 409
    assert "queued" in early.text
    assert jobs.run_job(db, job_id) == jobs.Outcome("succeeded")
    got = client.get(f"/experiments/compare/{job_id}", headers=world.auth("coordinator"))
    assert got.status_code == 200, got.text
    doc = got.json()
    direct = compare([run(prepare(BASELINE), replications=2, seed=3),
                      run(prepare(BASELINE.parent / "storms.yaml"), replications=2, seed=3)])
    assert [s["id"] for s in doc["experiments"]] == ["baseline", "storms"]
    for served, own in zip(doc["experiments"], direct.experiments, strict=True):
        assert served["experiment"] == own.experiment
        assert served["kpis"]["caspian_wait_hours"]["mean"] == own.kpis.caspian_wait_hours.mean
        assert (served["kpis"]["transit_days"]["mean"]["ci95"]
                == [own.kpis.transit_days.mean.low, own.kpis.transit_days.mean.high])
    [diff] = doc["differences"]
    assert diff["against"] == "baseline"
    assert diff["experiment"] == "storms"
    assert diff["transit_days_mean"]["mean"] == direct.differences[0].transit_days_mean.mean
    job = client.get(f"/jobs/{job_id}", headers=world.auth("coordinator")).json()
    assert job["progress"] == 1.0


def test_bad_requests_name_the_field(client: TestClient, world: World) -> None:
    """An unknown experiment or the baseline itself is a 422 naming the entry; another
    organization's job is not found; a shipper may not compare."""
    auth = world.auth("coordinator")
    r = client.post("/experiments/compare", headers=auth,
                    json={"experiments": ["storms", "atlantis"]})
    assert r.status_code == 422
    assert "experiments[1]" in r.text
    assert "more_ferries" in r.text
    r = client.post("/experiments/compare", headers=auth, json={"experiments": ["baseline"]})
    assert r.status_code == 422
    assert "experiments[0]" in r.text
    r = client.post("/experiments/compare", headers=auth, json={"experiments": []})
    assert r.status_code == 422
    assert "experiments" in r.text
    r = client.post("/experiments/compare", headers=auth,
                    json={"experiments": ["storms"], "replications": "2"})
    assert r.status_code == 422
    assert "replications" in r.text
    r = client.post("/experiments/compare", headers=world.auth("shipper"),
                    json={"experiments": ["storms"]})
    assert r.status_code == 403


def test_scenarios_are_changes_only(client: TestClient, world: World) -> None:
    """The experiment list and comparison are not served under /scenarios, which names network
    changes (and the what-if) only."""
    auth = world.auth("coordinator")
    assert client.get("/scenarios", headers=auth).status_code in (404, 405)
    r = client.post("/scenarios/compare", headers=auth, json={"experiments": ["storms"]})
    assert r.status_code in (404, 405)
    assert client.get("/experiments", headers=auth).status_code == 200


def test_replications_run_on_the_dask_scheduler_of_the_settings() -> None:
    """The comparison sends its replications to the scheduler its settings name (none listens
    on this loopback port, so it says it cannot reach it), not to the environment's."""
    body = CompareRequest(experiments=["storms"], replications=2)
    with pytest.raises(InputError, match="cannot reach a Dask scheduler"):
        comparison(body, Settings(dask="tcp://127.0.0.1:9"))
