"""Reading the data set files into a validated :class:`Network`.

Every problem in every file is collected before anything is raised, so a data author sees the
whole list at once, each as ``file:row:field: message``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from midcorridor.errors import DataError, Problem
from midcorridor.network.csvfile import read_table
from midcorridor.network.model import (
    ZERO,
    CapacityUnit,
    Departures,
    Link,
    Mode,
    Network,
    Node,
    NodeKind,
    Provenance,
    ProvenanceKey,
    Quantity,
    Scenario,
    Sea,
    Service,
    ServiceKind,
    Source,
    Spread,
    TariffUnit,
    Vessel,
    VesselKind,
)
from midcorridor.network.validate import check_links, check_network

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

FILES = ("sources.csv", "nodes.csv", "links.csv", "services.yaml", "scenarios.yaml")

SOURCE_COLUMNS = ("id", "title", "url", "date", "publisher", "note")
NODE_COLUMNS = (
    "id", "locode", "name", "aliases", "country", "lat", "lon", "coord_source", "kind",
    "gauge_mm", "handling_h", "handling_h_source", "capacity", "capacity_unit",
    "capacity_source", "transshipment", "sea", "notes",
)  # fmt: skip
LINK_COLUMNS = (
    "id", "from", "to", "mode", "distance_km", "distance_km_source", "hours_min", "hours_typ",
    "hours_max", "hours_source", "dwell_h_min", "dwell_h_typ", "dwell_h_max", "dwell_h_source",
    "border", "gauge_change", "tariff_usd", "tariff_unit", "tariff_source", "capacity",
    "capacity_unit", "capacity_source", "traction", "operator", "bidirectional", "notes",
)  # fmt: skip

_SOURCE_ID = re.compile(r"^S\d{3,}$")
_DATE = re.compile(r"^(n\.d\.|\d{4}(-\d{2}(-\d{2})?)?)$")
_NODE_ID = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
_OWN_CODE = re.compile(r"[01]")
"""UN/LOCODE place codes use letters and the digits 2-9 only; our own codes carry a 0."""
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_OFFSET = re.compile(r"^[+-](0\d|1[0-4]):[0-5]\d$")
_ASSUMPTION = "assumption:"
_DERIVED = "derived:"
_CITED = re.compile(r"\bS\d{3,}\b")
_OPERATOR = re.compile(r"[/*×÷+=]| x | - ")
_FORMULA_EXAMPLE = "derived: distance_km / 690 km/day (S031) x 24 h/day"
_YES = {"yes", "true", "1", "y"}
_NO = {"no", "false", "0", "n", ""}


def packaged_data_dir() -> Path:
    """The folder of the data set shipped with the package."""
    return Path(str(resources.files("midcorridor") / "data"))


@dataclass
class _Row:
    """One input record with the place it came from."""

    file: str
    line: int | str
    data: dict[str, str]
    prefix: str = ""  # field prefix for records nested in YAML, e.g. "add_links[2]."

    @property
    def id(self) -> str:
        return self.data.get("id", "").strip()


@dataclass
class _Reader:
    """Collects problems while turning text cells into typed values."""

    source_ids: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    provenance: dict[ProvenanceKey, Provenance] = field(default_factory=dict)

    def problem(self, row: _Row, name: str, message: str) -> None:
        self.problems.append(Problem(row.file, row.line, row.prefix + name, message))

    def text(self, row: _Row, name: str, *, required: bool = False) -> str:
        value = row.data.get(name, "").strip()
        if required and not value:
            self.problem(row, name, "is empty; a value is required")
        return value

    def choice(self, row: _Row, name: str, allowed: Iterable[str], *, required: bool = True) -> str:
        value = self.text(row, name, required=required)
        options = tuple(allowed)
        if value and value not in options:
            self.problem(row, name, f"{value!r} is not one of {', '.join(options)}")
            return ""
        return value

    def flag(self, row: _Row, name: str, *, default: bool = False) -> bool:
        value = row.data.get(name, "").strip().lower()
        if not value:
            return default
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.problem(row, name, f"{value!r} is not yes or no")
        return default

    def provenance_of(self, row: _Row, name: str, key: ProvenanceKey) -> None:
        """Read the source cell ``name`` and record it for the figure ``key``."""
        cell = row.data.get(name, "").strip()
        parsed = self.parse_source(row, name, cell, key[2])
        if parsed is not None:
            self.provenance[key] = parsed

    def parse_source(self, row: _Row, name: str, cell: str, figure: str) -> Provenance | None:
        if not cell:
            self.problem(
                row,
                name,
                f"{figure} has no source; give source ids from sources.csv (S001;S002), "
                "'derived: <formula with each input's source>' or 'assumption: <reason>'",
            )
            return None
        if cell.lower().startswith(_ASSUMPTION):
            reason = cell[len(_ASSUMPTION) :].strip()
            if not reason:
                self.problem(row, name, "an assumption needs its reason after 'assumption:'")
                return None
            return Provenance(assumption=reason)
        if cell.lower().startswith(_DERIVED):
            return self.parse_formula(row, name, cell[len(_DERIVED) :].strip())
        ids = tuple(part.strip() for part in cell.split(";") if part.strip())
        if any(not _SOURCE_ID.match(sid) for sid in ids):
            self.problem(
                row,
                name,
                f"{cell!r} is not a list of source ids like S001;S002; a computed figure is "
                f"written with its formula, e.g. '{_FORMULA_EXAMPLE}'",
            )
            return None
        if not self.known(row, name, ids):
            return None
        return Provenance(sources=ids)

    def known(self, row: _Row, name: str, ids: Iterable[str]) -> bool:
        """Whether every source id is in sources.csv; a problem names those that are not."""
        unknown = [sid for sid in ids if sid not in self.source_ids]
        if unknown:
            self.problem(
                row,
                name,
                f"source {', '.join(unknown)} is not in sources.csv; add it there or fix the id",
            )
        return not unknown

    def parse_formula(self, row: _Row, name: str, formula: str) -> Provenance | None:
        """A derived figure: the arithmetic, with the source id of each published input."""
        if not formula:
            self.problem(
                row, name, f"a derived figure needs its formula, e.g. '{_FORMULA_EXAMPLE}'"
            )
            return None
        if not _OPERATOR.search(formula):
            self.problem(
                row,
                name,
                f"{formula!r} is not a formula; write the arithmetic with each input's source, "
                f"e.g. '{_FORMULA_EXAMPLE}'",
            )
            return None
        ids = tuple(dict.fromkeys(_CITED.findall(formula)))
        if not ids:
            self.problem(
                row,
                name,
                "a derived figure names the source id of its published inputs, e.g. (S031); "
                "with no published input it is an 'assumption:'",
            )
            return None
        if not self.known(row, name, ids):
            return None
        return Provenance(sources=ids, formula=formula)

    def number(
        self,
        row: _Row,
        name: str,
        *,
        table: str,
        source: str | None = None,
        required: bool = False,
        integer: bool = False,
        low: float = 0.0,
        high: float | None = None,
    ) -> float | None:
        """A non-negative number whose source sits in column ``source`` (``name_source``)."""
        cell = row.data.get(name, "").strip()
        if not cell:
            if required:
                self.problem(row, name, "is empty; a number is required")
            return None
        try:
            value = float(cell)
        except ValueError:
            self.problem(row, name, f"{cell!r} is not a number (write plain digits, e.g. 470.5)")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.problem(row, name, f"{cell!r} is not a finite number")
            return None
        if integer and not value.is_integer():
            self.problem(row, name, f"{cell!r} must be a whole number")
            return None
        if value < low or (high is not None and value > high):
            span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            self.problem(row, name, f"{cell} is out of range; it must be {span}")
            return None
        if source is not None:
            self.provenance_of(row, source, (table, row.id, name))
        return value

    def spread(self, row: _Row, prefix: str, *, table: str, required: bool) -> Spread | None:
        """Three columns ``prefix_min/typ/max`` with one source column ``prefix_source``."""
        names = [f"{prefix}_{part}" for part in ("min", "typ", "max")]
        cells = [row.data.get(n, "").strip() for n in names]
        if not any(cells):
            if required:
                self.problem(row, names[1], "is empty; the typical duration in hours is required")
            return None
        values = [self.number(row, n, table=table) for n in names]
        self.provenance_of(row, f"{prefix}_source", (table, row.id, prefix))
        typ = values[1]
        if typ is None:
            if cells[1] == "":
                self.problem(row, names[1], "is empty; give the typical value with min and max")
            return None
        low = values[0] if values[0] is not None else typ
        high = values[2] if values[2] is not None else typ
        if not low <= typ <= high:
            self.problem(
                row, prefix, f"min {low:g} <= typical {typ:g} <= max {high:g} does not hold"
            )
            return None
        return Spread(low, typ, high)

    def quantity(
        self,
        row: _Row,
        name: str,
        unit_column: str,
        units: Iterable[str],
        *,
        table: str,
        source: str,
    ) -> Quantity | None:
        value = self.number(row, name, table=table, source=source)
        unit = self.choice(row, unit_column, units, required=value is not None)
        if value is None or not unit:
            return None
        return Quantity(value, unit)


def _read_csv(path: Path, label: str, columns: tuple[str, ...], reader: _Reader) -> list[_Row]:
    try:
        table = read_table(path, expected=columns, label=label)
    except DataError as exc:
        reader.problems.extend(exc.problems)
        return []
    head = _Row(label, 1, {})
    for name in table.header:
        if name not in columns:
            reader.problem(head, name, f"unknown column; known columns: {', '.join(columns)} "
                           f"(the file was read as {table.how})")
    if "id" not in table.header:
        reader.problem(head, "id", f"the header has no 'id' column (read as {table.how})")
        return []
    rows: list[_Row] = []
    for line, data, extra in table.rows:
        if extra:
            reader.problems.append(Problem(label, line, "-", "more cells than header columns"))
        rows.append(_Row(label, line, data))
    return rows


def _yaml_items(path: Path, label: str, key: str, reader: _Reader) -> list[tuple[int, Any]]:
    """The entries of the top-level list ``key`` with their line numbers."""
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "-"
        reader.problems.append(Problem(label, line, "-", f"not valid YAML: {exc}"))
        return []
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        reader.problems.append(Problem(label, 1, key, f"expected a top-level '{key}:' list"))
        return []
    lines: list[int] = []
    assert document is not None
    for key_node, value_node in document.value:
        if key_node.value == key:
            lines = [item.start_mark.line + 1 for item in value_node.value]
    return list(zip(lines, data[key], strict=False))


def _merge(rows_by_dir: list[list[_Row]], reader: _Reader) -> dict[str, _Row]:
    """Rows by id: a later folder's row replaces an earlier one; duplicates in a file are errors."""
    merged: dict[str, _Row] = {}
    for rows in rows_by_dir:
        seen: dict[str, _Row] = {}
        for row in rows:
            if not row.id:
                reader.problem(row, "id", "is empty; every row needs an id")
                continue
            if row.id in seen:
                reader.problem(
                    row, "id", f"duplicate id {row.id!r} (first at row {seen[row.id].line})"
                )
                continue
            seen[row.id] = row
            merged[row.id] = row
    return merged


