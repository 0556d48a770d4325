"""What the crossing's two input files share while they are read: their names, the Caspian
ports places are resolved against, times with a UTC offset, and the problems found so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from midcorridor.network.reading import Problems

if TYPE_CHECKING:
    from midcorridor.crossing.ports import CaspianPorts


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp that carries a UTC offset; ``ValueError`` otherwise."""
    value = datetime.fromisoformat(str(text).strip())
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; write e.g. {text}+04:00")
    return value


@dataclass
class Reading:
    """The two input files being read: their names, the Caspian ports, the problems found."""

    fleet: str
    bookings: str
    places: CaspianPorts
    problems: Problems = field(default_factory=Problems)

    def place(self, file: str, row: int | str, name: str, text: Any) -> str | None:
        """The port a place name or code means, or None after recording why not."""
        try:
            return self.places.resolve(str(text))
        except ValueError as exc:
            self.problems.add(file, row, name, str(exc))
            return None

    def when(self, file: str, row: int | str, name: str, text: Any) -> datetime | None:
        """The time written, or None after recording why it is not one."""
        try:
            return parse_time(text)
        except (TypeError, ValueError) as exc:
            self.problems.add(file, row, name, f"not an ISO 8601 time with offset: {exc}")
            return None
