"""The demo corridor right after ``demo-data``: containers waiting on both Caspian shores in
amounts the simulator's baseline has on ordinary days, and a Caspian plan that assigns them."""

from __future__ import annotations

import math
import statistics

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers.service_factories import DemoData
from midcorridor.service import jobs
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Shipment
from midcorridor.service.demo import COORDINATOR
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.simulate import BASELINE, prepare

DEMO_DAYS = 30  # the demo's own window (`seed`'s default), shared with other demo tests
EAST_SHORE = ("KZAAU", "KZKUR")  # Aktau and Kuryk
WEST_SHORE = ("AZALT",)  # Alat


def _hourly_teu(shore: tuple[str, ...]) -> list[float]:
    """TEU at the ports of ``shore`` each hour after the warm-up of one year of the baseline:
    every container train from its gate-in at the port until the last vessel carrying its
    boxes from there sails (the baseline's own Caspian wait), read from the raw milestones.
    """
    model = prepare(BASELINE)
    run = simulate_replication(model, 1, 0, trace=True)
    start, stop = int(model.warmup_h), int(model.horizon_h)
    counts = [0.0] * (stop - start)
    for trace in run.traces:
        if trace.unit_kind != "container":
            continue
        for port in shore:
            gate_in = [h for h, code, p, _v, _u in trace.milestones if p == port and code == "GTIN"]
            sailed = [h for h, code, p, v, _u in trace.milestones
                      if p == port and code == "DEPA" and v]
            if not gate_in:
                continue
            last = max(sailed) if sailed else float(stop)
            for hour in range(max(start, int(gate_in[0]) + 1), min(stop, int(last) + 1)):
                counts[hour - start] += trace.teu
    return counts


@pytest.fixture(scope="module")
def bands() -> dict[tuple[str, ...], tuple[float, float, float]]:
    """Per shore: one train's TEU (the least that can wait), the 99th percentile of the
    baseline's hourly TEU waiting (the most an ordinary day has) and its mean."""
    out = {}
    for shore in (EAST_SHORE, WEST_SHORE):
        hourly = sorted(_hourly_teu(shore))
        out[shore] = (1.0, hourly[int(0.99 * (len(hourly) - 1))], statistics.fmean(hourly))
    return out


@pytest.mark.demo_data(days=DEMO_DAYS)
def test_demo_has_containers_waiting_on_both_shores_and_a_plan_assigns_them(
        client: TestClient, db: Database, demo: DemoData,
        bands: dict[tuple[str, ...], tuple[float, float, float]]) -> None:
    """Right after the demo data (embedded defaults), TEU wait at Aktau or Kuryk and at Alat,
    each within the baseline's hourly range, and a plan made from that state assigns every
    waiting container train to a sailing."""
    result = demo.result
    headers = {"Authorization": f"Bearer {result.tokens[COORDINATOR]}"}
    r = client.get("/corridor/state", headers=headers)
    assert r.status_code == 200, r.text
    ports = {p["place"]: p for p in r.json()["ports"]}
    # The container trains waiting with their crossing still ahead (the state's count at a
    # port also holds those that have crossed and wait there for their train onwards).
    waiting = {sid for p in (*EAST_SHORE, *WEST_SHORE) for sid in ports[p]["shipments"]}
    with db.read() as session:
        rows = session.execute(select(Shipment.id, Shipment.position_place, Shipment.cargo_teu)
                               .where(Shipment.id.in_(waiting), Shipment.cargo_teu > 0,
                                      Shipment.position_onward != ""))
        to_cross = {sid: (place, teu) for sid, place, teu in rows}
    for shore, (least, most, mean) in bands.items():
        teu = sum(math.ceil(t) for place, t in to_cross.values() if place in shore)
        assert least <= teu <= most, (shore, teu, (least, most, mean))
        assert sum(ports[p]["waiting"]["teu"] for p in shore) >= teu
    # the trucks on the Ro-Ro decks wait too: at Kuryk, where their journey starts (gated in,
    # not yet loaded), and at Alat; each counts one truck
    with db.read() as session:
        trucks = dict(session.execute(select(Shipment.id, Shipment.cargo_units)
                                      .where(Shipment.unit_type == "truck")).all())
    assert trucks
    assert set(trucks.values()) == {1}
    for place in ("KZKUR", "AZALT"):
        counted = [sid for sid in ports[place]["shipments"] if sid in trucks]
        assert ports[place]["waiting"]["truck"] == len(counted) > 0, place

    # the coordinator's plan as the web desk asks for it by default: three days ahead
    r = client.post("/crossing/plans", json={}, headers=headers)
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    assert jobs.run_job(db, job_id) == jobs.Outcome("succeeded")
    done = client.get(f"/jobs/{job_id}", headers=headers).json()
    plan = client.get(done["result"]["url"], headers=headers).json()
    assigned = {a["shipment_id"] for a in plan["assignments"] if a["units"] > 0}
    assert set(to_cross) <= assigned, (set(to_cross) - assigned, plan["left_behind_units"])
