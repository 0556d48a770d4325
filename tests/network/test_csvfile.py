"""The one CSV reader: files as spreadsheets save them (encodings, delimiters), and errors that
say what was read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from midcorridor.crossing import load_instance
from midcorridor.errors import DataError
from midcorridor.network import load_network
from midcorridor.network.csvfile import read_table

if TYPE_CHECKING:
    from pathlib import Path

COLUMNS = ("id", "name", "units")
ROWS = [("B1", "Актау", "20"), ("B2", "Alat", "5")]


def _write(path: Path, delimiter: str, encoding: str, bom: bool = False) -> Path:
    lines = [delimiter.join(COLUMNS), *(delimiter.join(r) for r in ROWS)]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@pytest.mark.parametrize(("delimiter", "encoding", "bom"), [
    (",", "utf-8", False), (",", "utf-8", True), (";", "utf-8", True), ("\t", "utf-8", False),
    (";", "cp1251", False), (",", "cp1251", False), ("\t", "cp1251", False)])
def test_reads_every_way_spreadsheets_save(tmp_path: Path, delimiter: str, encoding: str,
                                           bom: bool) -> None:
    """UTF-8 with or without BOM, or cp1251; comma, semicolon or tab: the same rows."""
    table = read_table(_write(tmp_path / "b.csv", delimiter, encoding, bom), expected=COLUMNS,
                       required=COLUMNS)
    assert table.header == COLUMNS
    expected = [(line, dict(zip(COLUMNS, row, strict=True))) for line, row in enumerate(ROWS, 2)]
    assert list(table) == expected
    assert table.encoding == ("utf-8" if encoding == "utf-8" else "cp1251")
    assert table.delimiter == delimiter


def test_missing_column_says_what_was_read(tmp_path: Path) -> None:
    """A header without a required column names it, the header as read, encoding and delimiter."""
    path = tmp_path / "b.csv"
    path.write_bytes("id|name|units\nB1|Актау|20\n".encode("cp1251"))
    with pytest.raises(DataError) as caught:
        read_table(path, expected=COLUMNS, required=COLUMNS)
    assert [p.field for p in caught.value.problems] == list(COLUMNS)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("b.csv", 1, "id")
    assert "'id|name|units'" in problem.message
    assert "cp1251" in problem.message
    assert "separated by commas, semicolons or tabs" in problem.message


def test_neither_utf8_nor_cp1251_is_named(tmp_path: Path) -> None:
    """Bytes that decode as neither encoding are one problem naming the file."""
    path = tmp_path / "b.bin"
    path.write_bytes(b"id,name\n\x98\x98\n")
    with pytest.raises(DataError, match="neither UTF-8 nor cp1251"):
        read_table(path, expected=("id",))


def test_bookings_saved_by_excel_in_russian(tmp_path: Path, corridor_minimal) -> None:  # noqa: ANN001
    """A bookings file in cp1251 with semicolons loads like the comma-separated UTF-8 one."""
    header = ["id", "units", "unit_type", "origin", "destination", "ready"]
    row = ["B1", "20", "railcar", "Актау", "AZALT", "2026-03-02T06:00:00+04:00"]
    bookings = tmp_path / "bookings.csv"
    bookings.write_bytes((";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode("cp1251"))
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text(
        "start: '2026-03-02T00:00:00+04:00'\nhorizon_h: 48\nports:\n  - {id: Aktau, berths: 1}\n"
        "  - {id: Alat, berths: 1}\nvessels:\n  - {id: AZ, name: A, type: ro_pax, "
        "capacity: {railcar: 56}, speed_kn: 12, available_at: Aktau}\nsailings:\n  - {id: S1, "
        "vessel: AZ, from: Aktau, to: Alat, departure: '2026-03-02T20:00:00+04:00'}\n",
        encoding="utf-8")
    instance = load_instance(bookings, fleet, corridor_minimal)
    [booking] = instance.bookings
    assert (booking.id, booking.units, booking.origin) == ("B1", 20, "KZAAU")


def test_header_only_bookings_is_an_error(tmp_path: Path, corridor_minimal) -> None:  # noqa: ANN001
    """A bookings file with a header and no rows is an error, not an empty optimum."""
    bookings = tmp_path / "bookings.csv"
    bookings.write_text("id,units,unit_type,origin,destination,ready\n", encoding="utf-8")
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text("ports: []\nvessels: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="bookings.csv:2:-: the file has a header but no bookings"):
        load_instance(bookings, fleet, corridor_minimal)


def test_network_data_in_cp1251_with_semicolons(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """The network loader uses the same reader: a user's nodes.csv saved by Excel loads."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("sources.csv", "nodes.csv", "links.csv", "services.yaml", "scenarios.yaml"):
        text = (corridor_minimal_dir / name).read_text(encoding="utf-8")
        if name.endswith(".csv"):
            import csv
            import io
            rows = list(csv.reader(io.StringIO(text)))
            out = io.StringIO()
            csv.writer(out, delimiter=";").writerows(rows)
            (folder / name).write_bytes(out.getvalue().encode("cp1251", "replace"))
        else:
            (folder / name).write_text(text, encoding="utf-8")
    reference = load_network(corridor_minimal_dir, packaged=False)
    network = load_network(folder, packaged=False)
    assert set(network.nodes) == set(reference.nodes)
    assert [link.id for link in network.links] == [link.id for link in reference.links]
