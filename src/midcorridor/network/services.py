"""``services.yaml``: the scheduled services, their departures and their vessels.

A figure in YAML is written with its source, ``{value: ..., source: ...}`` (or with
``min``/``typ``/``max``); each problem is recorded with the service's line in the file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from midcorridor.network.model import (
    Capacity,
    Departures,
    Service,
    ServiceKind,
    ServiceVessel,
    Spread,
    VesselKind,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from midcorridor.network.cells import CellReader, Row
    from midcorridor.network.model import ProvenanceKey

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_OFFSET = re.compile(r"^[+-](0\d|1[0-4]):[0-5]\d$")


def _sourced(
    entry: Mapping[str, Any], key: str, row: Row, reader: CellReader, prov_key: ProvenanceKey
) -> Any:
    """A YAML figure written as ``{value: ..., source: ...}`` (or with min/typ/max)."""
    item = entry.get(key)
    if item is None:
        return None
    if not isinstance(item, dict):
        reader.problem(row, key, "write the figure as {value: ..., source: ...}")
        return None
    parsed = reader.parse_source(row, f"{key}.source", str(item.get("source") or "").strip(), key)
    if parsed is not None:
        reader.provenance[prov_key] = parsed
    return item


def parse_service(entry: Any, row: Row, reader: CellReader) -> Service | None:
    """A service of services.yaml; None when it cannot be used (no id, kind, route or times)."""
    if not isinstance(entry, dict):
        reader.problem(row, "-", "a service must be a mapping of fields")
        return None
    sid = str(entry.get("id") or "").strip()
    row.data = {"id": sid}
    if not sid:
        reader.problem(row, "id", "is empty; every service needs an id")
        return None
    table = "services"
    kind = str(entry.get("kind") or "")
    if kind not in {k.value for k in ServiceKind}:
        reader.problem(
            row, "kind", f"{kind!r} is not one of {', '.join(k.value for k in ServiceKind)}"
        )
        return None
    route = entry.get("route")
    if not isinstance(route, list) or len(route) < 2:
        reader.problem(row, "route", "needs a list of at least two node ids")
        return None
    departures = _parse_departures(entry, row, reader)
    crossing = None
    item = _sourced(entry, "crossing_h", row, reader, (table, sid, "crossing_h"))
    if item is not None:
        try:
            crossing = Spread(
                float(item.get("min", item.get("typ"))),
                float(item["typ"]),
                float(item.get("max", item.get("typ"))),
            )
        except (KeyError, TypeError, ValueError) as exc:
            reader.problem(row, "crossing_h", f"needs min <= typ <= max in hours ({exc})")
    vessels = []
    for index, vessel in enumerate(entry.get("vessels") or []):
        parsed = _parse_vessel(vessel, index, row, reader, sid)
        if parsed is not None:
            vessels.append(parsed)
    if departures is None:
        return None
    return Service(
        id=sid,
        name=str(entry.get("name") or sid),
        operator=str(entry.get("operator") or ""),
        kind=ServiceKind(kind),
        route=tuple(str(stop) for stop in route),
        departures=departures,
        crossing_h=crossing,
        vessels=tuple(vessels),
        bidirectional=bool(entry.get("bidirectional", True)),
        notes=str(entry.get("notes") or ""),
    )


def _parse_departures(entry: dict[str, Any], row: Row, reader: CellReader) -> Departures | None:
    sid = row.id
    if "departures" in entry:
        item = _sourced(entry, "departures", row, reader, ("services", sid, "departures"))
        if item is None:
            return None
        days = item.get("weekly") or []
        bad = [d for d in days if str(d).lower()[:3] not in _WEEKDAYS]
        if not days or bad:
            reader.problem(row, "departures.weekly", f"needs weekdays from {', '.join(_WEEKDAYS)}")
            return None
        time = str(item.get("time") or "00:00")
        offset = str(item.get("utc_offset") or "+00:00")
        if not _HHMM.match(time):
            reader.problem(row, "departures.time", f"{time!r} is not HH:MM")
            return None
        if not _OFFSET.match(offset):
            reader.problem(row, "departures.utc_offset", f"{offset!r} is not like +04:00")
            return None
        weekdays = tuple(sorted({_WEEKDAYS.index(str(d).lower()[:3]) for d in days}))
        return Departures(weekdays=weekdays, time=time, utc_offset=offset)
    item = _sourced(entry, "headway_h", row, reader, ("services", sid, "headway_h"))
    if item is None:
        reader.problem(row, "departures", "give 'departures' (weekly days and time) or 'headway_h'")
        return None
    headway = reader.problems.number(item.get("value"), row.where, "headway_h.value")
    if headway is None or headway <= 0:
        if headway is not None:
            reader.problem(row, "headway_h.value", "must be more than 0 hours")
        return None
    return Departures(headway_h=headway)


def _parse_vessel(
    vessel: Any, index: int, row: Row, reader: CellReader, sid: str
) -> ServiceVessel | None:
    where = f"vessels[{index}]"
    if not isinstance(vessel, dict) or not vessel.get("name"):
        reader.problem(row, where, "a vessel needs at least a name and a kind")
        return None
    kind = str(vessel.get("kind") or "")
    if kind not in {k.value for k in VesselKind}:
        reader.problem(
            row, f"{where}.kind", f"{kind!r} is not one of {', '.join(k.value for k in VesselKind)}"
        )
        return None
    sizes: dict[str, int] = {}
    for unit in ("railcars", "trucks", "teu"):
        item = _sourced(vessel, unit, row, reader, ("services", sid, f"{where}.{unit}"))
        if item is None:
            sizes[unit] = 0
            continue
        value = reader.problems.number(item.get("value"), row.where, f"{where}.{unit}.value")
        sizes[unit] = int(value or 0)
    deck = Capacity(railcar=sizes["railcars"], teu=sizes["teu"], truck=sizes["trucks"])
    return ServiceVessel(name=str(vessel["name"]), kind=VesselKind(kind), deck=deck)

