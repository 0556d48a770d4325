"""The vessels of ``fleet.yaml`` (type, deck, speed, where and when each is free) and, in
assignment mode, the sailings given for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from midcorridor.crossing.model import CARRIES, UNIT_TYPES, Capacity, Sailing, UnitType, Vessel
from midcorridor.network.model import VesselKind

if TYPE_CHECKING:
    from datetime import datetime

    from midcorridor.crossing.io.reading import Reading
    from midcorridor.crossing.model import Port


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


def read_vessels(read: Reading, fleet: Mapping[str, Any], start: datetime, horizon_h: float,
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


def read_sailings(read: Reading, listed: list[Any], vessels: list[Vessel], used: set[str],
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
