"""What if, from now: the live corridor of the database simulated with and without a change.

:func:`check` validates a request against the simulation model (unknown vessels or places, a
closure longer than the horizon) before anything is queued; :func:`answer` builds the starting
state from the stored events and runs :func:`midcorridor.sim.whatif.whatif`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.live import fleet as live_fleet
from midcorridor.live.simstart import SimStart, sim_start
from midcorridor.service import corridor
from midcorridor.service.db.engine import database_of
from midcorridor.service.db.models import Shipment
from midcorridor.service.jobs import JobContext, parse_params, register_job_kind, utcnow
from midcorridor.service.planning import network
from midcorridor.service.schemas import WhatIfRequest
from midcorridor.sim.model import SimModel
from midcorridor.sim.whatif import Changes, WhatIf, apply_changes, parse_changes, whatif

WHATIF_JOB = "whatif"


@lru_cache(maxsize=8)
def model(data: str) -> SimModel:
    """The baseline simulation model on the service's network of the data folder ``data``
    (:attr:`Settings.data <midcorridor.service.settings.Settings.data>`).
    """
    from midcorridor.sim.simulate import BASELINE, prepare

    return prepare(BASELINE, network=network(data))


def check(body: WhatIfRequest, data: str) -> Changes:
    """The request's changes, checked against the model of the data folder ``data`` for its
    horizon.
    """
    import dataclasses

    changes = parse_changes(body.changes)
    apply_changes(dataclasses.replace(model(data), horizon_h=body.days * 24.0), changes)
    return changes


def start_state(session: Session, *, now: datetime) -> SimStart:
    """The simulator's starting state from the corridor as the stored events leave it now."""
    data = corridor.data_of(session)
    found = corridor.now_whereabouts(session)
    destinations = {
        sid: dest for sid, dest in session.execute(select(Shipment.id, Shipment.destination))
    }
    vessels = live_fleet.vessel_states(corridor.fleet(data), corridor.vessel_marks(session, None))
    return sim_start(model(data), found, destinations, vessels, at=now)


def answer(
    session: Session,
    body: WhatIfRequest,
    *,
    now: datetime,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Run the what-if of ``body`` from the corridor now (on the Dask scheduler of the
    service's settings, if they name one); the JSON document of the answer.
    """
    settings = database_of(session).settings
    data = settings.data
    changes = check(body, data)
    start = start_state(session, now=now)
    total = 2 * body.replications

    def tick(done: int) -> None:
        if progress is not None:
            progress(0.05 + 0.9 * done / total, f"{done} of {total} runs")

    result: WhatIf = whatif(
        model(data),
        start.state,
        changes,
        days=body.days,
        replications=body.replications,
        seed=body.seed,
        dask=settings.dask or None,
        progress=tick,
    )
    doc = result.to_dict()
    refs = {sid: ref for sid, ref in session.execute(select(Shipment.id, Shipment.reference))}
    for moved in doc["shipments"]:
        moved["reference"] = refs.get(int(moved["shipment"]), "")
    return {
        **doc,
        "as_of": now.isoformat(),
        "shipments_in_state": len(start.state.cargo),
        "shipments_left_out": len(start.left_out),
        "vessels_placed": len(start.state.vessels),
    }


def whatif_job(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """The ``whatif`` job: :func:`answer` on the corridor as the database has it now."""
    body = parse_params(WhatIfRequest, params)
    progress(0.02, "reading the corridor state")
    with progress.db.read() as session:
        return answer(session, body, now=utcnow(), progress=progress.report)


register_job_kind(WHATIF_JOB, whatif_job)
