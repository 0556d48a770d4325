"""Reading the data set files into a validated :class:`Network`.

Every problem in every file is collected before anything is raised, so a data author sees the
whole list at once, each as ``file:row:field: message``.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from midcorridor.errors import DataError, Problem
from midcorridor.network.cells import CellReader, Row
from midcorridor.network.csvfile import read_table
from midcorridor.network.model import Network
from midcorridor.network.scenarios import parse_scenario
from midcorridor.network.services import parse_service
from midcorridor.network.tables import (
    LINK_COLUMNS,
    NODE_COLUMNS,
    SOURCE_COLUMNS,
    parse_link,
    parse_node,
    parse_source,
)
from midcorridor.network.validate import check_links, check_network

if TYPE_CHECKING:
    from collections.abc import Iterable

FILES = ("sources.csv", "nodes.csv", "links.csv", "services.yaml", "scenarios.yaml")


def packaged_data_dir() -> Path:
    """The folder of the data set shipped with the package."""
    return Path(str(resources.files("midcorridor") / "data"))


def _read_csv(path: Path, label: str, columns: tuple[str, ...], reader: CellReader) -> list[Row]:
    try:
        table = read_table(path, expected=columns, label=label)
    except DataError as exc:
        reader.problems.extend(exc.problems)
        return []
    head = Row(label, 1, {})
    for name in table.header:
        if name not in columns:
            reader.problem(head, name, f"unknown column; known columns: {', '.join(columns)} "
                           f"(the file was read as {table.how})")
    if "id" not in table.header:
        reader.problem(head, "id", f"the header has no 'id' column (read as {table.how})")
        return []
    rows: list[Row] = []
    for line, data, extra in table.rows:
        if extra:
            reader.problems.add(label, line, "-", "more cells than header columns")
        rows.append(Row(label, line, data))
    return rows


def _yaml_items(path: Path, label: str, key: str, reader: CellReader) -> list[tuple[int, Any]]:
    """The entries of the top-level list ``key`` with their line numbers."""
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "-"
        reader.problems.add(label, line, "-", f"not valid YAML: {exc}")
        return []
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        reader.problems.add(label, 1, key, f"expected a top-level '{key}:' list")
        return []
    lines: list[int] = []
    assert document is not None
    for key_node, value_node in document.value:
        if key_node.value == key:
            lines = [item.start_mark.line + 1 for item in value_node.value]
    return list(zip(lines, data[key], strict=False))


def _merge(rows_by_dir: list[list[Row]], reader: CellReader) -> dict[str, Row]:
    """Rows by id: a later folder's row replaces an earlier one; duplicates in a file are errors."""
    merged: dict[str, Row] = {}
    for rows in rows_by_dir:
        seen: dict[str, Row] = {}
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


def _data_dirs(data_dir: str | os.PathLike[str] | None, packaged: bool) -> list[tuple[Path, str]]:
    """The folders to read, packaged first; labels are what messages call the files."""
    dirs = [(packaged_data_dir(), "")] if packaged else []
    user: str | os.PathLike[str] | None = data_dir
    if data_dir is None:
        user = os.environ.get("MIDCORRIDOR_DATA") or None
    elif data_dir == "":  # no folder: the packaged data set alone
        user = None
    if user is not None:
        path = Path(user)
        if not path.is_dir():
            raise DataError([Problem(str(path), "-", "-", "no such data folder")])
        dirs.append((path, f"{path}{os.sep}"))
    return dirs


class _Folders:
    """The data folders, read file by file; the digest of every file read is the version."""

    def __init__(self, dirs: list[tuple[Path, str]], reader: CellReader) -> None:
        self.dirs, self.reader = dirs, reader
        self.digest = hashlib.sha256()

    def csv_rows(self, name: str, columns: tuple[str, ...]) -> dict[str, Row]:
        """The rows of CSV file ``name`` by id, a later folder's row replacing an earlier one."""
        per_dir = []
        for folder, label in self.dirs:
            path = folder / name
            if path.is_file():
                self.digest.update(path.read_bytes())
                per_dir.append(_read_csv(path, label + name, columns, self.reader))
        return _merge(per_dir, self.reader)

    def yaml_rows(self, name: str, key: str) -> dict[str, tuple[Row, Any]]:
        """The entries of the list ``key`` of YAML file ``name`` by id, as :meth:`csv_rows`."""
        merged: dict[str, tuple[Row, Any]] = {}
        for folder, label in self.dirs:
            path = folder / name
            if not path.is_file():
                continue
            self.digest.update(path.read_bytes())
            seen: set[str] = set()
            for line, entry in _yaml_items(path, label + name, key, self.reader):
                row = Row(label + name, line, {})
                entry_id = str(entry.get("id") or "") if isinstance(entry, dict) else ""
                if entry_id in seen:
                    self.reader.problem(row, "id", f"duplicate id {entry_id!r}")
                    continue
                seen.add(entry_id)
                merged[entry_id or f"#{line}"] = (row, entry)
        return merged


def _read(
    data_dir: str | os.PathLike[str] | None, packaged: bool = True
) -> tuple[Network, list[Problem]]:
    reader = CellReader()
    folders = _Folders(_data_dirs(data_dir, packaged), reader)
    csv_rows, yaml_rows = folders.csv_rows, folders.yaml_rows
    source_rows = csv_rows("sources.csv", SOURCE_COLUMNS)
    reader.source_ids = set(source_rows)
    sources = {s.id: s for s in (parse_source(r, reader) for r in source_rows.values()) if s}
    node_rows = csv_rows("nodes.csv", NODE_COLUMNS)
    nodes = {n.id: n for n in (parse_node(r, reader) for r in node_rows.values()) if n}
    link_rows = csv_rows("links.csv", LINK_COLUMNS)
    links = [lk for lk in (parse_link(r, reader) for r in link_rows.values()) if lk]
    where = {("nodes", k): (r.file, r.line) for k, r in node_rows.items()}
    where.update({("links", k): (r.file, r.line) for k, r in link_rows.items()})

    services = []
    for row, entry in yaml_rows("services.yaml", "services").values():
        service = parse_service(entry, row, reader)
        if service is not None:
            services.append(service)
            where[("services", service.id)] = (row.file, row.line)
    scenarios = {}
    scenario_problems: list[Problem] = []
    for row, entry in yaml_rows("scenarios.yaml", "scenarios").values():
        scenario, extra_links, extra_nodes = parse_scenario(
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
        version=folders.digest.hexdigest()[:12],
    )
    problems = [*reader.problems, *check_network(network, where), *scenario_problems]
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

    ``data_dir`` (or, when it is None, the ``MIDCORRIDOR_DATA`` environment variable) names a
    folder whose files extend or override the packaged data set; ``""`` names none, so the
    environment is not read. With ``packaged=False`` the folder is read alone.
    ``scenarios`` are switched on after loading.

    >>> network = load_network()
    >>> network.nodes["KZAAU"].name
    'Aktau'
    """
    network, problems = _read(data_dir, packaged)
    if problems:
        raise DataError(problems)
    return network.with_scenarios(scenarios) if scenarios else network