def _parse_source(row: _Row, reader: _Reader) -> Source | None:
    sid = reader.text(row, "id", required=True)
    if sid and not _SOURCE_ID.match(sid):
        reader.problem(row, "id", f"{sid!r} is not a source id like S001")
    title = reader.text(row, "title", required=True)
    url = reader.text(row, "url")
    note = reader.text(row, "note")
    if url and not url.startswith(("http://", "https://")):
        reader.problem(row, "url", f"{url!r} is not an http(s) address")
    if not url and not note:
        reader.problem(row, "url", "is empty; give the address, or say in 'note' where to find it")
    date = reader.text(row, "date", required=True)
    if date and not _DATE.match(date):
        reader.problem(row, "date", f"{date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or n.d.")
    return Source(sid, title, url, date, reader.text(row, "publisher"), note)


def _parse_gauges(row: _Row, reader: _Reader) -> frozenset[int]:
    cell = reader.text(row, "gauge_mm")
    if not cell:
        return frozenset()
    gauges: set[int] = set()
    for part in cell.split("/"):
        if part.strip() not in ("1435", "1520"):
            reader.problem(row, "gauge_mm", f"{cell!r} is not 1435, 1520 or 1435/1520")
            return frozenset()
        gauges.add(int(part))
    return frozenset(gauges)


