"""Freight cost per TEU from sourced components, with user overrides read from a file.

The published through-rates (2018-2019) are old and scattered, so cost is built per leg:

    leg cost / TEU = link tariff from the data set, or the mode rate x km + border fee
    hub cost / TEU = handling charge at every transshipment

Every default below says where it comes from; those marked ``assumption`` are reported with
each route option. Users override any of them, or a single link or node, from a CSV file
(``key,usd,source``) or a YAML file (``key: {usd: ..., source: ...}``). Keys:

``rail_km``, ``rail_km:<CC>`` (USD per TEU-km, per country), ``road_km``, ``sea_km``,
``ferry_km``, ``border``, ``border:<CC>``, ``road_border``, ``road_border:<CC>`` (a road border
crossing), ``handling``, ``handling:<NODE>`` (USD per TEU), and ``link:<LINK-ID>`` (USD per TEU
for the whole link, replacing its tariff).

Road is charged per truck: a truck carries :data:`TEU_PER_VEHICLE` TEU, so a road leg of a
shipment of ``n`` TEU takes ``ceil(n / 2)`` trucks (:func:`trucks`) and pays the per-TEU rates
x 2 for each (:func:`road_load`); its CO2e is counted per truck the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import yaml

from midcorridor.errors import DataError, Problem
from midcorridor.network.csvfile import read_table
from midcorridor.network.model import Link, Mode, Network, TariffUnit
from midcorridor.network.reading import At, Problems
from midcorridor.routing.cargo import TEU_PER_FEU, TONNES_PER_TEU

if TYPE_CHECKING:
    from collections.abc import Mapping

#: TEU per rail wagon or per truck when a tariff is quoted per wagon or truck.
#: assumption: one 80 ft flat wagon, or one truck, carries 2 TEU (one FEU).
TEU_PER_VEHICLE = 2.0


def trucks(teu: float) -> int:
    """Trucks a road leg of ``teu`` TEU needs: ``TEU_PER_VEHICLE`` per truck, a part-load
    taking a whole truck.
    """
    return max(1, math.ceil(teu / TEU_PER_VEHICLE - 1e-9))


def road_load(teu: float) -> float:
    """TEU paid for per TEU carried on the road: 1 when every truck is full (an even number of
    TEU), more when the last truck runs part-loaded (3 TEU pay for 2 trucks: 4/3).
    """
    return trucks(teu) * TEU_PER_VEHICLE / teu


@dataclass(frozen=True)
class Rate:
    """One tariff figure in USD with its source, or the reasoning when it is an assumption."""

    usd: float
    source: str
    assumption: bool = False


_CAREC = "CAREC CPMM 2022 Kazakhstan, https://cpmm.carecprogram.org/2022-report/kazakhstan"
_CAREC_ROAD = ("CAREC CPMM 2022, road transport (Table 2.1), "
               "https://cpmm.carecprogram.org/2022-report/road-transport")
DEFAULT_RATES: Mapping[str, Rate] = MappingProxyType({
    # 883 USD per 500 km per 20 t container (derived: 1.77 USD per container-km).
    "rail_km": Rate(1.766, f"{_CAREC}: 883 USD per 500 km per 20 t; KZ rate used elsewhere",
                    assumption=True),
    "rail_km:KZ": Rate(1.766, f"{_CAREC}: 883 USD per 500 km per 20 t container"),
    # Drewry WCI 3,413 USD/FEU (2024-11-21) over Shanghai-Rotterdam 10,600 nm = 19,631 km.
    "sea_km": Rate(0.0869, "derived from Drewry WCI 3,413 USD per FEU (news.maritime-network"
                   ".com, 2024-11-21) over Shanghai-Rotterdam via Suez 19,631 km",
                   assumption=True),
    # 945 USD per 500 km per 20 t (one truckload) = 1.89 USD per truck-km, 2 TEU per truck.
    "road_km": Rate(0.945, f"derived: {_CAREC_ROAD}: 945 USD per 500 km per 20 t, one truck "
                    "of 2 TEU"),
    "ferry_km": Rate(0.9, "assumption: Caspian ferry freight ~420 USD per TEU on 470 km",
                     assumption=True),
    "border": Rate(297.0, f"{_CAREC}: border-crossing cost; KZ figure used at every border",
                   assumption=True),
    "border:KZ": Rate(297.0, f"{_CAREC}: border-crossing cost"),
    # 208 USD per road border crossing (2022) for one truck of 2 TEU.
    "road_border": Rate(104.0, f"derived: {_CAREC_ROAD}: 208 USD per border crossing, one truck "
                        "of 2 TEU"),
    "handling": Rate(150.0, "assumption: lift-off/lift-on and terminal charge per TEU",
                     assumption=True),
})  # fmt: skip

_MODE_KEY = {Mode.RAIL: "rail_km", Mode.ROAD: "road_km", Mode.SEA: "sea_km",
             Mode.FERRY: "ferry_km"}  # fmt: skip


@dataclass(frozen=True)
class Tariffs:
    """Tariff rates by key (see the module docstring); missing keys fall back to defaults."""

    rates: Mapping[str, Rate] = field(default_factory=lambda: DEFAULT_RATES)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rates", MappingProxyType({**DEFAULT_RATES, **self.rates}))

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.rates.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tariffs) and dict(self.rates) == dict(other.rates)

    def rate(self, *keys: str) -> tuple[str, Rate]:
        """The first of ``keys`` that has a rate."""
        for key in keys:
            if key in self.rates:
                return key, self.rates[key]
        raise KeyError(keys[-1])


@dataclass(frozen=True)
class Charge:
    """A cost per TEU and the assumptions it rests on."""

    usd: float
    assumptions: tuple[str, ...] = ()


def _link_tariff_per_teu(link: Link) -> float | None:
    if link.tariff is None:
        return None
    value, unit = link.tariff.value, link.tariff.unit
    per_teu = {
        TariffUnit.TEU: 1.0,
        TariffUnit.FEU: 1.0 / TEU_PER_FEU,
        TariffUnit.TONNE: TONNES_PER_TEU,
        TariffUnit.WAGON: 1.0 / TEU_PER_VEHICLE,
        TariffUnit.TRUCK: 1.0 / TEU_PER_VEHICLE,
    }.get(TariffUnit(unit), 1.0)
    return value * per_teu


def link_charge(network: Network, link: Link, tariffs: Tariffs) -> Charge:
    """The cost per TEU of travelling ``link``, including its border fee."""
    notes: list[str] = []
    country = network.nodes[link.origin].country
    override = tariffs.rates.get(f"link:{link.id}")
    data_tariff = _link_tariff_per_teu(link)
    if override is not None:
        usd = override.usd
        if override.assumption:
            notes.append(f"tariff {link.id}: {override.source}")
    elif data_tariff is not None:
        usd = data_tariff
        prov = network.provenance_of("links", link.id, "tariff_usd")
        if prov is not None and prov.is_assumption:
            notes.append(f"tariff {link.id}: {prov.assumption}")
    else:
        base = _MODE_KEY[link.mode]
        key, rate = tariffs.rate(f"{base}:{country}", base)
        usd = rate.usd * link.distance_km
        if rate.assumption:
            notes.append(f"{key} {rate.usd:g} USD/TEU-km: {rate.source}")
    if link.border and override is None and data_tariff is None:
        if link.mode is Mode.ROAD:
            key, rate = tariffs.rate(f"road_border:{country}", "road_border")
        else:
            key, rate = tariffs.rate(f"border:{country}", "border")
        usd += rate.usd
        if rate.assumption:
            notes.append(f"{key} {rate.usd:g} USD/TEU: {rate.source}")
    return Charge(usd, tuple(notes))


def handling_charge(node_id: str, tariffs: Tariffs) -> Charge:
    """The cost per TEU of a transshipment at ``node_id``."""
    key, rate = tariffs.rate(f"handling:{node_id}", "handling")
    notes = (f"{key} {rate.usd:g} USD/TEU: {rate.source}",) if rate.assumption else ()
    return Charge(rate.usd, notes)


def _rate_from(where: At, usd: object, source: object, problems: Problems) -> Rate | None:
    try:
        value = float(str(usd))
    except ValueError:
        problems.at(where, "usd", f"{usd!r} is not a number; give USD")
        return None
    if not math.isfinite(value) or value < 0:
        problems.at(where, "usd", f"{value} must be zero or positive")
        return None
    text = str(source or "").strip()
    if not text:
        problems.at(where, "source", "is empty; cite a source or write 'assumption: <reason>'")
        return None
    return Rate(value, text, assumption=text.lower().startswith("assumption"))


def _check_key(where: At, key: str, problems: Problems) -> bool:
    base = key.split(":", 1)[0]
    allowed = (*_MODE_KEY.values(), "border", "road_border", "handling", "link")
    if base not in allowed or (base == "link" and ":" not in key):
        problems.at(where, "key", f"unknown tariff key {key!r}; use one of "
                    f"{', '.join(allowed)} (optionally ':<id>')")
        return False
    return True


def load_tariffs(path: Path | str) -> Tariffs:
    """Read tariff overrides from a ``.csv`` or ``.yaml`` file; every problem is reported."""
    path = Path(path)
    problems = Problems()
    rates: dict[str, Rate] = {}
    if not path.is_file():
        raise DataError([Problem(str(path), "-", "-", "tariff file not found")])
    if path.suffix.lower() == ".csv":
        columns = ("key", "usd", "source")
        for line, row in read_table(path, expected=columns, required=columns):
            key = (row.get("key") or "").strip()
            where = At(path.name, line)
            if _check_key(where, key, problems):
                rate = _rate_from(where, row.get("usd"), row.get("source"), problems)
                if rate is not None:
                    rates[key] = rate
    else:
        text = path.read_text(encoding="utf-8")
        try:
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise DataError([Problem(path.name, "-", "-", f"not valid YAML: {exc}")]) from exc
        entries = doc.get("tariffs", doc) if isinstance(doc, dict) else None
        if not isinstance(entries, dict):
            raise DataError([Problem(path.name, "-", "tariffs", "expected a mapping of "
                                     "key: {usd: ..., source: ...}")])
        for key, entry in entries.items():
            key = str(key)
            where = At(path.name, key)
            if not _check_key(where, key, problems):
                continue
            if not isinstance(entry, dict):
                problems.at(where, "usd", "expected {usd: ..., source: ...}")
                continue
            rate = _rate_from(where, entry.get("usd"), entry.get("source"), problems)
            if rate is not None:
                rates[key] = rate
    problems.raise_any()
    return Tariffs(rates)
