"""The raw result of one replication: flat rows that KPIs and reports are computed from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from midcorridor.sim.model import Variant

# (hour, code, place, vehicle, units): see ``processes.state.Milestone``.
Milestone = tuple[float, str, str, str, int]


@dataclass(frozen=True)
class Waybill:
    """What a consignment's waybill says: its number, demand stream, route variant, units and
    their kind, TEU, and the hour it was created.
    """

    id: int
    stream: str
    variant: Variant
    units: int
    unit_kind: str
    teu: float
    created_h: float


@dataclass(frozen=True)
class ConsignmentTrace(Waybill):
    """What happened to one consignment: its waybill, path and milestones (``delivered_h``
    None while it is still under way at the end of the run).
    """

    delivered_h: float | None
    milestones: tuple[Milestone, ...]

    @classmethod
    def of(
        cls, waybill: Waybill, delivered_h: float | None, milestones: Iterable[Milestone]
    ) -> ConsignmentTrace:
        """The trace of the consignment of ``waybill``."""
        return cls(**vars(waybill), delivered_h=delivered_h, milestones=tuple(milestones))

    def until(self, hour: float) -> ConsignmentTrace:
        """The trace as it stood at ``hour``: its milestones up to then."""
        delivered = self.delivered_h if self.delivered_h is not None and \
            self.delivered_h <= hour else None
        return replace(self, delivered_h=delivered,
                       milestones=tuple(m for m in self.milestones if m[0] <= hour))


@dataclass
class ReplicationResult:
    """Records of one replication; plain lists and dicts so it pickles across processes.

    ``deliveries``: ``(consignment id, stream, variant, created h, delivered h, units, teu)``;
    ``waits``: ``(consignment id, place, hours)`` for delivered consignments;
    ``samples``: ``(hour, place, value)`` queue lengths in units and ``"system"`` TEU in system;
    ``places``: per place id its kind and statistics (utilization, queue integrals, ...);
    ``departures``: ``(line id, port, hour, units aboard, slots)``;
    ``traces``: every consignment's milestones, when the run was asked to keep them;
    ``closures``: each port's closures as announced (port, from h, until h, cause);
    ``movements``: when tracing, each Caspian vessel's arrivals at a port (at anchorage, laden
    or empty), berthings and departures (vessel, ``ARRI``/``BRTH``/``DEPA``, port, hour).
    """

    seed: int
    replication: int
    horizon_h: float
    warmup_h: float
    deliveries: list[tuple[Any, ...]] = field(default_factory=list)
    waits: list[tuple[int, str, float]] = field(default_factory=list)
    samples: list[tuple[float, str, float]] = field(default_factory=list)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    departures: list[tuple[str, str, float, int, int]] = field(default_factory=list)
    created_units: int = 0
    delivered_units: int = 0
    in_system_units: int = 0
    events: int = 0
    traces: list[ConsignmentTrace] = field(default_factory=list)  # only when asked for
    shipments: dict[int, str] = field(default_factory=dict)  # id -> initial state's shipment
    # (port, from h, until h, cause): the ports' closures, storms ("storm") and given ones
    closures: list[tuple[str, float, float, str]] = field(default_factory=list)
    movements: list[tuple[str, str, str, float]] = field(default_factory=list)
