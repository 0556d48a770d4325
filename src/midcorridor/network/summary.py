"""Counts that describe the data set: size, coverage and how much of it is sourced."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from midcorridor.network.model import Network, ProvenanceKind


@dataclass(frozen=True)
class NetworkSummary:
    """Size and coverage of a network, and the shares of its figures published, derived, assumed."""

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
    figures_published: int
    figures_derived: int
    figures_assumed: int
    active_scenarios: list[str] = field(default_factory=list)

    @property
    def published_share(self) -> float:
        """Share of figures that a source states."""
        return self.figures_published / self.figures if self.figures else 0.0

    @property
    def derived_share(self) -> float:
        """Share of figures computed from published inputs by a formula given in the data."""
        return self.figures_derived / self.figures if self.figures else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain data, with the shares rounded to four places."""
        data: dict[str, Any] = asdict(self)
        data["published_share"] = round(self.published_share, 4)
        data["derived_share"] = round(self.derived_share, 4)
        return data


def summarize(network: Network) -> NetworkSummary:
    """Count what the network holds."""
    km: dict[str, float] = {}
    for link in network.links:
        km[link.mode.value] = km.get(link.mode.value, 0.0) + link.distance_km
    kinds = Counter(p.kind for p in network.provenance.values())
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
        figures_published=kinds[ProvenanceKind.PUBLISHED],
        figures_derived=kinds[ProvenanceKind.DERIVED],
        figures_assumed=kinds[ProvenanceKind.ASSUMED],
        active_scenarios=list(network.active_scenarios),
    )
