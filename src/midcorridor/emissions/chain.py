"""Emissions of a transport chain (ISO 14083:2023, GLEC Framework v3).

A shipment's transport chain (TC) is an ordered list of transport chain elements (TCE): a
*transport operation* for every leg on one vehicle, and a *hub operation* wherever the goods
change vehicle. For a consignment of ``m`` tonnes::

    transport activity          A_tce   = m x d_SFD                       [t km]
    transport TCE               E_tce   = A_tce x EI_TOC / 1000           [kg CO2e]
                                          (EI in g CO2e/t km, WTW and TTW separately)
    hub TCE                     E_hub   = m x EI_HOC                      [kg CO2e]
                                          (EI_HOC in kg CO2e per tonne handled)
    shipment                    E_TC    = sum E_tce + sum E_hub
    per TEU                     E_TC / n_TEU
    well-to-tank                WTT     = WTW - TTW

``d_SFD`` is the link distance, or the great-circle distance times a distance adjustment factor
when that is all the data set has (:mod:`midcorridor.emissions.distance`). GLEC defaults already
include average load factors and empty running, so no empty return legs are added. Allocation
is by mass x distance (ISO 14083 section 5.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.emissions import factors
from midcorridor.emissions.distance import emission_distance_km
from midcorridor.network.model import Link, Mode, Network

if TYPE_CHECKING:
    from midcorridor.emissions.factors import Intensity

#: Countries whose sea links are short-sea feeder services (Caspian and Black Sea shores).
FEEDER_COUNTRIES = frozenset({"KZ", "AZ", "TM", "IR", "GE", "RO", "BG", "UA"})


@dataclass(frozen=True)
class Emission:
    """Greenhouse-gas emissions in kg CO2e, well-to-wheel and tank-to-wheel."""

    wtw_kg: float = 0.0
    ttw_kg: float = 0.0

    @property
    def wtt_kg(self) -> float:
        """Well-to-tank emissions: well-to-wheel less tank-to-wheel."""
        return self.wtw_kg - self.ttw_kg

    def __add__(self, other: Emission) -> Emission:
        return Emission(self.wtw_kg + other.wtw_kg, self.ttw_kg + other.ttw_kg)

    def scaled(self, factor: float) -> Emission:
        """These emissions multiplied by ``factor``."""
        return Emission(self.wtw_kg * factor, self.ttw_kg * factor)


def transport_emission(intensity: Intensity, tonnes: float, distance_km: float) -> Emission:
    """One transport TCE: ``m x d x EI / 1000`` kg CO2e."""
    activity_tkm = tonnes * distance_km
    return Emission(activity_tkm * intensity.wtw / 1000.0, activity_tkm * intensity.ttw / 1000.0)


def hub_emission(tonnes: float, intensity: Intensity = factors.HUB_TRANSSHIPMENT) -> Emission:
    """One hub TCE: ``m x EI_HOC`` kg CO2e."""
    return Emission(tonnes * intensity.wtw, tonnes * intensity.ttw)


def link_intensity(network: Network, link: Link) -> Intensity:
    """The default intensity for travelling a link, by mode, traction and region."""
    origin = network.nodes[link.origin]
    destination = network.nodes[link.destination]
    if link.mode is Mode.RAIL:
        return factors.rail(link.traction, origin.country)
    if link.mode is Mode.FERRY:
        return factors.FERRY
    if link.mode is Mode.ROAD:
        return factors.ROAD_CONTAINER
    feeder = {origin.country, destination.country} <= FEEDER_COUNTRIES
    return factors.sea(deep_sea=not feeder)


def link_emission(network: Network, link: Link, tonnes: float) -> Emission:
    """Emissions of moving ``tonnes`` along a link with the default factors."""
    return transport_emission(
        link_intensity(network, link), tonnes, emission_distance_km(network, link)
    )
