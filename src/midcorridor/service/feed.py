"""Operator feeds: files of shipments and events (one JSON record a line) read and checked.

A feed is what ``midcorridor simulate --events`` writes: ``shipment`` records carrying the body
of ``POST /shipments`` plus the ``owner``, ``event`` records carrying the body of
``POST /events`` with the shipment's ``reference`` in place of its id (none for a Caspian
vessel's own call), plus the ``reporting_operator``, and ``closure`` records, a port authority's
notice that its port is closed: the body of ``POST /crossing/closures`` with a ``notice_id`` and
the ``reporting_operator``. Both ``replay`` (over HTTP) and the demo data (straight into the
database) read feeds through :func:`read_feed`, which checks every record against the service's
request bodies and names the file, line and field of each problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from midcorridor.errors import InputError
from midcorridor.service.schemas import (
    EventCreate,
    PortClosurePost,
    ShipmentCreate,
    first_problem,
)

SHIPMENT_FIELDS = ("reference", "origin", "destination", "cargo", "legs")
EXTRA_EVENT_FIELDS = ("record", "shipment", "reporting_operator")
CLOSURE_FIELDS = ("place", "start", "end", "reason")
MAX_PROBLEMS = 20
_TIME = TypeAdapter(AwareDatetime)


@dataclass(frozen=True)
class FeedShipment:
    """A shipment of a feed: its owner and the body that creates it."""

    line: int
    owner: str
    body: ShipmentCreate

    @property
    def reference(self) -> str:
        """The shipment's reference."""
        return self.body.reference


@dataclass(frozen=True)
class FeedEvent:
    """An event of a feed; ``body`` is ``POST /events`` without the shipment id."""

    line: int
    shipment: str  # the shipment's reference; "" for a vessel's own call
    operator: str  # who reports it
    event_id: str
    time: datetime
    body: dict[str, Any]

    def create(self, shipment_id: int | None) -> EventCreate:
        """The request body for the shipment's id on a particular server (None for a
        vessel's own call).
        """
        return EventCreate(shipment_id=shipment_id, **self.body)


@dataclass(frozen=True)
class FeedClosure:
    """A port authority's notice of a closure; ``body`` is ``POST /crossing/closures``."""

    line: int
    notice_id: str
    operator: str  # who posts it
    body: PortClosurePost

    @property
    def start(self) -> datetime:
        """When the closure begins (the notice is posted then; a notice without a start
        begins when the feed is read).
        """
        assert self.body.start is not None  # parse_feed fills it in
        return self.body.start

    @property
    def end(self) -> datetime:
        """When the port is expected to reopen."""
        return self.body.end


@dataclass(frozen=True)
class Feed:
    """Shipments in file order, closure notices by start and events in event-time order."""

    shipments: tuple[FeedShipment, ...]
    events: tuple[FeedEvent, ...]
    closures: tuple[FeedClosure, ...] = ()


def _problem(exc: ValidationError) -> str:
    where, what = first_problem(exc)
    return f"{where or 'record'}: {what}"


def _check_event(data: dict[str, Any], now: datetime, shipment_id: int | None) -> EventCreate:
    """The event checked as the service will check it when it is due: one dated in the future
    is checked as if it happened now (replay posts it once its time has come).
    """
    when = _TIME.validate_python(data.get("event_time"))
    if when > now:
        checked = EventCreate(shipment_id=shipment_id, **(data | {"event_time": now}))
        return checked.model_copy(update={"event_time": when})
    return EventCreate(shipment_id=shipment_id, **data)


def read_feed(path: Path) -> Feed:
    """Read and check a feed file; raise :class:`InputError` listing its problems by line."""
    if not path.is_file():
        raise InputError(f"{path}: no such feed file (write one with simulate --events)")
    with path.open(encoding="utf-8") as lines:
        return parse_feed(lines, str(path))


def _record(record: Any, n: int, now: datetime) -> FeedShipment | FeedEvent | FeedClosure:
    """One checked record of line ``n``; raises on a problem (see :func:`parse_feed`)."""
    kind = record.get("record") if isinstance(record, dict) else None
    if kind == "shipment":
        body = ShipmentCreate(**{k: record.get(k) for k in SHIPMENT_FIELDS})
        if not body.reference:
            raise InputError("reference: a feed shipment needs a reference")
        return FeedShipment(n, str(record.get("owner") or ""), body)
    if kind == "event":
        data = {k: v for k, v in record.items() if k not in EXTRA_EVENT_FIELDS}
        reference = str(record.get("shipment") or "")
        if not reference and (data.get("event_type") != "TRANSPORT" or not data.get("vehicle")):
            raise InputError("shipment: give the shipment's reference (only a vessel's own "
                             "call, a TRANSPORT event with the vessel as vehicle, has none)")
        event = _check_event(data, now, 1 if reference else None)
        return FeedEvent(n, reference, str(record.get("reporting_operator") or ""),
                         event.event_id, event.event_time, data)
    if kind == "closure":
        closure = PortClosurePost(**{k: record.get(k) for k in CLOSURE_FIELDS})
        if closure.start is None:
            closure = closure.model_copy(update={"start": now})
        if not record.get("notice_id"):
            raise InputError("notice_id: a closure notice needs an id")
        return FeedClosure(n, str(record["notice_id"]),
                           str(record.get("reporting_operator") or ""), closure)
    raise InputError("record: expected 'shipment', 'event' or 'closure'")


def parse_feed(lines: Iterable[str], path: str = "feed") -> Feed:
    """Check the records of a feed, one JSON object a line (see :func:`read_feed`)."""
    now = datetime.now(UTC)
    problems: list[str] = []
    records: list[FeedShipment | FeedEvent | FeedClosure] = []
    for n, text in enumerate(lines, start=1):
        if not text.strip() or len(problems) >= MAX_PROBLEMS:
            continue
        try:
            records.append(_record(json.loads(text), n, now))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{n}: not JSON ({exc.msg})")
        except ValidationError as exc:
            problems.append(f"{path}:{n}: {_problem(exc)}")
        except (InputError, TypeError) as exc:
            problems.append(f"{path}:{n}: {exc}")
    shipments = [r for r in records if isinstance(r, FeedShipment)]
    events = [r for r in records if isinstance(r, FeedEvent)]
    closures = [r for r in records if isinstance(r, FeedClosure)]
    known = {s.reference for s in shipments}
    for e in events:
        if e.shipment and e.shipment not in known and len(problems) < MAX_PROBLEMS:
            problems.append(f"{path}:{e.line}: shipment: no shipment record {e.shipment!r}")
    if problems:
        more = " (first 20)" if len(problems) >= MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} problems{more}\n" + "\n".join(problems))
    events.sort(key=lambda e: (e.time, e.event_id))
    closures.sort(key=lambda c: (c.start, c.notice_id))
    return Feed(tuple(shipments), tuple(events), tuple(closures))
