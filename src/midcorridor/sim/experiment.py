"""Simulation experiments in YAML: a named baseline plus changes, validated on load.

An experiment file may name a ``base`` file (relative to itself) whose settings it changes:
mappings are merged key by key, lists and values are replaced. Every problem is reported at once
with the file and the field, e.g. ``more_ferries.yaml:-:fleet.add[0].railcars: 'x' is not a
number``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from midcorridor.errors import InputError
from midcorridor.network.model import Capacity
from midcorridor.network.reading import At, Problems
from midcorridor.sim.model import UNIT_KINDS, Ship

TOP_KEYS = (
    "name",
    "description",
    "base",
    "data",
    "network_scenarios",
    "horizon_days",
    "warmup_days",
    "demand",
    "fleet",
    "ports",
    "terminals",
    "dwell",
    "storms",
    "lines",
)
STREAM_KEYS = (
    "name",
    "origin",
    "destination",
    "teu_per_year",
    "units_per_year",
    "unit",
    "units_per_consignment",
    "teu_per_unit",
    "seasonality",
    "peak_day",
    "variants",
    "source",
)


@dataclass(frozen=True)
class StreamSpec:
    """A demand stream as written: places are names or ids, resolved against the network."""

    name: str
    origin: str
    destination: str
    teu_per_year: float
    unit: str = "container"
    units_per_consignment: int = 50
    teu_per_unit: float = 2.0
    seasonality: float = 0.0
    peak_day: float = 300.0
    variants: tuple[tuple[tuple[str, ...], float], ...] = (((), 1.0),)  # (via places, share)
    units_per_year: float | None = None  # instead of teu_per_year, e.g. for wagons


@dataclass(frozen=True)
class ShipSpec:
    """A ship added to a line by an experiment or a what-if: its name and deck."""

    line: str
    name: str
    deck: Capacity

    def ship(self) -> Ship:
        """The simulated ship: deck slots for railcars, 40-ft boxes (two TEU) or trucks."""
        return Ship.on_deck(self.name, self.deck)


@dataclass(frozen=True)
class PortChange:
    """An experiment's change to a port (None: as the data set has it)."""

    berths: int | None = None
    handling_h: float | None = None
    ferry_berths: int | None = None  # berths of the port's ferry terminal (0: none of its own)


@dataclass(frozen=True)
class TerminalChange:
    """An experiment's change to a terminal (None: as the data set has it)."""

    servers: int | None = None
    handling_h: float | None = None


