"""Experiment comparisons."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, Strict, StringConstraints

from midcorridor.service.schemas.whatif import EstimatePublic

ExperimentId = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class CompareRequest(BaseModel):
    """Compare the simulator's experiments with the baseline, with common random numbers."""

    experiments: list[ExperimentId] = Field(min_length=1, max_length=10,
                                            description="Experiment ids from GET /experiments.")
    replications: Annotated[int, Strict(), Field(ge=2, le=30)] = 5
    seed: Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)] = 0


class ExperimentPublic(BaseModel):
    """An experiment of the simulator (a file of ``experiments/``)."""

    id: str
    name: str
    description: str


class ExperimentsPublic(BaseModel):
    """The simulator's experiments and the one comparisons are against."""

    data: list[ExperimentPublic]
    baseline: str = Field(description="The experiment every comparison is against.")


class SpreadPublic(BaseModel):
    """Mean, median and 95th percentile of a figure, each over replications."""

    mean: EstimatePublic
    p50: EstimatePublic
    p95: EstimatePublic


class ExperimentKpisPublic(BaseModel):
    """An experiment's headline KPIs (see ``docs/simulation.md``)."""

    transit_days: SpreadPublic
    caspian_wait_hours: EstimatePublic
    throughput_teu: EstimatePublic
    cargo_in_system_teu: EstimatePublic


class BottleneckPublic(BaseModel):
    """A place ranked by the waiting it adds per TEU delivered."""

    rank: int
    place: str
    name: str
    kind: str
    delay_hours_per_teu: EstimatePublic
    utilization: float | None


class ExperimentSummaryPublic(BaseModel):
    """One experiment's KPIs, bottlenecks and warnings."""

    id: str
    experiment: str
    description: str
    replications: int
    horizon_days: float
    warmup_days: float
    kpis: ExperimentKpisPublic
    bottlenecks: list[BottleneckPublic]
    warnings: list[str]


class DifferencePublic(BaseModel):
    """An experiment minus the baseline, paired per replication."""

    experiment: str
    against: str
    transit_days_mean: EstimatePublic
    transit_days_p95: EstimatePublic
    caspian_wait_hours: EstimatePublic
    throughput_teu: EstimatePublic


class ComparisonPublic(BaseModel):
    """Experiments side by side (the baseline first) and their differences to the baseline."""

    seed: int
    replications: int
    experiments: list[ExperimentSummaryPublic]
    differences: list[DifferencePublic]


