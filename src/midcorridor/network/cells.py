"""The cells of the data set read into typed values, with the source of every figure.

A :class:`CellReader` turns the text of a cell into a number, a choice, a flag or a
:class:`Spread`, and reads the source column beside each figure into its
:class:`Provenance`. A cell that is wrong is recorded in :attr:`CellReader.problems` (file,
row and field; what was wrong and how to fix it), and reading goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from midcorridor.network.model import Provenance, ProvenanceKey, Quantity, Spread
from midcorridor.network.reading import At, Problems

if TYPE_CHECKING:
    from collections.abc import Iterable

SOURCE_ID = re.compile(r"^S\d{3,}$")
_ASSUMPTION = "assumption:"
_DERIVED = "derived:"
_CITED = re.compile(r"\bS\d{3,}\b")
_OPERATOR = re.compile(r"[/*×÷+=]| x | - ")
_FORMULA_EXAMPLE = "derived: distance_km / 690 km/day (S031) x 24 h/day"


@dataclass
class Row:
    """One input record with the place it came from."""

    file: str
    line: int | str
    data: dict[str, str]
    prefix: str = ""  # field prefix for records nested in YAML, e.g. "add_links[2]."

    @property
    def id(self) -> str:
        """The record's id, stripped (empty when it has none)."""
        return self.data.get("id", "").strip()

    @property
    def where(self) -> At:
        """The record's place for a problem: file, row and field prefix."""
        return At(self.file, self.line, self.prefix)


@dataclass
class CellReader:
    """Turns text cells into typed values, recording a problem for each cell that is wrong.

    ``source_ids`` are the ids of sources.csv that a figure may cite; ``provenance`` collects
    the source of every figure read.
    """

    source_ids: set[str] = field(default_factory=set)
    problems: Problems = field(default_factory=Problems)
    provenance: dict[ProvenanceKey, Provenance] = field(default_factory=dict)

    def problem(self, row: Row, name: str, message: str) -> None:
        """Record that cell ``name`` of ``row`` is wrong: what was wrong and how to fix it."""
        self.problems.at(row.where, name, message)

    def text(self, row: Row, name: str, *, required: bool = False) -> str:
        """The cell's text, stripped; an empty required cell is a problem."""
        value = row.data.get(name, "").strip()
        if required and not value:
            self.problem(row, name, "is empty; a value is required")
        return value

    def choice(self, row: Row, name: str, allowed: Iterable[str], *, required: bool = True) -> str:
        """The cell's text if it is one of ``allowed``; otherwise a problem and ``""``."""
        value = self.text(row, name, required=required)
        options = tuple(allowed)
        if value and value not in options:
            self.problem(row, name, f"{value!r} is not one of {', '.join(options)}")
            return ""
        return value

    def flag(self, row: Row, name: str, *, default: bool = False) -> bool:
        """A yes/no cell; an empty cell is ``default``."""
        return self.problems.flag(row.data.get(name), row.where, name, default=default)

    def provenance_of(self, row: Row, name: str, key: ProvenanceKey) -> None:
        """Read the source cell ``name`` and record it for the figure ``key``."""
        cell = row.data.get(name, "").strip()
        parsed = self.parse_source(row, name, cell, key[2])
        if parsed is not None:
            self.provenance[key] = parsed

    def parse_source(self, row: Row, name: str, cell: str, figure: str) -> Provenance | None:
        """The provenance a source cell gives: source ids, a derivation or an assumption."""
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
        if any(not SOURCE_ID.match(sid) for sid in ids):
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

    def known(self, row: Row, name: str, ids: Iterable[str]) -> bool:
        """Whether every source id is in sources.csv; a problem names those that are not."""
        unknown = [sid for sid in ids if sid not in self.source_ids]
        if unknown:
            self.problem(
                row,
                name,
                f"source {', '.join(unknown)} is not in sources.csv; add it there or fix the id",
            )
        return not unknown

    def parse_formula(self, row: Row, name: str, formula: str) -> Provenance | None:
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
        row: Row,
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
            number = float(cell)
        except ValueError:
            self.problem(row, name, f"{cell!r} is not a number (write plain digits, e.g. 470.5)")
            return None
        value = self.problems.number(number, row.where, name, low=low, high=high, integer=integer)
        if value is None:
            return None
        if source is not None:
            self.provenance_of(row, source, (table, row.id, name))
        return value

    def spread(self, row: Row, prefix: str, *, table: str, required: bool) -> Spread | None:
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
        row: Row,
        name: str,
        unit_column: str,
        units: Iterable[str],
        *,
        table: str,
        source: str,
    ) -> Quantity | None:
        """A number with its unit (from ``unit_column``) and its source."""
        value = self.number(row, name, table=table, source=source)
        unit = self.choice(row, unit_column, units, required=value is not None)
        if value is None or not unit:
            return None
        return Quantity(value, unit)

