"""Immutable data of one Caspian crossing problem: bookings, vessels, ports, sailings, closures.

Times are hours since the instance's ``start`` (a timezone-aware datetime); ``io`` converts
ISO 8601 timestamps at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from midcorridor.network.model import Capacity, UnitType, VesselKind

if TYPE_CHECKING:
    from collections.abc import Mapping


UNIT_TYPES: tuple[UnitType, ...] = (UnitType.RAILCAR, UnitType.TEU, UnitType.TRUCK)

# Which unit types each kind of vessel may carry (railcars need rails, trucks a Ro-Ro deck).
CARRIES: Mapping[VesselKind, frozenset[UnitType]] = MappingProxyType({
    VesselKind.RAIL_FERRY: frozenset({UnitType.RAILCAR, UnitType.TRUCK, UnitType.TEU}),
    VesselKind.RO_PAX: frozenset({UnitType.RAILCAR, UnitType.TRUCK, UnitType.TEU}),
    VesselKind.RO_RO: frozenset({UnitType.TRUCK, UnitType.TEU}),
    VesselKind.CONTAINER_SHIP: frozenset({UnitType.TEU}),
})


@dataclass(frozen=True)
class Booking:
    """Cargo waiting to cross: ``units`` of one type, ready at the origin port at ``ready`` h."""

    id: str
    units: int
    unit_type: UnitType
    origin: str
    destination: str
    ready: float
    due: float | None = None
    priority: float = 1.0
    whole: bool = False
    dangerous: bool = False


@dataclass(frozen=True)
class Vessel:
    """A ferry or container ship: capacity, speed, where and when it is first available."""

    id: str
    name: str
    kind: VesselKind
    capacity: Capacity
    speed_kn: float = 12.0
    available_at: str = ""
    available_from: float = 0.0
    dangerous_limit: int | None = None


@dataclass(frozen=True)
class Closure:
    """A port closed (storm) from ``start`` to ``end`` hours: no departure or arrival."""

    port: str
    start: float
    end: float


@dataclass(frozen=True)
class Port:
    """A Caspian port: berths for ferries, and ``handling_h`` hours per vessel call.

    One call (unloading what the vessel brought and loading what it takes) costs one
    ``handling_h``; the published figures are per call (Trend, 2025-06-03).
    """

    id: str
    name: str
    berths: int = 1
    handling_h: float = 6.0
    closures: tuple[Closure, ...] = ()

    def closed_at(self, t: float) -> bool:
        """Whether the port is closed at hour ``t``."""
        return any(c.start <= t < c.end for c in self.closures)


@dataclass(frozen=True)
class Sailing:
    """One voyage of a vessel from one port to another (given in assignment mode)."""

    id: str
    vessel: str
    origin: str
    destination: str
    departure: float
    arrival: float
    capacity: Capacity
    dangerous_limit: int | None = None


@dataclass(frozen=True)
class Costs:
    """Objective weights: hours of waiting are weighted by priority; penalties are in hours.

    A unit left behind costs as if it left ``left_behind_h`` after the end of the horizon;
    each hour late against a due time costs ``lateness_weight`` waiting hours.
    """

    left_behind_h: float = 72.0
    lateness_weight: float = 1.0
    # Waiting-hour equivalent of one sailing (fuel), rotation mode only; the default only breaks
    # ties against needless sailings; raise it to trade sailings against waiting.
    sailing_h: float = 1.0


@dataclass(frozen=True)
class CrossingInstance:
    """Everything one optimization run needs; ``sailings`` is empty in rotation mode."""

    start: datetime
    horizon_h: float
    bookings: tuple[Booking, ...]
    vessels: tuple[Vessel, ...]
    ports: Mapping[str, Port]
    sailings: tuple[Sailing, ...] = ()
    distances_nm: Mapping[tuple[str, str], float] = field(default_factory=dict)
    costs: Costs = Costs()

    def __post_init__(self) -> None:
        object.__setattr__(self, "ports", MappingProxyType(dict(self.ports)))
        object.__setattr__(self, "distances_nm", MappingProxyType(dict(self.distances_nm)))
        object.__setattr__(self, "bookings", tuple(self.bookings))
        object.__setattr__(self, "vessels", tuple(self.vessels))
        object.__setattr__(self, "sailings", tuple(self.sailings))

    def at(self, hours: float) -> datetime:
        """The timestamp ``hours`` after the start."""
        return self.start + timedelta(hours=hours)

    def vessel(self, vessel_id: str) -> Vessel:
        """The vessel with id ``vessel_id``."""
        for vessel in self.vessels:
            if vessel.id == vessel_id:
                return vessel
        raise KeyError(vessel_id)

    def crossing_h(self, vessel: Vessel, origin: str, destination: str) -> float:
        """Hours at sea from ``origin`` to ``destination`` at the vessel's speed."""
        miles = self.distances_nm.get((origin, destination))
        if miles is None:
            miles = self.distances_nm[(destination, origin)]
        return miles / vessel.speed_kn

    @property
    def total_units(self) -> int:
        """The units of all the bookings."""
        return sum(b.units for b in self.bookings)
