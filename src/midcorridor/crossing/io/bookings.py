r"""``bookings.csv``: one row per booking, read into typed records and then checked against
the horizon and the fleet as :class:`Booking`\ s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.crossing.model import Booking, UnitType
from midcorridor.errors import DataError, Problem
from midcorridor.network.csvfile import read_table
from midcorridor.network.reading import At

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path

    from midcorridor.crossing.io.reading import Reading
    from midcorridor.crossing.model import Vessel

BOOKING_COLUMNS = ("id", "units", "unit_type", "origin", "destination", "ready")


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


def read_bookings(
    read: Reading, rows: list[tuple[int, dict[str, str]]]
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


def check_bookings(read: Reading, bookings_raw: list[tuple[int, dict[str, Any]]],
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
