"""Reading CSV files as people save them: the one reader behind every CSV input.

Spreadsheets save CSV in more than one way. Excel on a Russian-locale machine writes cp1251 and
separates columns with semicolons; other tools write UTF-8 with a byte-order mark, or tabs.
:func:`read_table` detects the encoding (UTF-8 with or without BOM, else cp1251) and the
delimiter (comma, semicolon or tab: the one whose header names the most expected columns) and,
when the header still lacks a required column, says exactly what it read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.errors import DataError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

ENCODINGS = ("utf-8-sig", "cp1251")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read: header, rows with their line numbers, and how the file was written."""

    label: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str], bool], ...]  # (line, cells, more cells than header)
    encoding: str
    delimiter: str

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return ((line, cells) for line, cells, _ in self.rows)

    @property
    def how(self) -> str:
        """How the file was read, e.g. ``cp1251, semicolon-separated``."""
        return f"{self.encoding}, {DELIMITERS[self.delimiter]}-separated"


def decode(raw: bytes, label: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read with."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise DataError([Problem(label, 1, "-", "the file is neither UTF-8 nor cp1251 text; "
                             "save it as CSV UTF-8")])


def _header(text: str, delimiter: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return [cell.strip() for cell in first]


def sniff_delimiter(text: str, expected: Sequence[str]) -> str:
    """The delimiter whose header row names the most ``expected`` columns (then most cells)."""
    def score(delimiter: str) -> tuple[int, int]:
        header = _header(text, delimiter)
        return sum(name in header for name in expected), len(header)

    return max(DELIMITERS, key=score)


def read_table(
    path: Path, *, expected: Sequence[str], required: Sequence[str] = (), label: str | None = None
) -> CsvTable:
    """Read a CSV file whatever its encoding and delimiter; cells as written, header names stripped.

    Raises :class:`DataError` naming the file when it cannot be read, and naming each missing
    ``required`` column together with the header as read, the encoding and the delimiter.
    """
    name = label or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(str(path), 0, "-", f"cannot read: {exc.strerror}")]) from None
    text, encoding = decode(raw, name)
    delimiter = sniff_delimiter(text, expected)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = tuple(cell.strip() for cell in next(reader, []))
    missing = [column for column in required if column not in header]
    if missing:
        seen = ", ".join(repr(h) for h in header) or "nothing"
        raise DataError([
            Problem(name, 1, column,
                    f"required column is missing; the header row reads {seen} "
                    f"(read as {encoding}, {DELIMITERS[delimiter]}-separated); expected the "
                    f"columns {', '.join(required)} separated by commas, semicolons or tabs")
            for column in missing])
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        record = {column: (cells[i] if i < len(cells) else "")
                  for i, column in enumerate(header)}
        rows.append((line, record, len(cells) > len(header)))
    return CsvTable(name, header, tuple(rows), encoding, delimiter)
