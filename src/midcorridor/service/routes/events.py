"""Events: post one (idempotent by ``event_id``) or many at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.exc import IntegrityError

from midcorridor.service import ingest
from midcorridor.service.access import Action, Principal
from midcorridor.service.db.engine import Database
from midcorridor.service.deps import DbDep, SettingsDep, require, utcnow
from midcorridor.service.group_commit import GroupCommit
from midcorridor.service.http_errors import answers
from midcorridor.service.schemas import (
    BulkEventsCreate,
    BulkItem,
    BulkResult,
    EventCreate,
    EventPublic,
)
from midcorridor.service.settings import Settings
from midcorridor.service.strict_json import StrictJsonRoute
from midcorridor.service.webhooks import event_public

router = APIRouter(route_class=StrictJsonRoute, prefix="/events", tags=["events"])
Poster = require(Action.post_event)


Result = tuple[ingest.Outcome, EventPublic | None]


def ingest_items(
    db: Database, settings: Settings, items: Sequence[tuple[Principal, EventCreate]],
    *, public: bool = True,
) -> list[Result]:
    """Ingest events of one or more callers in one transaction (retried on a lost race)."""
    # A concurrent writer may insert the same event id between our check and our insert
    # (PostgreSQL, or another worker); the unique constraint stops it and the retry answers
    # it as a duplicate.
    for attempt in range(3):
        try:
            with db.write() as session:
                outcomes = ingest.ingest_many(session, items, now=utcnow(),
                                              slip_threshold_h=settings.eta_slip_alert_h)
                session.flush()
                return [(o, event_public(o.event) if public and o.event is not None else None)
                        for o in outcomes]
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def group_commit(db: Database, settings: Settings) -> GroupCommit:
    """The per-process batcher of single-event posts."""
    return GroupCommit(lambda items: list(ingest_items(db, settings, items)))


@router.post("", status_code=201,
             responses={200: {"description": "Already stored (replay)"}, **answers(404)})
def post_event(
    body: EventCreate, request: Request, response: Response, db: DbDep, settings: SettingsDep,
    principal: Principal = Poster,
) -> EventPublic:
    """Report one event; posting the same ``event_id`` again returns the stored event (200)."""
    if settings.group_commit:
        outcome, public = cast("Result", request.app.state.group_commit.submit(principal, body))
    else:
        [(outcome, public)] = ingest_items(db, settings, [(principal, body)])
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
    results = ingest_items(db, settings, [(principal, e) for e in body.events], public=False)
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