_ON_WATER = (NodeKind.SEAPORT.value, NodeKind.SEA_WAYPOINT.value)


def _parse_sea(row: _Row, reader: _Reader, kind: str) -> str:
    """The ``sea`` cell: required for seaports and sea waypoints, empty for places on land."""
    seas = [s.value for s in Sea]
    if kind in _ON_WATER and not reader.text(row, "sea"):
        reader.problem(row, "sea", f"a {kind} needs the sea it lies on, one of {', '.join(seas)}")
        return ""
    sea = reader.choice(row, "sea", seas, required=False)
    if sea and kind and kind not in _ON_WATER:
        reader.problem(row, "sea", f"only a seaport or sea waypoint lies on a sea, not a {kind}")
        return ""
    return sea


def _parse_node(row: _Row, reader: _Reader) -> Node | None:
    table = "nodes"
    node_id = reader.text(row, "id", required=True)
    if node_id and not _NODE_ID.match(node_id):
        reader.problem(row, "id", f"{node_id!r} is not a 5-character code like KZAAU")
    official = reader.flag(row, "locode")
    if node_id and official and _OWN_CODE.search(node_id[2:]):
        reader.problem(
            row,
            "locode",
            f"{node_id} has the digit 0 or 1, which no UN/LOCODE uses; "
            "an id of our own is marked locode=no",
        )
    country = reader.text(row, "country", required=True)
    if country and not re.match(r"^[A-Z]{2}$", country):
        reader.problem(row, "country", f"{country!r} is not an ISO 3166-1 alpha-2 code like KZ")
    lat = reader.number(row, "lat", table=table, required=True, low=-90, high=90)
    lon = reader.number(row, "lon", table=table, required=True, low=-180, high=180)
    if lat is not None or lon is not None:
        reader.provenance_of(row, "coord_source", (table, node_id, "coordinates"))
    kind = reader.choice(row, "kind", [k.value for k in NodeKind])
    handling = reader.number(row, "handling_h", table=table, source="handling_h_source")
    capacity = reader.quantity(
        row,
        "capacity",
        "capacity_unit",
        [u.value for u in CapacityUnit],
        table=table,
        source="capacity_source",
    )
    aliases = tuple(a.strip() for a in reader.text(row, "aliases").split(";") if a.strip())
    sea = _parse_sea(row, reader, kind)
    node = Node(
        id=node_id,
        name=reader.text(row, "name", required=True),
        country=country,
        lat=lat if lat is not None else 0.0,
        lon=lon if lon is not None else 0.0,
        kind=NodeKind(kind) if kind else NodeKind.CITY,
        aliases=aliases,
        gauges=_parse_gauges(row, reader),
        handling_h=handling,
        capacity=capacity,
        transshipment=reader.flag(row, "transshipment"),
        locode=official,
        sea=Sea(sea) if sea else None,
        notes=reader.text(row, "notes"),
    )
    if lat is None or lon is None or not kind:
        return None
    return node


