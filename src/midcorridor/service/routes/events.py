"""Events: post one (idempotent by ``event_id``) or many at once."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy.exc import IntegrityError

from midcorridor.service import ingest
from midcorridor.service.access import Action, Principal
from midcorridor.service.deps import DbDep, SettingsDep, require, utcnow
from midcorridor.service.schemas import (
    BulkEventsCreate,
    BulkItem,
    BulkResult,
    EventCreate,
    EventPublic,
)
from midcorridor.service.webhooks import event_public

router = APIRouter(prefix="/events", tags=["events"])
Poster = require(Action.post_event)


def _ingest(
    db: DbDep, settings: SettingsDep, principal: Principal, events: list[EventCreate],
    strict: bool, public: bool = True,
) -> list[tuple[ingest.Outcome, EventPublic | None]]:
    # A concurrent writer may insert the same event id between our check and our insert
    # (PostgreSQL); the unique constraint stops it and the retry answers it as a duplicate.
    for attempt in range(3):
        try:
            with db.write() as session:
                outcomes = ingest.ingest(session, principal, events, now=utcnow(),
                                         slip_threshold_h=settings.eta_slip_alert_h,
                                         strict=strict)
                session.flush()
                return [(o, event_public(o.event) if public and o.event is not None else None)
                        for o in outcomes]
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@router.post("", status_code=201, responses={200: {"description": "Already stored (replay)"}})
def post_event(
    body: EventCreate, response: Response, db: DbDep, settings: SettingsDep,
    principal: Principal = Poster,
) -> EventPublic:
    """Report one event; posting the same ``event_id`` again returns the stored event (200)."""
    try:
        [(outcome, public)] = _ingest(db, settings, principal, [body], strict=True)
    except ingest.EventConflict as exc:
        raise HTTPException(409, str(exc)) from None
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
    results = _ingest(db, settings, principal, body.events, strict=False, public=False)
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
