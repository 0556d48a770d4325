"""Default emission-intensity factors (GLEC Framework / ISO 14083) with their sources.

Every factor is well-to-wheel (WTW) and tank-to-wheel (TTW) in g CO2e per tonne-km, or per
tonne handled for hubs. Figures come from the GLEC Framework default tables (as republished by
Climatiq), the UK DESNZ/BEIS greenhouse-gas conversion factors, EcoTransIT World and the Our World
in Data / Ember grid intensities; each factor below names its own source (read 2026-11-23).
Where no default exists for the region (the GLEC rail table for CIS/Caucasus is a known gap)
the factor is *modelled* from energy use and the national grid, and flagged ``modelled``.
"""

from __future__ import annotations

from dataclasses import dataclass

from midcorridor.errors import InputError


@dataclass(frozen=True)
class Intensity:
    """An emission intensity: WTW and TTW g CO2e per tonne-km (or kg per tonne for hubs)."""

    wtw: float
    ttw: float
    source: str
    modelled: bool = False

    @property
    def wtt(self) -> float:
        """Well-to-tank part: energy provision, ``WTW - TTW``."""
        return self.wtw - self.ttw


# --- sources -----------------------------------------------------------------------------
GLEC_ROPAX = (
    "GLEC Framework v3.0 (2023) Table 14, Ferry-RoPax 10000-19999 gt, MDO, via Climatiq "
    "bebf6e1a-9152-4902-85a7-d3e803ca766b / ea5e6297-8958-4870-9df2-00b86e992af4"
)
GLEC_CONTAINER_LANE = (
    "GLEC Framework v3.1 (2024) Table 13, trade lane container (dry) 80.4 g/TEU-km WTW, SFD, "
    "via Climatiq 8d7f5f32-16b2-474a-98cf-21ca3d708acb (Asia-Europe lane row is a gap)"
)
VESSELBOT_FEEDER = (
    "VesselBot, Decoding maritime emissions Q1 2026: feeders above 266 g CO2e/TEU-km WTW, "
    "registration.vesselbot.com/decoding-maritime-emissions-q1-2026-efficiency-under-pressure"
)
GLEC_TRUCK = (
    "GLEC Framework v3.0 (2023) articulated truck <34 t, average load, diesel, Europe: "
    "116 WTW / 89 TTW g/tkm (derived from the Climatiq Berlin-Paris API fixture)"
)
ICCT_TRACTOR = (
    "ICCT / TU Graz, Comparison of fuel consumption and emissions for representative heavy-duty "
    "vehicles in Europe (2018): a typical EU tractor-trailer used 32.6 l/100 km on the "
    "regulatory Long Haul cycle, https://theicct.org/publication/comparison-of-fuel-consumption"
    "-and-emissions-for-representative-hdvs-in-europe/"
)
DESNZ_DIESEL = (
    "UK DESNZ conversion factors, diesel (average biofuel blend) 2.51 kg CO2e per litre burned "
    "(scope 1, TTW), as tabled by the Energy Saving Trust, https://fleetdecarbonisationtoolkit."
    "energysavingtrust.org.uk/t/decarbonisation-strategy/emissions-calculated/hdv-ghg-and-kwh-"
    "calculations"
)
EUROSTAT_EMPTY = (
    "Eurostat via Sustainability 16(21) 9364 (2024): 20.2% of EU road freight vehicle-km are "
    "driven empty, https://www.mdpi.com/2071-1050/16/21/9364"
)
BEIS_RAIL = (
    "UK BEIS GHG conversion factors 2021, rail freight: 27.82 g/tkm TTW + 6.70 WTT = 34.52 WTW "
    "(climatiq/Open-Emission-Factors-DB PR #285), used as the diesel rail proxy"
)
ECOTRANSIT_ELECTRIC = (
    "EcoTransIT World Methodology and Data (IFEU, 2010-07-15) Table 23: average 1000 t train, "
    "volume goods, 41.5 Wh per net tkm at the pantograph"
)
OWID_GRID = (
    "Our World in Data / Ember, carbon intensity of electricity generation (via codecarbon "
    "global_energy_mix.json, 2024-11-15)"
)
GLEC_HUB = (
    "GLEC v3 default hub values, transshipment (ambient) 0.6 kg CO2e/t, corroborated by the "
    "Climatiq Seattle-New York fixture"
)
TTW_SHARE_ASSUMPTION = (
    "assumption: TTW share of WTW for sea container taken from the GLEC Ro-Pax MDO pair "
    "(106.4/124.8 = 0.853); the lane table gives WTW only"
)

#: Average cargo mass of a loaded TEU for converting TEU-km factors to tonne-km: 10 t
#: (iLEAP spec and Lune API, emissions.md section 3.1), the GLEC/Clean Cargo convention.
GLEC_TONNES_PER_TEU = 10.0

