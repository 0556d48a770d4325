"""Counts that describe the data set: size, coverage and how much of it is sourced."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from midcorridor.network.model import Network


@dataclass(frozen=True)
class NetworkSummary:
    """Size and coverage of a network, and the share of its figures that are sourced."""

    version: str
    nodes: int
    links: int
    services: int
    scenarios: int
    sources: int
    countries: list[str]
    nodes_by_kind: dict[str, int]
    km_by_mode: dict[str, float]
    figures: int
    figures_sourced: int
    figures_assumed: int
    active_scenarios: list[str] = field(default_factory=list)

    @property
    def sourced_share(self) -> float:
        return self.figures_sourced / self.figures if self.figures else 0.0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)
        data["sourced_share"] = round(self.sourced_share, 4)
        return data


def summarize(network: Network) -> NetworkSummary:
    """Count what the network holds."""
    km: dict[str, float] = {}
    for link in network.links:
        km[link.mode.value] = km.get(link.mode.value, 0.0) + link.distance_km
    assumed = sum(1 for p in network.provenance.values() if p.is_assumption)
    return NetworkSummary(
        version=network.version,
        nodes=len(network.nodes),
        links=len(network.links),
        services=len(network.services),
        scenarios=len(network.scenarios),
        sources=len(network.sources),
        countries=sorted({node.country for node in network.nodes.values()} - {"XX"}),
        nodes_by_kind=dict(Counter(node.kind.value for node in network.nodes.values())),
        km_by_mode={mode: round(total, 1) for mode, total in sorted(km.items())},
        figures=len(network.provenance),
        figures_sourced=len(network.provenance) - assumed,
        figures_assumed=assumed,
        active_scenarios=list(network.active_scenarios),
    )