def _parse_link(row: _Row, reader: _Reader) -> Link | None:
    table = "links"
    link_id = reader.text(row, "id", required=True)
    origin = reader.text(row, "from", required=True)
    destination = reader.text(row, "to", required=True)
    if origin and origin == destination:
        reader.problem(row, "to", f"the link starts and ends at {origin}")
    mode = reader.choice(row, "mode", [m.value for m in Mode])
    distance = reader.number(
        row, "distance_km", table=table, source="distance_km_source", required=True
    )
    hours = reader.spread(row, "hours", table=table, required=True)
    dwell = reader.spread(row, "dwell_h", table=table, required=False)
    tariff = reader.quantity(
        row,
        "tariff_usd",
        "tariff_unit",
        [u.value for u in TariffUnit],
        table=table,
        source="tariff_source",
    )
    capacity = reader.quantity(
        row,
        "capacity",
        "capacity_unit",
        [u.value for u in CapacityUnit],
        table=table,
        source="capacity_source",
    )
    traction = reader.choice(row, "traction", ["electric", "diesel", "mixed"], required=False)
    if traction and mode and mode != "rail":
        reader.problem(row, "traction", "traction applies to rail links only")
    if not (link_id and origin and destination and mode and distance is not None and hours):
        return None
    return Link(
        id=link_id,
        origin=origin,
        destination=destination,
        mode=Mode(mode),
        distance_km=distance,
        hours=hours,
        dwell=dwell or ZERO,
        border=reader.flag(row, "border"),
        gauge_change=reader.flag(row, "gauge_change"),
        tariff=tariff,
        capacity=capacity,
        traction=traction,
        operator=reader.text(row, "operator"),
        bidirectional=reader.flag(row, "bidirectional", default=True),
        notes=reader.text(row, "notes"),
    )


