"""The ports of ``fleet.yaml``: berths, handling time and closures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.crossing.model import Closure, Port

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from midcorridor.crossing.io.reading import Reading


def read_ports(
    read: Reading, fleet: Mapping[str, Any]
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


def close_ports(
    read: Reading,
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
