"""Greenhouse-gas emissions of transport chains after ISO 14083:2023 and the GLEC Framework."""

from midcorridor.emissions.chain import (
    Emission,
    hub_emission,
    link_emission,
    link_intensity,
    transport_emission,
)
from midcorridor.emissions.distance import daf, emission_distance_km, is_great_circle
from midcorridor.emissions.factors import Intensity, rail, rail_electric, sea

__all__ = [
    "Emission",
    "Intensity",
    "daf",
    "emission_distance_km",
    "hub_emission",
    "is_great_circle",
    "link_emission",
    "link_intensity",
    "rail",
    "rail_electric",
    "sea",
    "transport_emission",
]
