"""Identical vessels grouped into classes, and a class's integer flow split back into vessels.

On the time grid two vessels are interchangeable when they have the same kind, deck,
dangerous-goods limit and the same crossing time (in steps) on every route: they can make
exactly the same voyages. Rotation mode plans each class as one integer flow (several
sources: wherever and whenever its vessels become free), which removes the symmetry between
identical vessels. Any integer flow decomposes into one path per vessel; the cargo a class
voyage carries is then packed onto the vessels that make it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from midcorridor.crossing.model import Booking, CrossingInstance, UnitType, Vessel
from midcorridor.crossing.result import Assignment

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from midcorridor.crossing.baseline import Deck
    from midcorridor.crossing.timegrid import TimeGrid, Voyage


@dataclass(frozen=True)
class VesselClass:
    """Vessels that can make the same voyages with the same deck; planned as one flow."""

    id: str
    members: tuple[Vessel, ...]

    @property
    def head(self) -> Vessel:
        """The member whose data (deck, speed) stands for the class."""
        return self.members[0]

    @property
    def size(self) -> int:
        """The number of vessels in the class."""
        return len(self.members)

    def starts(self, grid: TimeGrid) -> dict[tuple[str, int], int]:
        """How many members become free at each (port, step)."""
        out: dict[tuple[str, int], int] = {}
        for v in self.members:
            node = (v.available_at, grid.first_step(v))
            out[node] = out.get(node, 0) + 1
        return out


def vessel_classes(instance: CrossingInstance, grid: TimeGrid) -> list[VesselClass]:
    """The classes of interchangeable vessels of ``instance`` on ``grid``."""
    routes = [(a, b) for a in grid.ports for b in grid.ports if a != b]
    groups: dict[tuple[object, ...], list[Vessel]] = {}
    for v in sorted(instance.vessels, key=lambda v: (v.available_from, v.id)):
        steps = tuple(math.ceil(instance.crossing_h(v, a, b) / grid.step_h - 1e-9)
                      for a, b in routes)
        groups.setdefault((v.kind, v.capacity, v.dangerous_limit, steps), []).append(v)
    return [VesselClass(f"C{i}|{members[0].id}", tuple(members))
            for i, members in enumerate(groups.values())]


@dataclass
class _Left:
    voyage: Voyage
    count: int


def decompose(cls: VesselClass, grid: TimeGrid, waits: Mapping[tuple[str, int], int],
              voyages: Mapping[tuple[str, int], Sequence[tuple[Voyage, int]]]
              ) -> dict[str, list[Voyage]]:
    """Split the class's integer flow into one path per member: the voyages each makes.

    ``waits[(port, t)]`` is how many members wait a step there; ``voyages[(port, t)]`` the
    class voyages starting there with how many members make each. Flow conservation makes
    the greedy walk always find a way on.
    """
    wait_left = dict(waits)
    voyage_left = {k: [_Left(v, n) for v, n in vs if n > 0] for k, vs in voyages.items()}
    out: dict[str, list[Voyage]] = {}
    for vessel in cls.members:
        port, t = vessel.available_at, grid.first_step(vessel)
        path: list[Voyage] = []
        while t < grid.steps:
            taken = next((e for e in voyage_left.get((port, t), []) if e.count > 0), None)
            if taken is not None:
                taken.count -= 1
                v = taken.voyage
                path.append(replace(v, vessel=vessel.id))
                port, t = v.destination, v.free
                continue
            if wait_left.get((port, t), 0) <= 0:
                break  # should not happen with a conserving flow; the vessel stays put
            wait_left[(port, t)] -= 1
            t += 1
        out[vessel.id] = path
    return out


def pack(loads: Sequence[Assignment], bookings: Mapping[str, Booking],
         decks: Sequence[Deck]) -> tuple[list[Assignment], int]:
    """Pack the cargo one class voyage carries onto the decks of the vessels making it.

    Units go first-fit, one unit type after the other and dangerous goods first, so decks of
    one type fill completely before the next type starts. Returns the loading and how many
    units did not fit (possible only for mixed decks, where the class-level deck row is a
    relaxation); those units stay behind and are counted as such.
    """
    def order(a: Assignment) -> tuple[int, int, str]:
        b = bookings[a.booking]
        return (list(UnitType).index(b.unit_type), 0 if b.dangerous else 1, b.id)

    out: list[Assignment] = []
    lost = 0
    for a in sorted(loads, key=order):
        b, rest = bookings[a.booking], a.units
        for deck in decks:
            take = min(rest, deck.room_for(b))
            if take > 0:
                deck.load(b, take)
                out.append(Assignment(b.id, deck.sailing.id, take))
                rest -= take
            if rest == 0:
                break
        lost += rest
    return out, lost
