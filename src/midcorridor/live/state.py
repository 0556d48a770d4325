"""The corridor at one moment: cargo waiting at the Caspian ports, due there soon, on the way.

:func:`corridor_state` folds each shipment's :class:`Whereabouts` (where its events put it) and
each vessel's last sighting into one immutable :class:`CorridorState`. Units are counted per
unit type of the crossing (railcar, TEU, truck); a shipment counts as waiting at a port from its
arrival there until its departure, so per port ``arrived - departed == waiting`` holds by
construction of the position (see :mod:`midcorridor.live.position`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from midcorridor.crossing.model import UnitType

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from midcorridor.live.closures import PostedClosure

OVERDUE_LIMIT_H = 72.0
"""A shipment expected at its port more than this many hours ago, with no news since, is not
counted as due there (its whereabouts are unknown, not imminent)."""


@dataclass(frozen=True)
class UnitCounts:
    """Units per crossing unit type."""

    railcar: int = 0
    teu: int = 0
    truck: int = 0

    def plus(self, unit_type: UnitType, units: int) -> UnitCounts:
        """A copy with ``units`` more of ``unit_type``."""
        return UnitCounts(**{**self.to_dict(), unit_type.value: self.of(unit_type) + units})

    @classmethod
    def of_types(cls, by_type: Mapping[UnitType, int]) -> UnitCounts:
        """Counts from units per unit type (missing types count 0)."""
        return cls(*(by_type.get(u, 0) for u in (UnitType.RAILCAR, UnitType.TEU,
                                                 UnitType.TRUCK)))

    def of(self, unit_type: UnitType) -> int:
        """The count of ``unit_type``."""
        return int(getattr(self, unit_type.value))

    @property
    def total(self) -> int:
        """The units of all types."""
        return self.railcar + self.teu + self.truck

    def to_dict(self) -> dict[str, int]:
        """The counts as JSON-ready values."""
        return {"railcar": self.railcar, "teu": self.teu, "truck": self.truck}


def crossing_units(cargo_teu: float, cargo_units: int, arriving_mode: str) -> tuple[UnitType, int]:
    """How a shipment's cargo counts on a Caspian deck: containers in TEU, else one railcar (or
    truck, when it arrives by road) per cargo unit, at least one.
    """
    if cargo_teu > 0:
        return UnitType.TEU, max(1, math.ceil(cargo_teu - 1e-9))
    unit = UnitType.TRUCK if arriving_mode == "road" else UnitType.RAILCAR
    return unit, max(1, cargo_units)


@dataclass(frozen=True)
class Whereabouts:
    """Where one shipment is at a moment, as far as its events tell.

    ``place`` is where it stands (arrived, not yet departed), ``segment`` the (origin,
    destination) of the leg it is on; at most one of them is set, neither before the first
    event or after the final arrival. ``next_port`` is the next Caspian port it has still to
    reach and ``next_port_eta`` when it is expected there.
    """

    shipment_id: int
    unit_type: UnitType
    units: int
    place: str = ""
    since: datetime | None = None
    segment: tuple[str, str] | None = None
    next_port: str = ""
    next_port_eta: datetime | None = None


AT_PORT = frozenset({"at_berth", "anchored"})
"""The vessel statuses of a vessel at a port (at a berth or off it, at its anchorage)."""


@dataclass(frozen=True)
class VesselState:
    """A vessel's last known status: ``at_berth`` in ``place``, ``anchored`` off it (arrived
    at its anchorage, waiting for a berth), ``at_sea`` having left ``place``, or ``unknown``
    (no event names it).
    """

    id: str
    name: str
    status: str
    place: str = ""
    since: datetime | None = None


@dataclass(frozen=True)
class PortState:
    """One Caspian port: units waiting (and whose), and units due within the window."""

    place: str
    waiting: UnitCounts
    shipments: tuple[int, ...]
    oldest_wait_h: float | None
    arriving: UnitCounts
    arriving_shipments: tuple[int, ...]
    closure: PostedClosure | None = None  # a posted closure in force there


@dataclass(frozen=True)
class SegmentState:
    """How many shipments, and units, are on one leg between two places."""

    origin: str
    destination: str
    units: UnitCounts
    shipments: int


@dataclass(frozen=True)
class CorridorState:
    """The live corridor at ``as_of``; ``window_h`` is the look-ahead of ``arriving``."""

    as_of: datetime
    window_h: float
    ports: tuple[PortState, ...]
    vessels: tuple[VesselState, ...] = ()
    segments: tuple[SegmentState, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    def port(self, place: str) -> PortState:
        """The state of the port at ``place``."""
        for port in self.ports:
            if port.place == place:
                return port
        raise KeyError(place)


def _counts(by_type: dict[UnitType, int]) -> UnitCounts:
    return UnitCounts.of_types(by_type)


def corridor_state(
    whereabouts: Iterable[Whereabouts],
    *,
    ports: Iterable[str],
    at: datetime,
    window_h: float = 72.0,
    vessels: Iterable[VesselState] = (),
    segments: Iterable[SegmentState] | None = None,
) -> CorridorState:
    """Fold shipments' whereabouts into the state of the corridor at ``at``.

    Every port of ``ports`` appears (empty or not); segments appear when someone is on them.
    ``segments``, when given, are taken as they are (counted elsewhere, e.g. by the database)
    instead of from the whereabouts.
    """
    port_ids = sorted(set(ports))
    waiting: dict[str, dict[UnitType, int]] = {p: {} for p in port_ids}
    waiting_ids: dict[str, list[int]] = {p: [] for p in port_ids}
    oldest: dict[str, datetime] = {}
    arriving: dict[str, dict[UnitType, int]] = {p: {} for p in port_ids}
    arriving_ids: dict[str, list[int]] = {p: [] for p in port_ids}
    moving: dict[tuple[str, str], tuple[dict[UnitType, int], list[int]]] = {}
    horizon = at + timedelta(hours=window_h)
    stale = at - timedelta(hours=OVERDUE_LIMIT_H)
    count_segments = segments is None
    for w in whereabouts:
        if w.place in waiting:
            here = waiting[w.place]
            here[w.unit_type] = here.get(w.unit_type, 0) + w.units
            waiting_ids[w.place].append(w.shipment_id)
            if w.since is not None and (w.place not in oldest or w.since < oldest[w.place]):
                oldest[w.place] = w.since
        elif w.segment is not None and count_segments:
            units, ids = moving.setdefault(w.segment, ({}, []))
            units[w.unit_type] = units.get(w.unit_type, 0) + w.units
            ids.append(w.shipment_id)
        if (w.next_port in arriving and w.next_port_eta is not None
                and stale <= w.next_port_eta <= horizon):
            due = arriving[w.next_port]
            due[w.unit_type] = due.get(w.unit_type, 0) + w.units
            arriving_ids[w.next_port].append(w.shipment_id)
    port_states = tuple(
        PortState(
            place=p, waiting=_counts(waiting[p]), shipments=tuple(sorted(waiting_ids[p])),
            oldest_wait_h=(round(max(0.0, (at - oldest[p]).total_seconds() / 3600), 2)
                           if p in oldest else None),
            arriving=_counts(arriving[p]), arriving_shipments=tuple(sorted(arriving_ids[p])),
        )
        for p in port_ids
    )
    if segments is None:
        segments = (SegmentState(o, d, _counts(units), len(ids))
                    for (o, d), (units, ids) in moving.items())
    return CorridorState(as_of=at, window_h=window_h, ports=port_states,
                         vessels=tuple(sorted(vessels, key=lambda v: v.id)),
                         segments=tuple(sorted(segments, key=lambda s: (s.origin,
                                                                        s.destination))))
