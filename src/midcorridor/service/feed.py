"""Operator feeds: files of shipments and events (one JSON record a line) read and checked.

A feed is what ``midcorridor simulate --events`` writes: ``shipment`` records carrying the body
of ``POST /shipments`` plus the ``owner``, and ``event`` records carrying the body of
``POST /events`` with the shipment's ``reference`` in place of its id, plus the
``reporting_operator``. Both ``replay`` (over HTTP) and the demo data (straight into the
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
from midcorridor.service.schemas import EventCreate, ShipmentCreate, first_problem

SHIPMENT_FIELDS = ("reference", "origin", "destination", "cargo", "legs")
EXTRA_EVENT_FIELDS = ("record", "shipment", "reporting_operator")
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
    shipment: str  # the shipment's reference
    operator: str  # who reports it
    event_id: str
    time: datetime
    body: dict[str, Any]

    def create(self, shipment_id: int) -> EventCreate:
        """The request body for the shipment's id on a particular server."""
        return EventCreate(shipment_id=shipment_id, **self.body)


@dataclass(frozen=True)
class Feed:
    """Shipments in file order and events in event-time order."""

    shipments: tuple[FeedShipment, ...]
    events: tuple[FeedEvent, ...]


def _problem(exc: ValidationError) -> str:
    where, what = first_problem(exc)
    return f"{where or 'record'}: {what}"


def _check_event(data: dict[str, Any], now: datetime) -> EventCreate:
    """The event checked as the service will check it when it is due: one dated in the future
    is checked as if it happened now (replay posts it once its time has come).
    """
    when = _TIME.validate_python(data.get("event_time"))
    if when > now:
        checked = EventCreate(shipment_id=1, **(data | {"event_time": now}))
        return checked.model_copy(update={"event_time": when})
    return EventCreate(shipment_id=1, **data)


def read_feed(path: Path) -> Feed:
    """Read and check a feed file; raise :class:`InputError` listing its problems by line."""
    if not path.is_file():
        raise InputError(f"{path}: no such feed file (write one with simulate --events)")
    with path.open(encoding="utf-8") as lines:
        return parse_feed(lines, str(path))


def parse_feed(lines: Iterable[str], path: str = "feed") -> Feed:
    """Check the records of a feed, one JSON object a line (see :func:`read_feed`)."""
    now = datetime.now(UTC)
    problems: list[str] = []
    shipments: list[FeedShipment] = []
    events: list[FeedEvent] = []
    for n, text in enumerate(lines, start=1):
        if not text.strip() or len(problems) >= MAX_PROBLEMS:
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{n}: not JSON ({exc.msg})")
            continue
        kind = record.get("record") if isinstance(record, dict) else None
        try:
            if kind == "shipment":
                body = ShipmentCreate(**{k: record.get(k) for k in SHIPMENT_FIELDS})
                if not body.reference:
                    raise InputError("reference: a feed shipment needs a reference")
                shipments.append(FeedShipment(n, str(record.get("owner") or ""), body))
            elif kind == "event":
                data = {k: v for k, v in record.items() if k not in EXTRA_EVENT_FIELDS}
                event = _check_event(data, now)
                if not record.get("shipment"):
                    raise InputError("shipment: give the shipment's reference")
                events.append(
                    FeedEvent(n, str(record["shipment"]),
                              str(record.get("reporting_operator") or ""), event.event_id,
                              event.event_time, data)
                )
            else:
                problems.append(f"{path}:{n}: record: expected 'shipment' or 'event'")
        except ValidationError as exc:
            problems.append(f"{path}:{n}: {_problem(exc)}")
        except (InputError, TypeError) as exc:
            problems.append(f"{path}:{n}: {exc}")
    known = {s.reference for s in shipments}
    for e in events:
        if e.shipment not in known and len(problems) < MAX_PROBLEMS:
            problems.append(f"{path}:{e.line}: shipment: no shipment record {e.shipment!r}")
    if problems:
        more = " (first 20)" if len(problems) >= MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} problems{more}\n" + "\n".join(problems))
    events.sort(key=lambda e: (e.time, e.event_id))
    return Feed(tuple(shipments), tuple(events))