def _stringify(record: Mapping[str, Any]) -> dict[str, str]:
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ";".join(str(v) for v in value)
        return str(value)

    return {str(k): cell(v) for k, v in record.items()}


def _sourced(
    entry: Mapping[str, Any], key: str, row: _Row, reader: _Reader, prov_key: ProvenanceKey
) -> Any:
    """A YAML figure written as ``{value: ..., source: ...}`` (or with min/typ/max)."""
    item = entry.get(key)
    if item is None:
        return None
    if not isinstance(item, dict):
        reader.problem(row, key, "write the figure as {value: ..., source: ...}")
        return None
    parsed = reader.parse_source(row, f"{key}.source", str(item.get("source") or "").strip(), key)
    if parsed is not None:
        reader.provenance[prov_key] = parsed
    return item


def _yaml_number(value: Any, row: _Row, name: str, reader: _Reader) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        reader.problem(row, name, f"{value!r} is not a number")
        return None
    if value < 0:
        reader.problem(row, name, f"{value} is negative")
        return None
    return float(value)


def _parse_service(entry: Any, row: _Row, reader: _Reader) -> Service | None:
    if not isinstance(entry, dict):
        reader.problem(row, "-", "a service must be a mapping of fields")
        return None
    sid = str(entry.get("id") or "").strip()
    row.data = {"id": sid}
    if not sid:
        reader.problem(row, "id", "is empty; every service needs an id")
        return None
    table = "services"
    kind = str(entry.get("kind") or "")
    if kind not in {k.value for k in ServiceKind}:
        reader.problem(
            row, "kind", f"{kind!r} is not one of {', '.join(k.value for k in ServiceKind)}"
        )
        return None
    route = entry.get("route")
    if not isinstance(route, list) or len(route) < 2:
        reader.problem(row, "route", "needs a list of at least two node ids")
        return None
    departures = _parse_departures(entry, row, reader)
    crossing = None
    item = _sourced(entry, "crossing_h", row, reader, (table, sid, "crossing_h"))
    if item is not None:
        try:
            crossing = Spread(
                float(item.get("min", item.get("typ"))),
                float(item["typ"]),
                float(item.get("max", item.get("typ"))),
            )
        except (KeyError, TypeError, ValueError) as exc:
            reader.problem(row, "crossing_h", f"needs min <= typ <= max in hours ({exc})")
    vessels = []
    for index, vessel in enumerate(entry.get("vessels") or []):
        parsed = _parse_vessel(vessel, index, row, reader, sid)
        if parsed is not None:
            vessels.append(parsed)
    if departures is None:
        return None
    return Service(
        id=sid,
        name=str(entry.get("name") or sid),
        operator=str(entry.get("operator") or ""),
        kind=ServiceKind(kind),
        route=tuple(str(stop) for stop in route),
        departures=departures,
        crossing_h=crossing,
        vessels=tuple(vessels),
        bidirectional=bool(entry.get("bidirectional", True)),
        notes=str(entry.get("notes") or ""),
    )


