"""Reading ``bookings.csv`` and ``fleet.yaml`` into a :class:`CrossingInstance`.

Every problem is collected and reported at once as ``file:row:field: message`` (a
:class:`DataError`). Places are UN/LOCODEs or names known to the network and must be
Caspian ports. Times are ISO 8601 with a UTC offset.

``fleet.yaml`` holds ``start``, ``horizon_h`` (or ``horizon_days``), optional ``costs``
(``left_behind_h``, ``lateness_weight``, ``sailing_h``), and:

- ``ports``: ``id``, ``berths`` (vessels in a call at once, default 1), ``handling_h`` (hours
  of ONE vessel call: unloading what the vessel brought and loading what it takes away, e.g.
  Alat 20.1 h, Aktau 30 h, Kuryk 8 h; default: the data set's ``Node.handling_h``; a call
  costs one handling time whether the vessel arrives or leaves empty), ``closures`` (``start``,
  ``end``: no departure or arrival);
- ``vessels``: ``id``, ``name``, ``type``, ``capacity`` (per unit type), ``speed_kn``,
  ``available_at``, ``available_from``, optional ``dangerous_limit``;
- ``sailings`` (assignment mode only): ``id``, ``vessel``, ``from``, ``to``, ``departure``,
  ``arrival``; given sailings are taken as they are (no handling time is added to them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import yaml

from midcorridor.crossing.model import (
    CARRIES,
    UNIT_TYPES,
    Booking,
    Capacity,
    Closure,
    Costs,
    CrossingInstance,
    Port,
    Sailing,
    UnitType,
    Vessel,
)
from midcorridor.crossing.ports import CaspianPorts
from midcorridor.errors import DataError, Problem
from midcorridor.network.csvfile import read_table
from midcorridor.network.model import Network, VesselKind
from midcorridor.network.reading import At, Problems

if TYPE_CHECKING:
    from pathlib import Path

BOOKING_COLUMNS = ("id", "units", "unit_type", "origin", "destination", "ready")
DEFAULT_HORIZON_H = 14 * 24.0


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp that carries a UTC offset; ``ValueError`` otherwise."""
    value = datetime.fromisoformat(str(text).strip())
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; write e.g. {text}+04:00")
    return value


