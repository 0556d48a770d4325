"""The time-expanded network of rotation mode: where each vessel can be at each time step.

Time runs in steps of ``step_h`` hours. A vessel free at port ``p`` at step ``t`` may wait a
step, or take a voyage: it makes a port call at ``p`` (holding a berth for ``handling`` steps),
departs, crosses (``cross`` steps at its speed) and is free at ``q`` on arrival, where its next
call begins whenever it starts its next voyage. Departures and arrivals are not allowed while
the port is closed.

One port call costs ONE handling time (``Port.handling_h``), covering unloading the cargo the
vessel brought and loading the cargo it takes away, as the published figures are per vessel
call ("TITR protocol max vessel load/unload time 30 h; Baku actual average 2024 20.1 h",
Trend, 2025-06-03, https://en.trend.az/business/4052708.html; Kuryk "ferry turnaround 6-8 h",
Astana Times, 2021-08). The call is charged to the voyage that ends it, at its origin, so a
vessel arriving loaded and leaving empty, arriving empty and leaving loaded, or repositioning
empty both ways pays the same single call; a vessel's first voyage pays the call in which it
loads at its starting port. Cargo counts as delivered on arrival; unloading after a vessel's
last arrival falls into its next call, after the horizon, and holds no berth within it. A
vessel arriving at a port whose berths are all taken waits (at anchor, no berth) for one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.errors import InfeasibleError

if TYPE_CHECKING:
    from midcorridor.crossing.model import CrossingInstance, Port, Vessel


@dataclass(frozen=True)
class Voyage:
    """A possible voyage of one vessel; times in steps."""

    vessel: str
    origin: str
    destination: str
    start: int  # the port call at the origin begins (unload what came, load what goes)
    departure: int  # the call ends: start + one handling time of the origin
    arrival: int
    free: int  # free at the destination: the arrival (its next call there starts later)

    @property
    def id(self) -> str:
        """A readable id: vessel, origin, destination and departure step."""
        return f"{self.vessel}:{self.origin}>{self.destination}@{self.departure}"


@dataclass(frozen=True)
class TimeGrid:
    """Steps, handling and crossing times of an instance, and the voyages they allow."""

    step_h: float
    steps: int
    ports: tuple[str, ...]

    def handling(self, port: Port) -> int:
        """Steps of one port call (unloading and loading together) at ``port``."""
        return max(1, math.ceil(port.handling_h / self.step_h - 1e-9))

    def hours(self, step: int) -> float:
        """Hours from the start at ``step``."""
        return step * self.step_h

    def first_step(self, vessel: Vessel) -> int:
        """The first step at which ``vessel`` is available."""
        return math.ceil(vessel.available_from / self.step_h - 1e-9)


def make_grid(instance: CrossingInstance, step_h: float) -> TimeGrid:
    """The grid for ``instance``; raises :class:`InfeasibleError` when no voyage fits."""
    steps = math.floor(instance.horizon_h / step_h + 1e-9)
    grid = TimeGrid(step_h, steps, tuple(sorted(instance.ports)))
    if not any(voyages_from(instance, grid, v, v.available_at, t)
               for v in instance.vessels for t in range(grid.first_step(v), steps)):
        raise InfeasibleError(
            f"horizon of {instance.horizon_h:g} h allows no vessel a single voyage from where "
            "it is available (its port call and the crossing do not fit): lengthen the horizon "
            "or make vessels available earlier", status="infeasible horizon")
    return grid


def voyages_from(instance: CrossingInstance, grid: TimeGrid, vessel: Vessel, port: str,
                 step: int) -> list[Voyage]:
    """Voyages ``vessel`` can start at ``port`` at ``step`` (departing within the horizon)."""
    out: list[Voyage] = []
    origin = instance.ports[port]
    departure = step + grid.handling(origin)
    if departure >= grid.steps or origin.closed_at(grid.hours(departure)):
        return out
    for dest in grid.ports:
        if dest == port:
            continue
        cross = math.ceil(instance.crossing_h(vessel, port, dest) / grid.step_h - 1e-9)
        arrival = departure + max(1, cross)
        target = instance.ports[dest]
        if target.closed_at(grid.hours(arrival)):
            continue
        out.append(Voyage(vessel.id, port, dest, step, departure, arrival, arrival))
    return out


def berth_steps(voyage: Voyage) -> list[tuple[str, int]]:
    """The (port, step) pairs during which ``voyage`` holds a berth: its one call, at the origin."""
    return [(voyage.origin, t) for t in range(voyage.start, voyage.departure)]