def _parse_departures(entry: dict[str, Any], row: _Row, reader: _Reader) -> Departures | None:
    sid = row.id
    if "departures" in entry:
        item = _sourced(entry, "departures", row, reader, ("services", sid, "departures"))
        if item is None:
            return None
        days = item.get("weekly") or []
        bad = [d for d in days if str(d).lower()[:3] not in _WEEKDAYS]
        if not days or bad:
            reader.problem(row, "departures.weekly", f"needs weekdays from {', '.join(_WEEKDAYS)}")
            return None
        time = str(item.get("time") or "00:00")
        offset = str(item.get("utc_offset") or "+00:00")
        if not _HHMM.match(time):
            reader.problem(row, "departures.time", f"{time!r} is not HH:MM")
            return None
        if not _OFFSET.match(offset):
            reader.problem(row, "departures.utc_offset", f"{offset!r} is not like +04:00")
            return None
        weekdays = tuple(sorted({_WEEKDAYS.index(str(d).lower()[:3]) for d in days}))
        return Departures(weekdays=weekdays, time=time, utc_offset=offset)
    item = _sourced(entry, "headway_h", row, reader, ("services", sid, "headway_h"))
    if item is None:
        reader.problem(row, "departures", "give 'departures' (weekly days and time) or 'headway_h'")
        return None
    headway = _yaml_number(item.get("value"), row, "headway_h.value", reader)
    if headway is None or headway <= 0:
        if headway is not None:
            reader.problem(row, "headway_h.value", "must be more than 0 hours")
        return None
    return Departures(headway_h=headway)


def _parse_vessel(vessel: Any, index: int, row: _Row, reader: _Reader, sid: str) -> Vessel | None:
    where = f"vessels[{index}]"
    if not isinstance(vessel, dict) or not vessel.get("name"):
        reader.problem(row, where, "a vessel needs at least a name and a kind")
        return None
    kind = str(vessel.get("kind") or "")
    if kind not in {k.value for k in VesselKind}:
        reader.problem(
            row, f"{where}.kind", f"{kind!r} is not one of {', '.join(k.value for k in VesselKind)}"
        )
        return None
    sizes: dict[str, int] = {}
    for unit in ("railcars", "trucks", "teu"):
        item = _sourced(vessel, unit, row, reader, ("services", sid, f"{where}.{unit}"))
        if item is None:
            sizes[unit] = 0
            continue
        value = _yaml_number(item.get("value"), row, f"{where}.{unit}.value", reader)
        sizes[unit] = int(value or 0)
    return Vessel(name=str(vessel["name"]), kind=VesselKind(kind), **sizes)