# --- transport operation categories -------------------------------------------------------
#: Caspian rail ferries are Ro-Pax type (MV "Azerbaijan": 56 railcars, 154.5 m); GLEC has no
#: rail-ferry row, so the Ro-Pax 10000-19999 gt MDO row is used.
FERRY = Intensity(wtw=124.8, ttw=106.4, source=GLEC_ROPAX)
_SHARE = 106.4 / 124.8
#: Deep-sea container ship (Suez lanes): 80.4 g/TEU-km over 10 t per TEU.
SEA_DEEP = Intensity(
    wtw=80.4 / GLEC_TONNES_PER_TEU,
    ttw=80.4 / GLEC_TONNES_PER_TEU * _SHARE,
    source=f"{GLEC_CONTAINER_LANE}; {TTW_SHARE_ASSUMPTION}",
)
#: Feeder container ship (Caspian, Black Sea, Mediterranean short sea): 266 g/TEU-km.
SEA_FEEDER = Intensity(
    wtw=266.0 / GLEC_TONNES_PER_TEU,
    ttw=266.0 / GLEC_TONNES_PER_TEU * _SHARE,
    source=f"{VESSELBOT_FEEDER}; {TTW_SHARE_ASSUMPTION}",
)
ROAD = Intensity(wtw=116.0, ttw=89.0, source=GLEC_TRUCK)
#: A container truck: a tractor-trailer of about 40 t carrying one FEU or two TEU. GLEC's
#: <34 t average-load row (``ROAD``) is per tonne-km of a lighter truck's average load; read
#: per tonne of a 24 t container load it gave 2.8 kg CO2e per truck-km, more than twice what a
#: 40 t truck burns. Per truck-km instead: 32.6 l/100 km x 2.51 kg CO2e/l TTW, x 116/89 (the
#: GLEC truck row's well-to-wheel uplift) WTW, over the 79.8% of vehicle-km driven loaded.
TRUCK_L_PER_KM = 0.326
DIESEL_TTW_KG_PER_L = 2.51
LOADED_KM_SHARE = 1.0 - 0.202
#: Cargo aboard one container truck: 2 TEU of 12 t (``routing.cargo``), t.
CONTAINER_TRUCK_LOAD_T = 24.0
_TRUCK_TTW_KG_PER_KM = TRUCK_L_PER_KM * DIESEL_TTW_KG_PER_L / LOADED_KM_SHARE
ROAD_CONTAINER = Intensity(
    wtw=_TRUCK_TTW_KG_PER_KM * 116.0 / 89.0 / CONTAINER_TRUCK_LOAD_T * 1000.0,
    ttw=_TRUCK_TTW_KG_PER_KM / CONTAINER_TRUCK_LOAD_T * 1000.0,
    source=f"derived per container truck-km: {ICCT_TRACTOR}; {DESNZ_DIESEL}; WTW uplift "
    f"116/89 of {GLEC_TRUCK}; empty running {EUROSTAT_EMPTY}; 24 t (2 TEU) per truck",
    modelled=True,
)
RAIL_DIESEL = Intensity(wtw=34.52, ttw=27.82, source=BEIS_RAIL)
#: Electric traction energy per net tonne-km at the pantograph, kWh.
RAIL_KWH_PER_TKM = 0.0415

#: Grid intensity, g CO2e per kWh generated (emissions.md section 3.2).
GRID_G_PER_KWH: dict[str, float] = {
    "KZ": 821.4, "AZ": 671.4, "GE": 167.6, "TR": 464.6, "CN": 582.3, "RU": 441.0,
    "UZ": 1167.6, "TM": 1306.0, "BG": 335.3, "RO": 240.6, "PL": 661.9, "DE": 381.0,
}  # fmt: skip
#: Used for a country missing above; assumption: the unweighted mean of the table, rounded.
GRID_DEFAULT = 600.0

#: Electrified share of rail tonne-km on a ``mixed`` traction link, by country (emissions.md
#: section 3.3, network-km shares used as a proxy for tkm shares).
ELECTRIFIED_SHARE: dict[str, float] = {"KZ": 0.26, "AZ": 0.60, "GE": 0.84, "TR": 0.45}
#: assumption: half of the tonne-km electric where the country share was not found.
ELECTRIFIED_DEFAULT = 0.5

#: Hub operation (transshipment), kg CO2e per tonne handled. GLEC gives one value; it is
#: counted as WTW and, for lack of a split, also as TTW.
HUB_TRANSSHIPMENT = Intensity(wtw=0.6, ttw=0.6, source=GLEC_HUB)


def rail_electric(country: str) -> Intensity:
    """Electric rail: ``EI_WTW = kWh/tkm x grid g/kWh``, ``EI_TTW = 0`` (GLEC energy route)."""
    grid = GRID_G_PER_KWH.get(country, GRID_DEFAULT)
    return Intensity(
        wtw=RAIL_KWH_PER_TKM * grid,
        ttw=0.0,
        source=f"{ECOTRANSIT_ELECTRIC}; grid {country} {grid} g/kWh, {OWID_GRID}",
        modelled=True,
    )


def rail(traction: str, country: str) -> Intensity:
    """Rail intensity for a traction (``electric``, ``diesel``, ``mixed`` or empty) in a country.

    Mixed: ``EI = s_el x EI_el + (1 - s_el) x EI_diesel`` with ``s_el`` the electrified share.
    An empty traction is treated as mixed.
    """
    if traction == "diesel":
        return RAIL_DIESEL
    electric = rail_electric(country)
    if traction == "electric":
        return electric
    if traction not in ("mixed", ""):
        raise InputError(f"unknown rail traction {traction!r}; use electric, diesel or mixed")
    share = ELECTRIFIED_SHARE.get(country, ELECTRIFIED_DEFAULT)
    return Intensity(
        wtw=share * electric.wtw + (1 - share) * RAIL_DIESEL.wtw,
        ttw=(1 - share) * RAIL_DIESEL.ttw,
        source=f"mixed traction, electrified share {share:.0%}: {electric.source}; {BEIS_RAIL}",
        modelled=True,
    )


def sea(*, deep_sea: bool) -> Intensity:
    """Container ship intensity: deep-sea lane or feeder."""
    return SEA_DEEP if deep_sea else SEA_FEEDER
