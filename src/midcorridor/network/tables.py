"""The CSV tables of the data set: ``sources.csv``, ``nodes.csv`` and ``links.csv``.

Each function reads one row into the model; every cell that is wrong is a problem of the
:class:`CellReader`, and the row is still read as far as it can be.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from midcorridor.network.cells import SOURCE_ID
from midcorridor.network.model import (
    ZERO,
    CapacityUnit,
    Link,
    Mode,
    Node,
    NodeKind,
    Sea,
    Source,
    TariffUnit,
)

if TYPE_CHECKING:
    from midcorridor.network.cells import CellReader, Row
    from midcorridor.network.model import Quantity

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

_DATE = re.compile(r"^(n\.d\.|\d{4}(-\d{2}(-\d{2})?)?)$")
_NODE_ID = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
_OWN_CODE = re.compile(r"[01]")
"""UN/LOCODE place codes use letters and the digits 2-9 only; our own codes carry a 0."""


def parse_source(row: Row, reader: CellReader) -> Source | None:
    """A row of sources.csv: id, title, address (or a note saying where), date."""
    sid = reader.text(row, "id", required=True)
    if sid and not SOURCE_ID.match(sid):
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


def _parse_gauges(row: Row, reader: CellReader) -> frozenset[int]:
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


def _parse_sea(row: Row, reader: CellReader, kind: str) -> str:
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


def _capacity(row: Row, reader: CellReader, table: str) -> Quantity | None:
    """The ``capacity`` cell with its unit and source, as nodes and links both have it."""
    return reader.quantity(row, "capacity", "capacity_unit", [u.value for u in CapacityUnit],
                           table=table, source="capacity_source")


def parse_node(row: Row, reader: CellReader) -> Node | None:
    """A row of nodes.csv; None when the place cannot be used (no position or kind)."""
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
    capacity = _capacity(row, reader, table)
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


def parse_link(row: Row, reader: CellReader) -> Link | None:
    """A row of links.csv; None when the link lacks what routing needs."""
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
    tariff = reader.quantity(row, "tariff_usd", "tariff_unit", [u.value for u in TariffUnit],
                             table=table, source="tariff_source")
    capacity = _capacity(row, reader, table)
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