def _parse_scenario(
    entry: Any,
    row: _Row,
    reader: _Reader,
    nodes: Mapping[str, _Row],
    links: Mapping[str, _Row],
) -> tuple[Scenario | None, list[Link], dict[str, Node]]:
    """A scenario, with its new or changed links and nodes for the network checks."""
    if not isinstance(entry, dict) or not entry.get("id"):
        reader.problem(row, "id", "a scenario needs an id")
        return None, [], {}
    sid = str(entry["id"])
    row.data = {"id": sid}
    own = reader
    reader = _Reader(
        own.source_ids, own.problems, {}
    )  # the scenario's figures keep their own provenance
    sources = [str(s) for s in entry.get("sources") or []]
    unknown = [s for s in sources if s not in reader.source_ids]
    if not sources or unknown:
        reader.problem(row, "sources", f"needs source ids from sources.csv (unknown: {unknown})")
    status = str(entry.get("status") or "")
    if status not in ("planned", "under_construction", "completed", "operational"):
        reader.problem(row, "status", f"{status!r} is not planned, under_construction or completed")

    def sub_row(key: str, index: int | str, record: Mapping[str, Any]) -> _Row:
        return _Row(row.file, row.line, _stringify(record), prefix=f"{sid}.{key}[{index}].")

    new_nodes = [
        _parse_node(sub_row("add_nodes", i, r), reader)
        for i, r in enumerate(entry.get("add_nodes") or [])
    ]
    new_links = [
        _parse_link(sub_row("add_links", i, r), reader)
        for i, r in enumerate(entry.get("add_links") or [])
    ]
    def changed(key: str, base_rows: Mapping[str, _Row], file: str) -> list[_Row]:
        """Rows of ``change_nodes``/``change_links``: the base row with the changes laid over."""
        rows = []
        for row_id, change in (entry.get(key) or {}).items():
            base = base_rows.get(str(row_id))
            if base is None:
                reader.problem(row, f"{key}.{row_id}", f"no such id in {file}")
                continue
            rows.append(sub_row(key, row_id, {**base.data, **_stringify(change)}))
        return rows

    changed_nodes = [_parse_node(r, reader) for r in changed("change_nodes", nodes, "nodes.csv")]
    changed_links = [_parse_link(r, reader) for r in changed("change_links", links, "links.csv")]
    services = []
    for index, service in enumerate(entry.get("add_services") or []):
        parsed = _parse_service(
            service, _Row(row.file, row.line, {}, prefix=f"{sid}.add_services[{index}]."), reader
        )
        if parsed is not None:
            services.append(parsed)
    scenario = Scenario(
        id=sid,
        name=str(entry.get("name") or sid),
        status=status,
        expected=str(entry.get("expected") or ""),
        sources=tuple(sources),
        add_nodes=tuple(n for n in new_nodes if n is not None),
        add_links=tuple(lk for lk in new_links if lk is not None),
        replace_nodes=tuple(n for n in changed_nodes if n is not None),
        replace_links=tuple(lk for lk in changed_links if lk is not None),
        add_services=tuple(services),
        provenance=reader.provenance,
        notes=str(entry.get("notes") or ""),
    )
    extra_nodes = {n.id: n for n in (*scenario.add_nodes, *scenario.replace_nodes)}
    return scenario, [*scenario.add_links, *scenario.replace_links], extra_nodes


def _data_dirs(data_dir: str | os.PathLike[str] | None, packaged: bool) -> list[tuple[Path, str]]:
    """The folders to read, packaged first; labels are what messages call the files."""
    dirs = [(packaged_data_dir(), "")] if packaged else []
    user = data_dir if data_dir is not None else os.environ.get("MIDCORRIDOR_DATA") or None
    if user is not None:
        path = Path(user)
        if not path.is_dir():
            raise DataError([Problem(str(path), "-", "-", "no such data folder")])
        dirs.append((path, f"{path}{os.sep}"))
    return dirs


