"""Posted closures of the Caspian ports: which one is in force at a port at a moment.

A closure names one port (its node id) or the whole sea (:data:`CASPIAN`) and a window
``[start, end)``; the corridor state shows a port closed while one is in force there, and the
crossing plans sail around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

CASPIAN = "caspian"
"""The place of a closure of every Caspian port at once."""


@dataclass(frozen=True)
class PostedClosure:
    """A closure as posted: ``place`` (a port id or :data:`CASPIAN`) from ``start`` to
    ``end``, and why.
    """

    id: int
    place: str
    start: datetime
    end: datetime
    reason: str

    def covers(self, port: str) -> bool:
        """Whether the closure closes ``port``."""
        return self.place == CASPIAN or self.place == port

    def in_force(self, at: datetime) -> bool:
        """Whether the closure holds at ``at``."""
        return self.start <= at < self.end


def in_force(closures: Iterable[PostedClosure], port: str, at: datetime) -> PostedClosure | None:
    """The closure of ``port`` in force at ``at`` that ends last (None when it is open)."""
    found = [c for c in closures if c.covers(port) and c.in_force(at)]
    return max(found, key=lambda c: (c.end, c.id)) if found else None
