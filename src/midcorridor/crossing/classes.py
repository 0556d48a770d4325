"""Bookings grouped into classes of interchangeable cargo, and class loads split back.

Two divisible bookings are interchangeable when they share route, unit type, dangerous flag,
priority and due time, and can take exactly the same departures (their ready times fall
between the same two consecutive departures of their route). The waiting cost of a unit is
``priority * (departure - ready)``: its ``ready`` part does not depend on the sailing chosen,
so solving over classes is exact. Whole bookings are classes of their own.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.crossing.baseline import fifo_order

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from midcorridor.crossing.model import Booking, UnitType

Route = tuple[str, str]


@dataclass(frozen=True)
class CargoClass:
    """Interchangeable bookings, solved for as one quantity of ``units``."""

    members: tuple[Booking, ...]
    first_departure: int  # index into the sorted departure times of its route

    @property
    def head(self) -> Booking:
        """The first booking of the class, which stands for all of them."""
        return self.members[0]

    @property
    def units(self) -> int:
        """The units of all the bookings of the class."""
        return sum(b.units for b in self.members)

    @property
    def route(self) -> Route:
        """The (origin, destination) of the class."""
        return (self.head.origin, self.head.destination)

    @property
    def whole(self) -> bool:
        """Whether the class's cargo must cross on one sailing, never split."""
        return self.head.whole


def group_bookings(
    bookings: Iterable[Booking], departures: Mapping[Route, Sequence[float]]
) -> list[CargoClass]:
    """Group ``bookings``; ``departures`` holds the sorted departure times of each route."""
    groups: dict[tuple[object, ...], list[Booking]] = {}
    for b in fifo_order(bookings):
        times = departures.get((b.origin, b.destination), ())
        first = bisect.bisect_left(times, b.ready - 1e-9)
        key: tuple[object, ...] = (
            (b.id,) if b.whole
            else (b.origin, b.destination, b.unit_type, b.dangerous, b.priority, b.due, first)
        )
        groups.setdefault(key, []).append(b)
    return [
        CargoClass(tuple(members), bisect.bisect_left(
            departures.get((members[0].origin, members[0].destination), ()),
            members[0].ready - 1e-9))
        for members in groups.values()
    ]


def split_class(cargo: CargoClass, loads: Sequence[tuple[str, float, int]]) -> list[
        tuple[str, str, int]]:
    """Share ``(sailing, departure, units)`` loads among the members, earliest ready first.

    Returns ``(booking, sailing, units)`` triples.
    """
    out: list[tuple[str, str, int]] = []
    members = list(cargo.members)  # already in FIFO order
    left = [b.units for b in members]
    i = 0
    for sailing, _, units in sorted(loads, key=lambda x: (x[1], x[0])):
        rest = units
        while rest > 0 and i < len(members):
            take = min(rest, left[i])
            if take > 0:
                out.append((members[i].id, sailing, take))
            rest -= take
            left[i] -= take
            if left[i] == 0:
                i += 1
    return out


def unit_of(cargo: CargoClass) -> UnitType:
    """The unit type of a cargo class."""
    return cargo.head.unit_type