def _read(
    data_dir: str | os.PathLike[str] | None, packaged: bool = True
) -> tuple[Network, list[Problem]]:
    reader = _Reader()
    dirs = _data_dirs(data_dir, packaged)
    digest = hashlib.sha256()

    def csv_rows(name: str, columns: tuple[str, ...]) -> dict[str, _Row]:
        per_dir = []
        for folder, label in dirs:
            path = folder / name
            if path.is_file():
                digest.update(path.read_bytes())
                per_dir.append(_read_csv(path, label + name, columns, reader))
        return _merge(per_dir, reader)

    def yaml_rows(name: str, key: str) -> dict[str, tuple[_Row, Any]]:
        merged: dict[str, tuple[_Row, Any]] = {}
        for folder, label in dirs:
            path = folder / name
            if not path.is_file():
                continue
            digest.update(path.read_bytes())
            seen: set[str] = set()
            for line, entry in _yaml_items(path, label + name, key, reader):
                row = _Row(label + name, line, {})
                entry_id = str(entry.get("id") or "") if isinstance(entry, dict) else ""
                if entry_id in seen:
                    reader.problem(row, "id", f"duplicate id {entry_id!r}")
                    continue
                seen.add(entry_id)
                merged[entry_id or f"#{line}"] = (row, entry)
        return merged

    source_rows = csv_rows("sources.csv", SOURCE_COLUMNS)
    reader.source_ids = set(source_rows)
    sources = {s.id: s for s in (_parse_source(r, reader) for r in source_rows.values()) if s}
    node_rows = csv_rows("nodes.csv", NODE_COLUMNS)
    nodes = {n.id: n for n in (_parse_node(r, reader) for r in node_rows.values()) if n}
    link_rows = csv_rows("links.csv", LINK_COLUMNS)
    links = [lk for lk in (_parse_link(r, reader) for r in link_rows.values()) if lk]
    where = {("nodes", k): (r.file, r.line) for k, r in node_rows.items()}
    where.update({("links", k): (r.file, r.line) for k, r in link_rows.items()})

    services = []
    for row, entry in yaml_rows("services.yaml", "services").values():
        service = _parse_service(entry, row, reader)
        if service is not None:
            services.append(service)
            where[("services", service.id)] = (row.file, row.line)
    scenarios = {}
    scenario_problems: list[Problem] = []
    for row, entry in yaml_rows("scenarios.yaml", "scenarios").values():
        scenario, extra_links, extra_nodes = _parse_scenario(
            entry, row, reader, node_rows, link_rows
        )
        if scenario is None:
            continue
        scenarios[scenario.id] = scenario
        here = {("links", lk.id): (row.file, f"{row.line}") for lk in extra_links}
        scenario_problems += check_links({**nodes, **extra_nodes}, extra_links, here, scenario.id)

    network = Network(
        nodes=nodes,
        links=tuple(links),
        services=tuple(services),
        scenarios=scenarios,
        sources=sources,
        provenance=reader.provenance,
        version=digest.hexdigest()[:12],
    )
    problems = reader.problems + check_network(network, where) + scenario_problems
    return network, problems


def check_data(
    data_dir: str | os.PathLike[str] | None = None, *, packaged: bool = True
) -> list[Problem]:
    """Every problem in the data set (packaged, extended by ``data_dir``); empty when clean."""
    return _read(data_dir, packaged)[1]


def load_network(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    scenarios: Iterable[str] = (),
    packaged: bool = True,
) -> Network:
    """Load and validate the network; raise :class:`DataError` listing every problem.

    ``data_dir`` (or the ``MIDCORRIDOR_DATA`` environment variable) names a folder whose files
    extend or override the packaged data set; with ``packaged=False`` it is read alone.
    ``scenarios`` are switched on after loading.

    >>> network = load_network()
    >>> network.nodes["KZAAU"].name
    'Aktau'
    """
    network, problems = _read(data_dir, packaged)
    if problems:
        raise DataError(problems)
    return network.with_scenarios(scenarios) if scenarios else network