def read_booking_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a bookings CSV with their line numbers (the header is line 1), whatever
    its encoding and delimiter; a file without a single booking is an error.
    """
    table = read_table(path, expected=BOOKING_COLUMNS, required=BOOKING_COLUMNS)
    rows = list(table)
    if not rows:
        raise DataError([Problem(path.name, 2, "-", "the file has a header but no bookings; "
                                 "add one row per booking")])
    return rows


def read_fleet_document(path: Path) -> dict[str, Any]:
    """Read a fleet YAML file as a mapping; an unreadable or malformed file is an InputError."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError([Problem(str(path), 0, "", f"cannot read: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(path.name, 0, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(doc, dict):
        raise DataError([Problem(path.name, 0, "", "expected a mapping with vessels and ports")])
    return doc


def _capacity(raw: Any, where: Callable[[str, str], None], kind: VesselKind | None) -> Capacity:
    if not isinstance(raw, Mapping):
        where("capacity", "expected a mapping such as {railcar: 56, truck: 50}")
        return Capacity()
    values: dict[str, int] = {}
    for key, value in raw.items():
        unit = str(key).strip().lower().rstrip("s")
        if unit not in {u.value for u in UNIT_TYPES}:
            where(f"capacity.{key}", "unknown capacity unit; use railcar, teu or truck")
            continue
        try:
            number = int(value)
            if number < 0 or number != float(value):
                raise ValueError
        except (TypeError, ValueError):
            where(f"capacity.{key}", f"{value!r} is not a whole number of units >= 0")
            continue
        if kind is not None and number > 0 and UnitType(unit) not in CARRIES[kind]:
            allowed = ", ".join(sorted(u.value for u in CARRIES[kind]))
            where(f"capacity.{key}",
                  f"a {kind.value} cannot carry {unit}s (capacity units do not match the "
                  f"vessel type; it carries {allowed})")
            continue
        values[unit] = number
    return Capacity(**values)


@dataclass
class _Reading:
    """The two input files being read: their names, the Caspian ports, the problems found."""

    fleet: str
    bookings: str
    places: CaspianPorts
    problems: Problems = field(default_factory=Problems)

    def place(self, file: str, row: int | str, name: str, text: Any) -> str | None:
        """The port a place name or code means, or None after recording why not."""
        try:
            return self.places.resolve(str(text))
        except ValueError as exc:
            self.problems.add(file, row, name, str(exc))
            return None

    def when(self, file: str, row: int | str, name: str, text: Any) -> datetime | None:
        """The time written, or None after recording why it is not one."""
        try:
            return parse_time(text)
        except (TypeError, ValueError) as exc:
            self.problems.add(file, row, name, f"not an ISO 8601 time with offset: {exc}")
            return None


def load_instance(bookings_path: Path, fleet_path: Path, network: Network, *,
                  mode: str = "assignment") -> CrossingInstance:
    """Read and check the two input files; raises :class:`DataError` listing every problem."""
    fleet = read_fleet_document(fleet_path)
    rows = read_booking_rows(bookings_path)
    read = _Reading(fleet_path.name, bookings_path.name, CaspianPorts(network))
    problems = read.problems
    ports, raw_closures = _read_ports(read, fleet)
    bookings_raw = _read_bookings(read, rows)
    # --- time frame
    readies = [rec["ready"] for _, rec in bookings_raw if rec.get("ready")]
    start = read.when(read.fleet, "start", "start", fleet["start"]) if "start" in fleet else None
    if start is None:
        first = min(readies) if readies else None
        start = first.replace(minute=0, second=0, microsecond=0) if first else None
    horizon_h = float(fleet.get("horizon_h", 24.0 * fleet.get("horizon_days", 14)))
    if horizon_h <= 0:
        problems.add(read.fleet, "horizon", "horizon_h", "the horizon must be longer than 0 hours")
    problems.raise_any()
    if start is None:
        raise DataError([Problem(read.bookings, 2, "ready", "no bookings: nothing to optimize")])
    begin = start

    def hours(t: datetime) -> float:
        return (t - begin).total_seconds() / 3600.0

    _close_ports(read, ports, raw_closures, hours)
    vessels = _read_vessels(read, fleet, start, horizon_h, hours)
    problems.raise_any()
    used = {b["origin"] for _, b in bookings_raw} | {b["destination"] for _, b in bookings_raw}
    used |= {v.available_at for v in vessels}
    # rotation mode decides the sailings itself: a sailings list is then ignored
    listed = (fleet.get("sailings") or []) if mode == "assignment" else []
    sailings = _read_sailings(read, listed, vessels, used, ports, hours, horizon_h)
    distances = read.places.distances_nm(sorted(used | set(ports)))
    if mode == "assignment" and not sailings:
        problems.add(read.fleet, "sailings", "sailings",
                     "assignment mode needs a sailings list (or use --mode rotation)")
    for pid in used:
        if pid not in ports:
            ports[pid] = Port(pid, read.places.name(pid), 1, read.places.handling_h(pid))
    for s in sailings:
        for port, t, what in ((s.origin, s.departure, "departure"),
                              (s.destination, s.arrival, "arrival")):
            if ports[port].closed_at(t):
                problems.add(read.fleet, f"sailing {s.id}", what,
                             f"{ports[port].name} is closed then")
    bookings = _check_bookings(read, bookings_raw, vessels, hours, horizon_h)
    costs = _costs(read, fleet.get("costs") or {})
    problems.raise_any()
    return CrossingInstance(start, horizon_h, tuple(bookings), tuple(vessels), ports,
                            tuple(sailings), distances, costs)


def _read_ports(
    read: _Reading, fleet: Mapping[str, Any]
) -> tuple[dict[str, Port], list[tuple[str, str, datetime, datetime]]]:
    """The fleet file's ports, and their closures as written (row, start, end)."""
    ff, problems = read.fleet, read.problems
    ports: dict[str, Port] = {}
    raw_closures: list[tuple[str, str, datetime, datetime]] = []
    for i, raw in enumerate(fleet.get("ports") or []):
        row = f"ports[{i}]"
        pid = read.place(ff, row, "id", raw.get("id", ""))
        if pid is None:
            continue
        berths = raw.get("berths", 1)
        if not isinstance(berths, int) or berths < 1:
            problems.add(ff, row, "berths", f"{berths!r} is not a whole number >= 1")
            berths = 1
        handling = raw.get("handling_h", read.places.handling_h(pid))
        if not isinstance(handling, int | float) or handling < 0:
            problems.add(ff, row, "handling_h", f"{handling!r} is not a number of hours >= 0")
            handling = 0.0
        ports[pid] = Port(pid, read.places.name(pid), berths, float(handling))
        for j, c in enumerate(raw.get("closures") or []):
            start = read.when(ff, f"{row}.closures[{j}]", "start", c.get("start"))
            end = read.when(ff, f"{row}.closures[{j}]", "end", c.get("end"))
            if start and end:
                if end <= start:
                    problems.add(ff, f"{row}.closures[{j}]", "end", "closure ends before it starts")
                else:
                    raw_closures.append((pid, f"{row}.closures[{j}]", start, end))
    return ports, raw_closures


def _read_bookings(
    read: _Reading, rows: list[tuple[int, dict[str, str]]]
) -> list[tuple[int, dict[str, Any]]]:
    """The bookings file's rows as typed records (a field that is wrong is left out)."""
    bf, problems = read.bookings, read.problems
    bookings_raw: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for line, r in rows:
        bid = (r.get("id") or "").strip()
        if not bid:
            problems.add(bf, line, "id", "empty booking id")
        elif bid in seen:
            problems.add(bf, line, "id", f"duplicate booking id {bid!r}")
        seen.add(bid)
        rec: dict[str, Any] = {"id": bid}
        try:
            rec["units"] = int(r.get("units", ""))
            if rec["units"] <= 0:
                raise ValueError
        except ValueError:
            problems.add(bf, line, "units", f"{r.get('units')!r} is not a whole number > 0")
        try:
            rec["unit_type"] = UnitType((r.get("unit_type") or "").strip().lower())
        except ValueError:
            problems.add(bf, line, "unit_type",
                         f"{r.get('unit_type')!r} is not railcar, teu or truck")
        rec["origin"] = read.place(bf, line, "origin", r.get("origin", ""))
        rec["destination"] = read.place(bf, line, "destination", r.get("destination", ""))
        if rec["origin"] and rec["origin"] == rec["destination"]:
            problems.add(bf, line, "destination", "same port as the origin")
        rec["ready"] = read.when(bf, line, "ready", r.get("ready"))
        due = (r.get("due") or "").strip()
        rec["due"] = read.when(bf, line, "due", due) if due else None
        if rec["due"] and rec["ready"] and rec["due"] < rec["ready"]:
            problems.add(bf, line, "due", "due before the booking is ready")
        try:
            rec["priority"] = float((r.get("priority") or "1").strip())
            if rec["priority"] <= 0:
                raise ValueError
        except ValueError:
            problems.add(bf, line, "priority", f"{r.get('priority')!r} is not a number > 0")
        for flag in ("whole", "dangerous"):
            rec[flag] = problems.flag(r.get(flag), At(bf, line), flag)
        bookings_raw.append((line, rec))
    return bookings_raw


def _close_ports(
    read: _Reading,
    ports: dict[str, Port],
    raw_closures: list[tuple[str, str, datetime, datetime]],
    hours: Callable[[datetime], float],
) -> None:
    """Give each port its closures in hours; overlapping closures are a problem."""
    closures_by_port: dict[str, list[tuple[str, Closure]]] = {}
    for pid, row, c_start, c_end in raw_closures:
        closures_by_port.setdefault(pid, []).append(
            (row, Closure(pid, hours(c_start), hours(c_end))))
    for pid, items in closures_by_port.items():
        items.sort(key=lambda x: x[1].start)
        for (row_a, first), (row_b, second) in zip(items, items[1:], strict=False):
            if second.start < first.end:
                read.problems.add(read.fleet, row_b, "start",
                                  f"closure overlaps {row_a} at {ports[pid].name}; merge the two")
        ports[pid] = Port(pid, ports[pid].name, ports[pid].berths, ports[pid].handling_h,
                          tuple(c for _, c in items))


def _read_vessels(read: _Reading, fleet: Mapping[str, Any], start: datetime, horizon_h: float,
                  hours: Callable[[datetime], float]) -> list[Vessel]:
    """The fleet file's vessels; at least one is needed."""
    ff, problems = read.fleet, read.problems
    vessels: list[Vessel] = []
    for i, raw in enumerate(fleet.get("vessels") or []):
        row = f"vessels[{i}]"

        def at(field: str, message: str, row: str = row) -> None:
            problems.add(ff, row, field, message)

        vid = str(raw.get("id", "")).strip()
        if not vid:
            at("id", "vessel without id")
        try:
            kind = VesselKind(str(raw.get("type", "")).strip().lower())
            if kind not in CARRIES:
                raise ValueError
        except ValueError:
            at("type", f"{raw.get('type')!r} is not rail_ferry, ro_pax, ro_ro or container_ship")
            continue
        cap = _capacity(raw.get("capacity"), at, kind)
        if not any(cap.carries(u) for u in UNIT_TYPES):
            at("capacity", "the vessel can carry nothing; give a capacity > 0")
        speed = raw.get("speed_kn", 12.0)
        if not isinstance(speed, int | float) or speed <= 0:
            at("speed_kn", f"{speed!r} is not a speed in knots > 0")
            speed = 12.0
        avail_at = read.place(ff, row, "available_at", raw.get("available_at", ""))
        avail_from = raw.get("available_from")
        t_from = read.when(ff, row, "available_from", avail_from) if avail_from else start
        limit = raw.get("dangerous_limit")
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            at("dangerous_limit", f"{limit!r} is not a whole number of units >= 0")
            limit = None
        if avail_at and t_from:
            if hours(t_from) >= horizon_h:
                at("available_from", "the vessel becomes available after the horizon ends")
            vessels.append(Vessel(vid, str(raw.get("name", vid)), kind, cap, float(speed),
                                  avail_at, max(0.0, hours(t_from)), limit))
    if not vessels:
        problems.add(ff, "vessels", "vessels", "no vessels: list at least one")
    return vessels


def _read_sailings(read: _Reading, listed: list[Any], vessels: list[Vessel], used: set[str],
                   ports: Mapping[str, Port], hours: Callable[[datetime], float],
                   horizon_h: float) -> list[Sailing]:
    """The fleet file's sailings (assignment mode); the ports they call at join ``used``."""
    ff, problems = read.fleet, read.problems
    by_vessel = {v.id: v for v in vessels}
    sailings: list[Sailing] = []
    for i, raw in enumerate(listed):
        row = f"sailings[{i}]"
        vessel = by_vessel.get(str(raw.get("vessel", "")))
        if vessel is None:
            problems.add(ff, row, "vessel", f"unknown vessel {raw.get('vessel')!r}")
            continue
        origin = read.place(ff, row, "from", raw.get("from", ""))
        dest = read.place(ff, row, "to", raw.get("to", ""))
        dep = read.when(ff, row, "departure", raw.get("departure"))
        if not (origin and dest and dep):
            continue
        if origin == dest:
            problems.add(ff, row, "to", "same port as from")
            continue
        used |= {origin, dest}
        crossing = read.places.distance_nm(origin, dest) / vessel.speed_kn
        arr = read.when(ff, row, "arrival", raw["arrival"]) if "arrival" in raw else (
            dep + timedelta(hours=crossing))
        if arr is None:
            continue
        if arr <= dep:
            problems.add(ff, row, "arrival", "arrival is not after departure")
        cap = vessel.capacity
        if "capacity" in raw:
            def at_s(field: str, message: str, row: str = row) -> None:
                problems.add(ff, row, field, message)
            cap = _capacity(raw["capacity"], at_s, vessel.kind)
            for u in UNIT_TYPES:
                if cap.of(u) > vessel.capacity.of(u):
                    problems.add(ff, row, f"capacity.{u.value}",
                                 f"{cap.of(u)} exceeds vessel {vessel.id}'s capacity of "
                                 f"{vessel.capacity.of(u)} {u.value}s")
        d, a = hours(dep), hours(arr)
        if not 0 <= d < horizon_h:
            problems.add(ff, row, "departure", "departs outside the horizon")
        sailings.append(Sailing(str(raw.get("id", f"S{i + 1}")), vessel.id, origin, dest, d, a,
                                cap, vessel.dangerous_limit))
    return sailings


def _check_bookings(read: _Reading, bookings_raw: list[tuple[int, dict[str, Any]]],
                    vessels: list[Vessel], hours: Callable[[datetime], float],
                    horizon_h: float) -> list[Booking]:
    """The bookings in hours, each checked against the horizon and the fleet."""
    bf, problems = read.bookings, read.problems
    bookings: list[Booking] = []
    for line, rec in bookings_raw:
        b = Booking(rec["id"], rec["units"], rec["unit_type"], rec["origin"],
                    rec["destination"], hours(rec["ready"]),
                    hours(rec["due"]) if rec["due"] else None, rec["priority"],
                    rec["whole"], rec["dangerous"])
        if b.ready >= horizon_h:
            problems.add(bf, line, "ready", f"ready after the horizon of {horizon_h:g} h ends")
        if b.ready < 0:
            problems.add(bf, line, "ready", "ready before the start of the plan")
        reason = _no_vessel_reason(b, vessels)
        if reason:
            problems.add(bf, line, "unit_type",
                         f"booking {b.id}: no vessel can carry it ({reason})")
        bookings.append(b)
    return bookings


def _no_vessel_reason(b: Booking, vessels: list[Vessel]) -> str:
    able = [v for v in vessels if v.capacity.carries(b.unit_type)]
    if not able:
        return f"no vessel in the fleet takes {b.unit_type.value}s"
    if b.whole and not any(v.capacity.of(b.unit_type) >= b.units for v in able):
        best = max(v.capacity.of(b.unit_type) for v in able)
        return f"it is whole, {b.units} {b.unit_type.value}s, but the largest deck takes {best}"
    if b.dangerous:
        need = b.units if b.whole else 1
        if not any(v.dangerous_limit is None or v.dangerous_limit >= need for v in able):
            return "it is dangerous and no vessel that takes it allows that many dangerous units"
    return ""


def _costs(read: _Reading, raw: Mapping[str, Any]) -> Costs:
    """The fleet file's cost weights; an unknown or negative one is a problem."""
    known = set(Costs.__dataclass_fields__)
    values: dict[str, float] = {}
    for key, value in raw.items():
        if key not in known:
            read.problems.add(read.fleet, "costs", key,
                              f"unknown cost; use {', '.join(sorted(known))}")
        elif not isinstance(value, int | float) or value < 0:
            read.problems.add(read.fleet, "costs", key, f"{value!r} is not a number >= 0")
        else:
            values[key] = float(value)
    return Costs(**values)
