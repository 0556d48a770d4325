"""Scenarios run from the live corridor: what if a vessel is out or a port closed. A what-if
runs as a job; its finished result is served typed.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from midcorridor.service import whatif
from midcorridor.service.deps import (
    CurrentPrincipal,
    PathId,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
)
from midcorridor.service.routes import simjobs
from midcorridor.service.schemas import (
    JobAccepted,
    WhatIfOptionsPublic,
    WhatIfPlacePublic,
    WhatIfRequest,
    WhatIfResultPublic,
    WhatIfVesselPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(prefix="/scenarios", tags=["scenarios"], route_class=StrictJsonRoute)


@router.post("/whatif", status_code=202, responses={
    **simjobs.QUEUED,
    422: {"description": "An unknown vessel, line, port or border, or a closure past the "
                         "horizon; the message names the field"},
})
def post_whatif(
    body: WhatIfRequest, session: WriteSessionDep, response: Response,
    principal: CurrentPrincipal, settings: SettingsDep,
) -> JobAccepted:
    """Queue a what-if from the corridor now: ``days`` ahead, ``replications`` with common
    random numbers against doing nothing; the job's result has the KPI deltas with 95%
    intervals and the shipments whose median arrival moves most (``GET /jobs/{id}``, typed at
    ``GET /scenarios/whatif/{job_id}``).
    """
    simjobs.check(principal)
    whatif.check(body, settings.data)
    return simjobs.queue(session, response, principal, whatif.WHATIF_JOB, body)


@router.get("/whatif/options", responses={403: {"description": simjobs.FORBIDDEN}})
def whatif_options(principal: CurrentPrincipal, settings: SettingsDep) -> WhatIfOptionsPublic:
    """What a what-if may change: the simulated Caspian fleet by line, and the Caspian ports
    (``caspian`` closes them all).
    """
    simjobs.check(principal)
    model = whatif.model(settings.data)
    return WhatIfOptionsPublic(
        vessels=[WhatIfVesselPublic(name=ship.name, line=line.id)
                 for line in model.lines for ship in line.ships],
        places=[WhatIfPlacePublic(id=p, name=model.place_names.get(p, p))
                for p, port in model.ports.items() if port.caspian])


@router.get("/whatif/{job_id}", responses=simjobs.RESULT)
def whatif_result(job_id: PathId, session: SessionDep,
                  principal: CurrentPrincipal) -> WhatIfResultPublic:
    """The answer of a finished what-if job."""
    return WhatIfResultPublic.model_validate(
        simjobs.result(session, principal, job_id, whatif.WHATIF_JOB))
