"""The time-expanded network of rotation mode: where each vessel can be at each time step.

Time runs in steps of ``step_h`` hours. A vessel free at port ``p`` at step ``t`` may wait a
step, or take a voyage: it occupies a berth at ``p`` while loading (``load`` steps), departs,
crosses (``cross`` steps at its speed), occupies a berth at ``q`` while unloading and is free
there again. Departures and arrivals are not allowed while the port is closed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from midcorridor.crossing.model import CrossingInstance, Port, Vessel
from midcorridor.errors import InfeasibleError


@dataclass(frozen=True)
class Voyage:
    """A possible voyage of one vessel; times in steps."""

    vessel: str
    origin: str
    destination: str
    start: int  # free at origin, loading begins
    departure: int
    arrival: int
    free: int  # unloaded, free at the destination

    @property
    def id(self) -> str:
        return f"{self.vessel}:{self.origin}>{self.destination}@{self.departure}"


@dataclass(frozen=True)
class TimeGrid:
    """Steps, handling and crossing times of an instance, and the voyages they allow."""

    step_h: float
    steps: int
    ports: tuple[str, ...]

    def handling(self, port: Port) -> int:
        return max(1, math.ceil(port.handling_h / self.step_h - 1e-9))

    def hours(self, step: int) -> float:
        return step * self.step_h

    def first_step(self, vessel: Vessel) -> int:
        return math.ceil(vessel.available_from / self.step_h - 1e-9)


def make_grid(instance: CrossingInstance, step_h: float) -> TimeGrid:
    """The grid for ``instance``; raises :class:`InfeasibleError` when no voyage fits."""
    steps = math.floor(instance.horizon_h / step_h + 1e-9)
    grid = TimeGrid(step_h, steps, tuple(sorted(instance.ports)))
    if not any(voyages_from(instance, grid, v, v.available_at, t)
               for v in instance.vessels for t in range(grid.first_step(v), steps)):
        raise InfeasibleError(
            f"horizon of {instance.horizon_h:g} h allows no vessel a single voyage from where "
            "it is available (loading, crossing and unloading do not fit): lengthen the horizon "
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
        out.append(Voyage(vessel.id, port, dest, step, departure, arrival,
                          arrival + grid.handling(target)))
    return out


def berth_steps(voyage: Voyage) -> list[tuple[str, int]]:
    """The (port, step) pairs during which ``voyage`` holds a berth."""
    return [(voyage.origin, t) for t in range(voyage.start, voyage.departure)] + [
        (voyage.destination, t) for t in range(voyage.arrival, voyage.free)]
