"""``scenarios.yaml``: changes to the network (new or upgraded links, nodes and services).

A scenario's added and changed rows are read like the rows of the tables they change, so they
are checked the same way; their problems are located by the scenario's line and id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.network.cells import CellReader, Row
from midcorridor.network.model import Link, Node, Scenario
from midcorridor.network.services import parse_service
from midcorridor.network.tables import parse_link, parse_node

if TYPE_CHECKING:
    from collections.abc import Mapping


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
    own = reader
    reader = CellReader(
        own.source_ids, own.problems, {}
    )  # the scenario's figures keep their own provenance
    sources = [str(s) for s in entry.get("sources") or []]
    unknown = [s for s in sources if s not in reader.source_ids]
    if not sources or unknown:
        reader.problem(row, "sources", f"needs source ids from sources.csv (unknown: {unknown})")
    status = str(entry.get("status") or "")
    if status not in ("planned", "under_construction", "completed", "operational"):
        reader.problem(row, "status", f"{status!r} is not planned, under_construction or completed")

    def sub_row(key: str, index: int | str, record: Mapping[str, Any]) -> Row:
        return Row(row.file, row.line, _stringify(record), prefix=f"{sid}.{key}[{index}].")

    new_nodes = [
        parse_node(sub_row("add_nodes", i, r), reader)
        for i, r in enumerate(entry.get("add_nodes") or [])
    ]
    new_links = [
        parse_link(sub_row("add_links", i, r), reader)
        for i, r in enumerate(entry.get("add_links") or [])
    ]
    def changed(key: str, base_rows: Mapping[str, Row], file: str) -> list[Row]:
        """Rows of ``change_nodes``/``change_links``: the base row with the changes laid over."""
        rows = []
        for row_id, change in (entry.get(key) or {}).items():
            base = base_rows.get(str(row_id))
            if base is None:
                reader.problem(row, f"{key}.{row_id}", f"no such id in {file}")
                continue
            rows.append(sub_row(key, row_id, {**base.data, **_stringify(change)}))
        return rows

    changed_nodes = [parse_node(r, reader) for r in changed("change_nodes", nodes, "nodes.csv")]
    changed_links = [parse_link(r, reader) for r in changed("change_links", links, "links.csv")]
    services = []
    for index, service in enumerate(entry.get("add_services") or []):
        parsed = parse_service(
            service, Row(row.file, row.line, {}, prefix=f"{sid}.add_services[{index}]."), reader
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

