"""Posted closures of the Caspian ports: post, list, cancel, and read them for the corridor
state, the crossing plans and the ETA.

Who may post or cancel one is decided by the route (coordinator and admin anywhere, operators
at their own ports); this module checks the closure itself and stores it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from midcorridor.errors import InvalidFieldsError
from midcorridor.live.closures import CASPIAN, PostedClosure
from midcorridor.service.db.models import PortClosureRecord
from midcorridor.service.schemas import PortClosurePost

LONGEST = timedelta(days=366)
"""A closure longer than a year is a typing error, not a closure."""


class ClosureStateError(Exception):
    """The closure cannot be cancelled: it was cancelled already, or it has ended."""


def place_of(place: str, ports: Collection[str]) -> str:
    """The stored place for ``place``: a Caspian port's id or :data:`CASPIAN` (any case).

    Raises :class:`InvalidFieldsError` naming ``place`` for anything else.
    """
    if place.casefold() == CASPIAN:
        return CASPIAN
    if place.upper() in ports:
        return place.upper()
    raise InvalidFieldsError([("place", f"{place!r} is not a Caspian port; use one of "
                                        f"{', '.join(sorted(ports))} or {CASPIAN}")],
                             code="unknown_place")


def check(body: PortClosurePost, *, now: datetime,
          ports: Collection[str]) -> tuple[str, datetime, datetime]:
    """The closure's place, start and end, or :class:`InvalidFieldsError` naming each field
    at fault: an unknown place, an end not after the start, a window already over, a window
    longer than :data:`LONGEST`.
    """
    problems: list[tuple[str, str]] = []
    try:
        place = place_of(body.place, ports)
    except InvalidFieldsError as exc:
        problems += exc.problems
        place = body.place
    start = body.start or now
    end = body.end
    if end <= start:
        problems.append(("end", f"{end.isoformat()} is not after the start "
                                f"{start.isoformat()}; give an end after the start"))
    elif end <= now:
        problems.append(("end", f"{end.isoformat()} is in the past; a closure must end "
                                "after now"))
    elif end - start > LONGEST:
        problems.append(("end", f"the closure would last {(end - start).days} days; at most "
                                f"{LONGEST.days}"))
    if problems:
        unknown = any(field == "place" for field, _ in problems)
        raise InvalidFieldsError(problems, code="unknown_place" if unknown else "value_error")
    return place, start, end


def post(session: Session, body: PortClosurePost, *, now: datetime, ports: Collection[str],
         org_id: int, user_id: int | None) -> PortClosureRecord:
    """Store a checked closure (see :func:`check`)."""
    place, start, end = check(body, now=now, ports=ports)
    record = PortClosureRecord(place=place, starts_at=start, ends_at=end, reason=body.reason,
                               org_id=org_id, user_id=user_id, created_at=now)
    session.add(record)
    session.flush()
    return record


def status_of(record: PortClosureRecord, now: datetime) -> str:
    """``cancelled``, ``ended``, ``current`` or ``upcoming``."""
    if record.cancelled_at is not None:
        return "cancelled"
    if record.ends_at <= now:
        return "ended"
    return "current" if record.starts_at <= now else "upcoming"


def current_and_upcoming(session: Session, now: datetime) -> list[PortClosureRecord]:
    """Closures not cancelled that have not ended, soonest first."""
    c = PortClosureRecord
    return list(session.scalars(select(c).where(c.cancelled_at.is_(None), c.ends_at > now)
                                .order_by(c.starts_at, c.id)))


def cancel(session: Session, record: PortClosureRecord, *, now: datetime,
           user_id: int | None) -> None:
    """Cancel a closure that is current or upcoming, else :class:`ClosureStateError`."""
    state = status_of(record, now)
    if state in ("cancelled", "ended"):
        what = "was cancelled" if state == "cancelled" else "has ended"
        raise ClosureStateError(f"closure {record.id} {what} already; nothing to cancel")
    record.cancelled_at = now
    record.cancelled_by = user_id


def posted(session: Session, start: datetime, end: datetime, *,
           as_known_at: datetime | None = None) -> list[PostedClosure]:
    """The closures overlapping ``[start, end]``: those not cancelled, or, with
    ``as_known_at``, those not yet cancelled at that moment (a replay of the past).
    """
    c = PortClosureRecord
    query = select(c).where(c.starts_at <= end, c.ends_at > start)
    if as_known_at is None:
        query = query.where(c.cancelled_at.is_(None))
    else:
        query = query.where(c.created_at <= as_known_at,
                            or_(c.cancelled_at.is_(None), c.cancelled_at > as_known_at))
    return [PostedClosure(r.id, r.place, r.starts_at, r.ends_at, r.reason)
            for r in session.scalars(query.order_by(c.starts_at, c.id))]
