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

One module per part of the input: :mod:`.bookings`, :mod:`.fleet` (the document and its
cost weights), :mod:`.ports`, :mod:`.vessels` (vessels and sailings), and :mod:`.reading`
(what they share while reading).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from midcorridor.crossing.io.bookings import (
    BOOKING_COLUMNS,
    check_bookings,
    read_booking_rows,
    read_bookings,
)
from midcorridor.crossing.io.fleet import DEFAULT_HORIZON_H, read_costs, read_fleet_document
from midcorridor.crossing.io.ports import close_ports, read_ports
from midcorridor.crossing.io.reading import Reading, parse_time
from midcorridor.crossing.io.vessels import read_sailings, read_vessels
from midcorridor.crossing.model import CrossingInstance, Port
from midcorridor.crossing.ports import CaspianPorts
from midcorridor.errors import DataError, Problem

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from midcorridor.network.model import Network

__all__ = [
    "BOOKING_COLUMNS",
    "DEFAULT_HORIZON_H",
    "load_instance",
    "parse_time",
    "read_booking_rows",
    "read_fleet_document",
]


def load_instance(bookings_path: Path, fleet_path: Path, network: Network, *,
                  mode: str = "assignment") -> CrossingInstance:
    """Read and check the two input files; raises :class:`DataError` listing every problem."""
    fleet = read_fleet_document(fleet_path)
    rows = read_booking_rows(bookings_path)
    read = Reading(fleet_path.name, bookings_path.name, CaspianPorts(network))
    problems = read.problems
    ports, raw_closures = read_ports(read, fleet)
    bookings_raw = read_bookings(read, rows)
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

    close_ports(read, ports, raw_closures, hours)
    vessels = read_vessels(read, fleet, start, horizon_h, hours)
    problems.raise_any()
    used = {b["origin"] for _, b in bookings_raw} | {b["destination"] for _, b in bookings_raw}
    used |= {v.available_at for v in vessels}
    # rotation mode decides the sailings itself: a sailings list is then ignored
    listed = (fleet.get("sailings") or []) if mode == "assignment" else []
    sailings = read_sailings(read, listed, vessels, used, ports, hours, horizon_h)
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
    bookings = check_bookings(read, bookings_raw, vessels, hours, horizon_h)
    costs = read_costs(read, fleet.get("costs") or {})
    problems.raise_any()
    return CrossingInstance(start, horizon_h, tuple(bookings), tuple(vessels), ports,
                            tuple(sailings), distances, costs)