@dataclass(frozen=True)
class LineChange:
    """An experiment's change to a sailing line (None: as the data set has it)."""

    headway_h: float | None = None


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated simulation experiment."""

    name: str
    description: str = ""
    data: str | None = None
    network_scenarios: tuple[str, ...] = ()
    horizon_days: float = 365.0
    warmup_days: float = 30.0
    growth: float = 1.0
    streams: tuple[StreamSpec, ...] = ()
    add_ships: tuple[ShipSpec, ...] = ()
    remove_ships: tuple[str, ...] = ()
    ports: dict[str, PortChange] = field(default_factory=dict)
    terminals: dict[str, TerminalChange] = field(default_factory=dict)
    lines: dict[str, LineChange] = field(default_factory=dict)
    dwell_scale: float = 1.0
    dwell_places: dict[str, float] = field(default_factory=dict)
    storms_per_year: float = 0.0
    storm_days: tuple[float, float, float] = (0.0, 0.0, 0.0)
    storm_ports: tuple[str, ...] | None = None
    source: str = ""


def _merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_document(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The experiment file's settings merged over its ``base`` chain."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such experiment file")
    if path.resolve() in _seen:
        raise InputError(f"{path}: base: files name each other in a loop")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: an experiment is a mapping of settings (name:, demand:, ...)")
    base = data.get("base")
    if base:
        parent = read_document(path.parent / str(base), (*_seen, path.resolve()))
        parent.pop("name", None)
        parent.pop("description", None)
        data = _merge(parent, {k: v for k, v in data.items() if k != "base"})
    return data


def load_experiment(path: str | Path) -> ExperimentSpec:
    """Read and validate an experiment file (with its ``base`` chain)."""
    path = Path(path)
    return parse_experiment(read_document(path), str(path))


class Checker:
    """The checks of a simulation document; every problem is kept, as ``label:-:field``."""

    def __init__(self, label: str) -> None:
        self.problems = Problems()
        self.at = At(label)

    def problem(self, where: str, message: str) -> None:
        """Record that ``where`` is wrong, saying why and what to do."""
        self.problems.at(self.at, where, message)

    def mapping(
        self, value: Any, where: str, keys: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        """A mapping at ``where`` (see :meth:`Problems.mapping`)."""
        return self.problems.mapping(value, self.at, where, keys)

    def number(
        self, value: Any, where: str, low: float = 0.0, high: float | None = None,
        default: float = 0.0,
    ) -> float:
        """A number at ``where`` in ``[low, high]``, else ``default`` (the problem kept)."""
        found = self.problems.number(value, self.at, where, low=low, high=high)
        return default if found is None else found

    def items(self, value: Any, where: str) -> list[Any]:
        """A list at ``where`` (empty when absent or not a list)."""
        return self.problems.items(value, self.at, where)

    def raise_input(self) -> None:
        """Raise :class:`InputError` naming each field at fault (in a request, which has no
        file or row), if there is any.
        """
        if self.problems:
            raise InputError("; ".join(f"{p.field}: {p.message}" for p in self.problems))


def parse_experiment(data: dict[str, Any], label: str = "experiment") -> ExperimentSpec:
    """Validate an experiment document; raise :class:`DataError` listing every field at fault."""
    ck = Checker(label)
    data = ck.mapping(data, "", TOP_KEYS)
    name = data.get("name")
    if not name or not isinstance(name, str):
        ck.problem("name", "an experiment needs a name (name: baseline)")
    horizon = ck.number(data.get("horizon_days", 365), "horizon_days", 1.0, default=365.0)
    warmup = ck.number(data.get("warmup_days", 30), "warmup_days", 0.0)
    if warmup >= horizon:
        ck.problem("warmup_days", f"{warmup:g} must be shorter than horizon_days {horizon:g}")
    demand = ck.mapping(data.get("demand"), "demand", ("growth", "streams"))
    streams = [
        _stream(ck, entry, f"demand.streams[{i}]")
        for i, entry in enumerate(ck.items(demand.get("streams"), "demand.streams"))
    ]
    if not streams:
        ck.problem("demand.streams", "give at least one demand stream")
    fleet = ck.mapping(data.get("fleet"), "fleet", ("add", "remove"))
    ships = added_ships(ck, fleet.get("add"), "fleet.add")
    storms = ck.mapping(
        data.get("storms"), "storms", ("per_year", "duration_days", "ports", "source")
    )
    storm_days = _storm_days(ck, storms.get("duration_days", {}))
    dwell = ck.mapping(data.get("dwell"), "dwell", ("scale", "places", "source"))
    storm_ports = storms.get("ports")
    scenarios = ck.items(data.get("network_scenarios"), "network_scenarios")
    growth = ck.number(demand.get("growth", 1.0), "demand.growth", default=1.0)
    removed = ck.items(fleet.get("remove"), "fleet.remove")
    ports, terminals, lines = _place_changes(ck, data)
    spec = ExperimentSpec(
        name=str(name),
        description=str(data.get("description") or ""),
        data=str(data["data"]) if data.get("data") else None,
        network_scenarios=tuple(str(s) for s in scenarios),
        horizon_days=horizon,
        warmup_days=warmup,
        growth=growth,
        streams=tuple(s for s in streams if s is not None),
        add_ships=tuple(ships),
        remove_ships=tuple(str(s) for s in removed),
        ports=ports,
        terminals=terminals,
        lines=lines,
        dwell_scale=ck.number(dwell.get("scale", 1.0), "dwell.scale", default=1.0),
        dwell_places={
            str(k): ck.number(v, f"dwell.places.{k}", default=1.0)
            for k, v in ck.mapping(dwell.get("places"), "dwell.places").items()
        },
        storms_per_year=ck.number(storms.get("per_year", 0), "storms.per_year"),
        storm_days=storm_days,
        storm_ports=tuple(str(p) for p in ck.items(storm_ports, "storms.ports"))
        if storm_ports is not None
        else None,
        source=label,
    )
    ck.problems.raise_any()
    return spec


def _place_changes(
    ck: Checker, data: dict[str, Any]
) -> tuple[dict[str, PortChange], dict[str, TerminalChange], dict[str, LineChange]]:
    """The changes to ports, terminals and lines, each by the id it changes."""
    ports = {
        place: PortChange(
            _count(v.get("berths")), v.get("handling_h"), _count(v.get("ferry_berths"))
        )
        for place, v in _overrides(
            ck, data.get("ports"), "ports", ("berths", "handling_h", "ferry_berths", "source")
        ).items()
    }
    terminals = {
        place: TerminalChange(_count(v.get("servers")), v.get("handling_h"))
        for place, v in _overrides(
            ck, data.get("terminals"), "terminals", ("servers", "handling_h", "source")
        ).items()
    }
    lines = {
        line: LineChange(v.get("headway_h"))
        for line, v in _overrides(ck, data.get("lines"), "lines", ("headway_h", "source")).items()
    }
    return ports, terminals, lines


SHIP_KEYS = ("line", "name", "railcars", "teu", "trucks", "source")


def added_ships(ck: Checker, value: Any, field: str) -> list[ShipSpec]:
    """The ships the list ``field`` adds to lines: each needs a line, a name and a deck."""
    ships = []
    for i, entry in enumerate(ck.items(value, field)):
        where = f"{field}[{i}]"
        entry = ck.mapping(entry, where, SHIP_KEYS)
        sizes = {
            k: int(ck.number(entry.get(k, 0), f"{where}.{k}"))
            for k in ("railcars", "teu", "trucks")
        }
        if not entry.get("line") or not entry.get("name"):
            ck.problem(where, "an added ship needs a line (service id) and a name")
        elif not any(sizes.values()):
            ck.problem(where, "give the ship's railcars, teu or trucks")
        else:
            deck = Capacity(railcar=sizes["railcars"], teu=sizes["teu"], truck=sizes["trucks"])
            ships.append(ShipSpec(str(entry["line"]), str(entry["name"]), deck))
    return ships


def _storm_days(ck: Checker, value: Any) -> tuple[float, float, float]:
    """A storm's (min, typical, max) days; min and max default to the typical."""
    days = ck.mapping(value, "storms.duration_days", ("min", "typ", "max"))
    typ = ck.number(days.get("typ", 0), "storms.duration_days.typ")
    low = ck.number(days.get("min", typ), "storms.duration_days.min", default=typ)
    high = ck.number(days.get("max", typ), "storms.duration_days.max", default=typ)
    if not low <= typ <= high:
        ck.problem("storms.duration_days", "need min <= typ <= max")
    return low, typ, high


