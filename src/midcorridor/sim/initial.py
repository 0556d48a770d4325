"""Where a run starts: cargo already in the corridor, vessel positions, ports closed from now.

By default a run starts from an empty corridor and needs a warm-up. A "what if, from today" run
starts instead from the corridor as it is (see :mod:`midcorridor.live`): every consignment
under way follows one of its demand stream's paths from the place it has reached, cargo waiting
at a port keeps the hours it has already waited, each vessel starts where it was seen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CargoAt:
    """A consignment under way at hour 0.

    ``place`` is the port where it waits for a vessel, or the next place of its path it will
    reach, ``eta_h`` hours from now (0: it is there). ``waited_h`` is how long it has already
    waited at a port. ``stream`` names the demand stream whose path it follows (its first
    variant that passes ``place``).
    """

    shipment: str
    stream: str
    units: int
    place: str
    eta_h: float = 0.0
    waited_h: float = 0.0


@dataclass(frozen=True)
class VesselAt:
    """A vessel at hour 0: at ``place`` (``eta_h`` 0) or sailing there, due in ``eta_h``."""

    vessel: str
    place: str
    eta_h: float = 0.0


@dataclass(frozen=True)
class Closure:
    """Ports closed from ``start_h`` for ``hours`` (a storm, a strike, a decision)."""

    ports: tuple[str, ...]
    hours: float
    start_h: float = 0.0


@dataclass(frozen=True)
class InitialState:
    """The corridor at hour 0 of a run; ``demand`` says whether new consignments keep coming."""

    cargo: tuple[CargoAt, ...] = ()
    vessels: tuple[VesselAt, ...] = ()
    demand: bool = True

    @property
    def empty(self) -> bool:
        """Whether nothing is under way: no cargo and no vessels placed."""
        return not self.cargo and not self.vessels
