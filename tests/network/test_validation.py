"""Each kind of data problem is reported as file:row:field with a message that says what to fix."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from midcorridor.errors import DataError
from midcorridor.network import check_data, load_network
from midcorridor.network import load as load_module

if TYPE_CHECKING:
    from pathlib import Path

Edit = Callable[[list[dict[str, str]]], None]


def _copy_with(src: Path, dst: Path, file: str, edit: Edit) -> Path:
    """Copy the fixture folder and apply ``edit`` to the rows of one CSV file."""
    shutil.copytree(src, dst)
    path = dst / file
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return dst


def _set(file_row: int, **changes: str) -> Edit:
    """An edit that changes cells of the data row at ``file_row`` (the header is row 1)."""

    def edit(rows: list[dict[str, str]]) -> None:
        rows[file_row - 2].update(changes)

    return edit


CASES = [
    ("links.csv", _set(3, to="KZAKX"), "links.csv:3:to: unknown node 'KZAKX'"),
    ("nodes.csv", _set(3, id="CNALK"), "nodes.csv:3:id: duplicate id 'CNALK'"),
    ("links.csv", _set(4, distance_km="470km"), "links.csv:4:distance_km: '470km' is not a number"),
    ("links.csv", _set(4, distance_km="-5"), "links.csv:4:distance_km: -5 is out of range"),
    (
        "links.csv",
        _set(4, distance_km_source=""),
        "links.csv:4:distance_km_source: distance_km has no source",
    ),
    (
        "links.csv",
        _set(4, distance_km_source="S999"),
        "links.csv:4:distance_km_source: source S999 is not in sources.csv",
    ),
    ("nodes.csv", _set(4, lat="93.6"), "nodes.csv:4:lat: 93.6 is out of range"),
    (
        "links.csv",
        _set(4, distance_km="150"),
        "links.csv:4:distance_km: 150 km is shorter than the great-circle distance",
    ),
    (
        "links.csv",
        _set(4, distance_km="1900"),
        "links.csv:4:distance_km: 1900 km is 4.4 times the great-circle distance",
    ),
    (
        "nodes.csv",
        _set(6, gauge_mm="1435"),
        "links.csv:5:gauge_change: joins AZALT (1520 mm) and GEPTI (1435 mm) without a "
        "transshipment",
    ),
    (
        "nodes.csv",
        _set(2, gauge_mm=""),
        "links.csv:2:mode: rail link to CNALK, which has no gauge_mm",
    ),
    (
        "nodes.csv",
        _set(3, transshipment="no"),
        "links.csv:2:gauge_change: gauge change but neither CNALK nor KZDOS",
    ),
    (
        "links.csv",
        _set(4, hours_min="40", hours_typ="22"),
        "links.csv:4:hours: min 40 <= typical 22 <= max 30 does not hold",
    ),
    (
        "links.csv",
        _set(3, tariff_unit="barrel"),
        "links.csv:3:tariff_unit: 'barrel' is not one of teu, feu, tonne, wagon, truck",
    ),
    ("nodes.csv", _set(2, kind="castle"), "nodes.csv:2:kind: 'castle' is not one of seaport"),
    (
        "links.csv",
        lambda rows: rows.pop(),
        "nodes.csv:6:id: GEPTI cannot be reached from the rest of the network",
    ),
    ("sources.csv", _set(2, date="yesterday"), "sources.csv:2:date: 'yesterday' is not YYYY"),
    (
        "links.csv",
        _set(4, hours_source="derived:"),
        "links.csv:4:hours_source: a derived figure needs its formula",
    ),
    (
        "links.csv",
        _set(4, hours_source="derived: S003"),
        "links.csv:4:hours_source: 'S003' is not a formula",
    ),
    (
        "links.csv",
        _set(4, hours_source="derived: distance_km / 20 knots"),
        "links.csv:4:hours_source: a derived figure names the source id of its published inputs",
    ),
    (
        "links.csv",
        _set(4, hours_source="derived: distance_km / 22 h (S998)"),
        "links.csv:4:hours_source: source S998 is not in sources.csv",
    ),
    (
        "links.csv",
        _set(4, hours_source="S003 p. 4"),
        "links.csv:4:hours_source: 'S003 p. 4' is not a list of source ids",
    ),
    (
        "nodes.csv",
        _set(2, id="CNAL0", locode="yes"),
        "nodes.csv:2:locode: CNAL0 has the digit 0 or 1, which no UN/LOCODE uses",
    ),
    ("nodes.csv", _set(4, sea=""), "nodes.csv:4:sea: a seaport needs the sea it lies on"),
    ("nodes.csv", _set(4, sea="aral"), "nodes.csv:4:sea: 'aral' is not one of caspian, black"),
    (
        "nodes.csv",
        _set(3, sea="caspian"),
        "nodes.csv:3:sea: only a seaport or sea waypoint lies on a sea, not a border_crossing",
    ),
    (
        "nodes.csv",
        _set(5, sea="black"),
        "links.csv:4:to: joins KZAAU (caspian) and AZALT (black), but the Caspian is landlocked",
    ),
    (
        "nodes.csv",
        _set(5, kind="rail_terminal", sea=""),
        "links.csv:4:mode: ferry link to AZALT, which lies on no sea",
    ),
]


@pytest.mark.parametrize(
    ("file", "edit", "expected"), CASES, ids=[c[2].split(": ")[1][:40] for c in CASES]
)
def test_problem_is_reported(
    corridor_minimal_dir: Path, tmp_path: Path, file: str, edit: Edit, expected: str
) -> None:
    """A broken fixture yields the documented problem, located by file, row and field."""
    folder = _copy_with(corridor_minimal_dir, tmp_path / "data", file, edit)
    messages = [str(p) for p in check_data(folder, packaged=False)]
    assert any(expected in m for m in messages), messages


def test_all_problems_reported_at_once(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """Several problems in different rows are all listed in one DataError."""

    def edit(rows: list[dict[str, str]]) -> None:
        rows[0]["distance_km"] = "x"
        rows[1]["to"] = "NOWHR"
        rows[2]["hours_source"] = ""

    folder = _copy_with(corridor_minimal_dir, tmp_path / "data", "links.csv", edit)
    with pytest.raises(DataError) as caught:
        load_network(folder, packaged=False)
    fields = {(p.row, p.field) for p in caught.value.problems}
    assert {(2, "distance_km"), (3, "to"), (4, "hours_source")} <= fields


def test_unknown_node_suggests_nearest_id(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """A misspelt node id in a link names the nearest ids."""
    folder = _copy_with(corridor_minimal_dir, tmp_path / "data", "links.csv", _set(3, to="KZAAV"))
    messages = [str(p) for p in check_data(folder, packaged=False)]
    assert any("nearest ids: KZAAU" in m for m in messages), messages


def test_unknown_column_is_reported(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """A column the format does not define is reported with the known columns."""
    folder = tmp_path / "data"
    shutil.copytree(corridor_minimal_dir, folder)
    path = folder / "nodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("notes", "remarks")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = [str(p) for p in check_data(folder, packaged=False)]
    assert any("nodes.csv:1:remarks: unknown column" in m for m in messages), messages


def test_service_on_missing_link(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """A ferry service between ports without a sea or ferry link is reported."""
    folder = tmp_path / "data"
    shutil.copytree(corridor_minimal_dir, folder)
    path = folder / "services.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[KZAAU, AZALT]", "[KZAAU, GEPTI]"))
    messages = [str(p) for p in check_data(folder, packaged=False)]
    assert any(
        "services.yaml:2:route: no sea or ferry link from KZAAU to GEPTI" in m for m in messages
    ), messages


def test_scenario_link_is_checked(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """A scenario that changes a link to an implausible distance is reported with its scenario."""
    folder = tmp_path / "data"
    shutil.copytree(corridor_minimal_dir, folder)
    path = folder / "scenarios.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("hours_min: 70", "distance_km: 100, hours_min: 70")
    )
    messages = [str(p) for p in check_data(folder, packaged=False)]
    assert any("(scenario faster_kazakhstan)" in m and "shorter than" in m for m in messages), (
        messages
    )


def test_user_folder_overrides_packaged_row(
    corridor_minimal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row in the user's folder with a packaged id replaces it; new rows are added."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "links.csv").write_text(
        (corridor_minimal_dir / "links.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\nKZAAU-AZALT-ferry,KZAAU,AZALT,ferry,480,assumption: user's measured track,"
        "20,24,36,assumption: user's log,,,,,yes,no,,,,,,,,ASCO,yes,\n",
        encoding="utf-8",
    )
    base = load_network(corridor_minimal_dir, packaged=False)
    assert base.link("KZAAU-AZALT-ferry").distance_km == 470
    # The fixture stands in for the packaged data here: read it, then the user's folder.
    monkeypatch.setattr(load_module, "packaged_data_dir", lambda: corridor_minimal_dir)
    merged = load_network(extra)
    assert merged.link("KZAAU-AZALT-ferry").distance_km == 480
    assert len(merged.links) == len(base.links)
    assert merged.provenance_of("links", "KZAAU-AZALT-ferry", "distance_km").is_assumption


def test_problems_of_every_file_at_once(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """A mistake in each of nodes.csv, links.csv, services.yaml and scenarios.yaml: all four
    are listed in one DataError, each in its own file."""
    folder = _copy_with(corridor_minimal_dir, tmp_path / "data", "nodes.csv",
                        _set(4, lat="north"))
    links = folder / "links.csv"
    links.write_text(links.read_text(encoding="utf-8").replace(",ferry,", ",hovercraft,", 1),
                     encoding="utf-8")
    (folder / "services.yaml").write_text(
        "services:\n  - id: SHUTTLE\n    kind: block_train\n    route: [KZAAU, AZALT]\n"
        "    headway_h: {value: -24, source: 'assumption: daily'}\n", encoding="utf-8")
    (folder / "scenarios.yaml").write_text(
        "scenarios:\n  - id: NEWPORT\n    status: dreamt\n    sources: [S001]\n",
        encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_network(folder, packaged=False)
    found = {(os.path.basename(p.file), p.field) for p in caught.value.problems}
    assert {("nodes.csv", "lat"), ("links.csv", "mode"), ("services.yaml", "headway_h.value"),
            ("scenarios.yaml", "status")} <= found, found


def test_an_empty_folder_name_means_the_packaged_data_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``""`` names no folder: the environment's folder is read only when none is named."""
    monkeypatch.setenv("MIDCORRIDOR_DATA", str(tmp_path / "nowhere"))
    assert load_network("").nodes["KZAAU"].name == "Aktau"
    with pytest.raises(DataError, match="no such data folder"):
        load_network()