def _stream(ck: Checker, entry: Any, where: str) -> StreamSpec | None:
    """A demand stream, or None when it lacks what a stream needs (each lack is a problem)."""
    entry = ck.mapping(entry, where, STREAM_KEYS)
    complete = True
    for key in ("name", "origin", "destination"):
        if not entry.get(key):
            ck.problem(f"{where}.{key}", "is required")
            complete = False
    if "teu_per_year" not in entry and "units_per_year" not in entry:
        ck.problem(where, "give teu_per_year (or units_per_year)")
    unit = str(entry.get("unit", "container"))
    if unit not in UNIT_KINDS:
        ck.problem(f"{where}.unit", f"{unit!r} is not one of {', '.join(UNIT_KINDS)}")
    variants = []
    for i, v in enumerate(ck.items(entry.get("variants"), f"{where}.variants")):
        vw = f"{where}.variants[{i}]"
        v = ck.mapping(v, vw, ("via", "share"))
        via = tuple(str(p) for p in ck.items(v.get("via"), f"{vw}.via"))
        variants.append((via, ck.number(v.get("share", 1.0), f"{vw}.share")))
    if variants and sum(s for _, s in variants) <= 0:
        ck.problem(f"{where}.variants", "the shares must add up to more than 0")
    if "units_per_year" not in entry and entry.get("teu_per_unit", 1) == 0:
        ck.problem(f"{where}.teu_per_unit", "is 0, so give units_per_year instead of teu_per_year")
    if "units_per_year" not in entry and unit != "container" and "teu_per_unit" not in entry:
        ck.problem(f"{where}.units_per_year", f"{unit}s need units_per_year ({unit}s a year)")
    if not complete:
        return None
    return StreamSpec(
        name=str(entry["name"]),
        origin=str(entry["origin"]),
        destination=str(entry["destination"]),
        teu_per_year=ck.number(entry.get("teu_per_year", 0), f"{where}.teu_per_year"),
        unit=unit,
        units_per_consignment=max(
            1,
            int(
                ck.number(
                    entry.get("units_per_consignment", 50), f"{where}.units_per_consignment", 1,
                    default=50,
                )
            ),
        ),
        teu_per_unit=ck.number(
            entry.get("teu_per_unit", 2.0 if unit == "container" else 0.0), f"{where}.teu_per_unit"
        ),
        units_per_year=(
            ck.number(entry["units_per_year"], f"{where}.units_per_year")
            if "units_per_year" in entry
            else None
        ),
        seasonality=ck.number(entry.get("seasonality", 0.0), f"{where}.seasonality", 0.0, 1.0),
        peak_day=ck.number(entry.get("peak_day", 300), f"{where}.peak_day", 0.0, 366.0),
        variants=tuple(variants) or (((), 1.0),),
    )


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def _overrides(
    ck: Checker, value: Any, where: str, keys: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for place, change in ck.mapping(value, where).items():
        change = ck.mapping(change, f"{where}.{place}", keys)
        low = {"berths": 1.0, "servers": 1.0}
        numbers = {
            k: ck.problems.number(v, ck.at, f"{where}.{place}.{k}", low=low.get(k, 0.0))
            for k, v in change.items()
            if k != "source"
        }
        out[str(place)] = {k: v for k, v in numbers.items() if v is not None}
    return out
