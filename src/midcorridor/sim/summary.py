"""What a simulation answers: KPIs with 95% intervals, bottlenecks, experiments compared.

Computed by :mod:`midcorridor.sim.kpi`; ``to_dict()`` gives the JSON document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from midcorridor.sim.record import Record

if TYPE_CHECKING:
    from midcorridor.sim.estimate import Estimate, Spread3

# What each KPI measures, for people (also in the JSON document under ``definitions``).
DEFINITIONS = {
    "transit_days": "door-to-door days per consignment created after the warm-up and "
    "delivered by the horizon (mean, median p50 and p95 over consignments)",
    "caspian_wait_hours": "hours a consignment that crosses the Caspian waits at the port for "
    "a vessel, from arrival at the port until the vessel with its last unit sails (mean per "
    "Caspian consignment)",
    "caspian_wait_by_variant": "the Caspian wait of each stream's variant (mean per consignment "
    "of that variant): container trains, wagon groups and trucks apart",
    "throughput_teu": "TEU delivered per year between the end of the warm-up and the horizon",
    "cargo_in_system_teu": "TEU in the corridor on average (sampled daily after the warm-up)",
    "waiting_hours": "hours waited at each place per consignment delivered (queues at "
    "terminals and ports, border and gauge-change dwell)",
    "delay_hours_per_teu": "hours of waiting at a place per TEU delivered (the place's share "
    "of all delay, weighted by cargo): the bottleneck ranking",
    "utilization": "share of time the berths or terminal servers of a place are busy",
    "vessel_load_factor": "units aboard at departure over deck slots, per line",
}



@dataclass(frozen=True)
class PlaceFigure:
    """An estimate at one place, with the place's name and kind (port, terminal, border...)."""

    place: str
    name: str
    kind: str
    value: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The figure as JSON-ready values."""
        return {"name": self.name, "kind": self.kind, **self.value.to_dict()}


@dataclass(frozen=True)
class Kpis(Record):
    """The KPIs of one experiment (see :data:`DEFINITIONS` for what each measures)."""

    transit_days: Spread3
    transit_days_by_variant: dict[str, Spread3]
    caspian_wait_hours: Estimate
    throughput_teu: Estimate
    cargo_in_system_teu: Estimate
    waiting_hours: dict[str, PlaceFigure]
    utilization: dict[str, PlaceFigure]
    vessel_load_factor: dict[str, Estimate]
    caspian_wait_by_variant: dict[str, Estimate] = field(default_factory=dict)


@dataclass(frozen=True)
class Bottleneck(Record):
    """A place ranked by the waiting it adds per TEU delivered."""

    rank: int
    place: str
    name: str
    kind: str
    delay_hours_per_teu: Estimate
    utilization: float | None


@dataclass(frozen=True)
class Conservation(Record):
    """Units created against units delivered plus units still in the corridor, all runs."""

    created_units: int
    delivered_units: int
    in_system_units: int
    holds: bool


@dataclass(frozen=True)
class Summary(Record):
    """KPIs of one experiment across replications, bottlenecks, and warnings about the run."""

    experiment: str
    seed: int
    replications: int
    backend: str
    horizon_days: float
    warmup_days: float
    kpis: Kpis
    bottlenecks: tuple[Bottleneck, ...]
    conservation: Conservation
    events: int
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values."""
        return {**super().to_dict(), "definitions": DEFINITIONS}


@dataclass(frozen=True)
class Difference(Record):
    """Paired differences (experiment minus ``against``) over replications with common random
    numbers.
    """

    experiment: str
    against: str
    transit_days_mean: Estimate
    transit_days_p95: Estimate
    caspian_wait_hours: Estimate
    throughput_teu: Estimate


@dataclass(frozen=True)
class Comparison(Record):
    """Experiments side by side, with their differences to the first one."""

    seed: int
    replications: int
    experiments: tuple[Summary, ...]
    differences: tuple[Difference, ...]
