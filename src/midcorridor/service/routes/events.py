"""Events: post one (idempotent by ``event_id``) or many at once."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, HTTPException, Request, Response

from midcorridor.errors import InvalidFieldsError
from midcorridor.service import ingest
from midcorridor.service.access import Action, Principal
from midcorridor.service.deps import DbDep, SettingsDep, require
from midcorridor.service.http_errors import answers
from midcorridor.service.schemas import (
    BulkEventsCreate,
    BulkItem,
    BulkResult,
    EventCreate,
    EventPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/events", tags=["events"])
Poster = require(Action.post_event, Action.post_call)


@router.post("", status_code=201,
             responses={200: {"description": "Already stored (replay)"}, **answers(404, 422)})
def post_event(
    body: EventCreate, request: Request, response: Response, db: DbDep, settings: SettingsDep,
    principal: Principal = Poster,
) -> EventPublic:
    """Report one event; posting the same ``event_id`` again returns the stored event (200).

    Without ``shipment_id`` the event is a Caspian vessel's own call (its port's or line's
    operator, the coordinator or the admin report it).
    """
    if settings.group_commit:
        batcher = request.app.state.group_commit
        outcome, public = cast("ingest.Result", batcher.submit(principal, body))
    else:
        [(outcome, public)] = ingest.ingest_items(db, settings, [(principal, body)])
    if outcome.status == "rejected" and outcome.field:
        raise InvalidFieldsError([(outcome.field, outcome.error.split(": ", 1)[-1])])
    if outcome.status == "rejected" or public is None:
        raise HTTPException(outcome.http_status or 404, outcome.error or ingest.NOT_FOUND)
    if outcome.status == "duplicate":
        response.status_code = 200
    return public


@router.post("/bulk")
def post_events_bulk(
    body: BulkEventsCreate, db: DbDep, settings: SettingsDep, principal: Principal = Poster,
) -> BulkResult:
    """Report up to 1000 events in one transaction; each gets its own outcome."""
    results = ingest.ingest_items(db, settings, [(principal, e) for e in body.events], public=False)
    items = [
        BulkItem(event_id=o.event_id, status=o.status,  # type: ignore[arg-type]
                 id=o.event.id if o.event else None,
                 off_route=o.event.off_route if o.event else False, error=o.error)
        for o, _ in results
    ]
    return BulkResult(
        created=sum(i.status == "created" for i in items),
        duplicates=sum(i.status == "duplicate" for i in items),
        rejected=sum(i.status == "rejected" for i in items),
        results=items,
    )
