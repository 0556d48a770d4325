"""``scenarios.yaml``: changes to the network (new or upgraded links, nodes and services).

A scenario's added and changed rows are read like the rows of the tables they change, so they
are checked the same way; their problems are located by the scenario's line and id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from midcorridor.network.cells import CellReader, Row
from midcorridor.network.model import Link, Node, Scenario, Service
from midcorridor.network.services import parse_service
from midcorridor.network.tables import parse_link, parse_node

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_T = TypeVar("_T")


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



_STATUSES = ("planned", "under_construction", "completed", "operational")


def parse_scenario(
    entry: Any,
    row: Row,
    reader: CellReader,
    nodes: Mapping[str, Row],
    links: Mapping[str, Row],
) -> tuple[Scenario | None, list[Link], dict[str, Node]]:
    """A scenario, with its new or changed links and nodes for the network checks."""
    if not isinstance(entry, dict) or not entry.get("id"):
        reader.problem(row, "id", "a scenario needs an id")
        return None, [], {}
    sid = str(entry["id"])
    row.data = {"id": sid}
    # the scenario's figures keep their own provenance
    reader = CellReader(reader.source_ids, reader.problems, {})
    sources = [str(s) for s in entry.get("sources") or []]
    unknown = [s for s in sources if s not in reader.source_ids]
    if not sources or unknown:
        reader.problem(row, "sources", f"needs source ids from sources.csv (unknown: {unknown})")
    status = str(entry.get("status") or "")
    if status not in _STATUSES:
        reader.problem(row, "status", f"{status!r} is not one of {', '.join(_STATUSES)}")
    rows = _Changes(entry, row, sid, reader)
    scenario = Scenario(
        id=sid,
        name=str(entry.get("name") or sid),
        status=status,
        expected=str(entry.get("expected") or ""),
        sources=tuple(sources),
        add_nodes=rows.read(rows.added("add_nodes"), parse_node),
        add_links=rows.read(rows.added("add_links"), parse_link),
        replace_nodes=rows.read(rows.changed("change_nodes", nodes, "nodes.csv"), parse_node),
        replace_links=rows.read(rows.changed("change_links", links, "links.csv"), parse_link),
        add_services=rows.services(),
        provenance=reader.provenance,
        notes=str(entry.get("notes") or ""),
    )
    extra_nodes = {n.id: n for n in (*scenario.add_nodes, *scenario.replace_nodes)}
    return scenario, [*scenario.add_links, *scenario.replace_links], extra_nodes


class _Changes:
    """The rows a scenario adds or changes, each located by the scenario's line and id."""

    def __init__(self, entry: dict[str, Any], row: Row, sid: str, reader: CellReader) -> None:
        self.entry, self.row, self.sid, self.reader = entry, row, sid, reader

    def _sub_row(self, key: str, index: int | str, record: Mapping[str, Any]) -> Row:
        return Row(self.row.file, self.row.line, _stringify(record),
                   prefix=f"{self.sid}.{key}[{index}].")

    def added(self, key: str) -> list[Row]:
        """Rows of ``add_nodes``/``add_links``."""
        return [self._sub_row(key, i, r) for i, r in enumerate(self.entry.get(key) or [])]

    def changed(self, key: str, base_rows: Mapping[str, Row], file: str) -> list[Row]:
        """Rows of ``change_nodes``/``change_links``: the base row with the changes laid over."""
        rows = []
        for row_id, change in (self.entry.get(key) or {}).items():
            base = base_rows.get(str(row_id))
            if base is None:
                self.reader.problem(self.row, f"{key}.{row_id}", f"no such id in {file}")
                continue
            rows.append(self._sub_row(key, row_id, {**base.data, **_stringify(change)}))
        return rows

    def read(
        self, rows: list[Row], parse: Callable[[Row, CellReader], _T | None]
    ) -> tuple[_T, ...]:
        """The rows parsed; a row that cannot be used is left out (its problems are kept)."""
        parsed = [parse(r, self.reader) for r in rows]
        return tuple(p for p in parsed if p is not None)

    def services(self) -> tuple[Service, ...]:
        """The services of ``add_services``."""
        out = []
        for index, service in enumerate(self.entry.get("add_services") or []):
            where = Row(self.row.file, self.row.line, {},
                        prefix=f"{self.sid}.add_services[{index}].")
            parsed = parse_service(service, where, self.reader)
            if parsed is not None:
                out.append(parsed)
        return tuple(out)
