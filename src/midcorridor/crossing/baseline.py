"""First come, first served: today's practice, the baseline every plan is compared with.

Cargo is loaded in order of arrival at the port (ties by booking id) on the first sailing
that still has room for it; a whole booking waits for a sailing with room for all of it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from midcorridor.crossing.result import Assignment

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from midcorridor.crossing.model import Booking, Sailing

EPS = 1e-9


class Deck:
    """The free deck space and dangerous-goods allowance of one sailing while it is loaded."""

    def __init__(self, sailing: Sailing):
        self.sailing = sailing
        self.used = 0.0  # share of the deck in use, 0..1
        self.dangerous = 0

    def room_for(self, booking: Booking) -> int:
        """How many more units of ``booking`` fit."""
        cap = self.sailing.capacity.of(booking.unit_type)
        if cap <= 0:
            return 0
        room = math.floor((1.0 - self.used) * cap + EPS)
        limit = self.sailing.dangerous_limit
        if booking.dangerous and limit is not None:
            room = min(room, limit - self.dangerous)
        return max(0, room)

    def load(self, booking: Booking, units: int) -> None:
        """Put ``units`` of ``booking`` on this sailing's deck."""
        self.used += units / self.sailing.capacity.of(booking.unit_type)
        if booking.dangerous:
            self.dangerous += units


def fifo_order(bookings: Iterable[Booking]) -> list[Booking]:
    """Bookings in the order they reach the port."""
    return sorted(bookings, key=lambda b: (b.ready, b.id))


def fifo_assignment(
    bookings: Iterable[Booking], sailings: Sequence[Sailing]
) -> list[Assignment]:
    """Load ``bookings`` first come, first served on the given ``sailings``."""
    decks = [Deck(s) for s in sorted(sailings, key=lambda s: (s.departure, s.id))]
    by_route: dict[tuple[str, str], list[Deck]] = {}
    for deck in decks:
        by_route.setdefault((deck.sailing.origin, deck.sailing.destination), []).append(deck)
    out: list[Assignment] = []
    for booking in fifo_order(bookings):
        rest = booking.units
        for deck in by_route.get((booking.origin, booking.destination), []):
            if rest == 0:
                break
            if deck.sailing.departure < booking.ready:
                continue
            room = deck.room_for(booking)
            take = min(rest, room)
            if take <= 0 or (booking.whole and take < booking.units):
                continue
            deck.load(booking, take)
            out.append(Assignment(booking.id, deck.sailing.id, take))
            rest -= take
    return out
