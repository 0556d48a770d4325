"""First come, first served for rotation mode: today's practice with the vessels given.

A free vessel loads the cargo waiting at its port in order of arrival, for the destination
of the oldest waiting cargo it can carry, and leaves when its deck is full (95 %) or when it
has waited ``dwell_h`` (its schedule). With nothing to load it waits ``dwell_h``, then sails
empty to the port with most cargo waiting. Each departure ends one port call of one handling
time, unloading what the vessel brought and loading what it takes, exactly as in the MILP
(:mod:`timegrid`), so at most ``dwell_h`` plus one handling time pass between arrival and
departure. Berths and closures are respected as in the MILP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.crossing.baseline import Deck, fifo_order
from midcorridor.crossing.model import Booking, CrossingInstance, Sailing, Vessel
from midcorridor.crossing.result import Assignment
from midcorridor.crossing.timegrid import TimeGrid, Voyage, berth_steps, voyages_from

if TYPE_CHECKING:
    from collections.abc import Sequence

FULL = 0.95  # share of the deck at which a vessel counts as full


@dataclass
class _Waiting:
    booking: Booking
    units: int


def voyage_sailing(voyage: Voyage, vessel: Vessel, grid: TimeGrid) -> Sailing:
    """The sailing a voyage makes, in hours."""
    return Sailing(voyage.id, vessel.id, voyage.origin, voyage.destination,
                   grid.hours(voyage.departure), grid.hours(voyage.arrival), vessel.capacity,
                   vessel.dangerous_limit)


def _load(queue: Sequence[_Waiting], deck: Deck, dest: str) -> list[tuple[_Waiting, int]]:
    loads: list[tuple[_Waiting, int]] = []
    for entry in queue:
        b = entry.booking
        if b.destination != dest or entry.units == 0 or b.ready > deck.sailing.departure:
            continue
        take = min(entry.units, deck.room_for(b))
        if take <= 0 or (b.whole and take < entry.units):
            continue
        deck.load(b, take)
        loads.append((entry, take))
    return loads


def fifo_rotation(instance: CrossingInstance, grid: TimeGrid, dwell_h: float = 24.0
                  ) -> tuple[list[Voyage], list[Sailing], list[Assignment]]:
    """Simulate first come, first served; returns voyages, their sailings and the loading."""
    dwell = max(1, math.ceil(dwell_h / grid.step_h))
    queues: dict[str, list[_Waiting]] = {p: [] for p in grid.ports}
    for b in fifo_order(instance.bookings):
        queues[b.origin].append(_Waiting(b, b.units))
    state = {v.id: (v.available_at, grid.first_step(v), grid.first_step(v))
             for v in instance.vessels}
    vessels = sorted(instance.vessels, key=lambda v: v.id)
    berth: dict[tuple[str, int], int] = {}
    voyages: list[Voyage] = []
    sailings: list[Sailing] = []
    out: list[Assignment] = []

    def berth_free(voyage: Voyage) -> bool:
        return all(berth.get(k, 0) < instance.ports[k[0]].berths for k in berth_steps(voyage))

    for step in range(grid.steps):
        for vessel in vessels:
            port, free, idle = state[vessel.id]
            if free > step:
                continue
            options = {v.destination: v for v in voyages_from(instance, grid, vessel, port, step)}
            if not options:
                continue
            dep_h = grid.hours(next(iter(options.values())).departure)
            waiting = [e for e in queues[port] if e.units > 0 and e.booking.ready <= dep_h
                       and vessel.capacity.carries(e.booking.unit_type)
                       and e.booking.destination in options]
            voyage: Voyage | None = None
            loads: list[tuple[_Waiting, int]] = []
            if waiting:
                candidate = options[waiting[0].booking.destination]
                deck = Deck(voyage_sailing(candidate, vessel, grid))
                loads = _load(waiting, deck, candidate.destination)
                if loads and (deck.used >= FULL or step - idle >= dwell):
                    voyage = candidate
            elif step - idle >= dwell:
                counts = {p: sum(e.units for e in q if e.booking.ready <= grid.hours(step)
                                 and vessel.capacity.carries(e.booking.unit_type))
                          for p, q in queues.items() if p in options}
                best = max(counts, key=lambda p: (counts[p], p), default=None)
                if best is not None and counts[best] > 0:
                    voyage = options[best]
            if voyage is None or not berth_free(voyage):
                continue
            for key in berth_steps(voyage):
                berth[key] = berth.get(key, 0) + 1
            voyages.append(voyage)
            sailings.append(voyage_sailing(voyage, vessel, grid))
            for entry, take in loads:
                entry.units -= take
                out.append(Assignment(entry.booking.id, voyage.id, take))
            state[vessel.id] = (voyage.destination, voyage.free, voyage.free)
    return voyages, sailings, out
