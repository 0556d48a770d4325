"""The toolkit behind every input reader: problems located as ``file:row:field``, all at once.

A reader adds each problem it finds to a :class:`Problems` and goes on reading, so that the
user sees every mistake of a file in one run; :meth:`Problems.raise_any` then raises one
:class:`DataError` listing them all. Each message says what was wrong and how to fix it.

The checks here take values as YAML gives them (numbers, lists, mappings); a CSV cell is text
and goes through :func:`yes_no` or ``float`` first. :data:`YES_WORDS` and :data:`NO_WORDS`
are the one set of yes/no words every reader accepts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from midcorridor.errors import DataError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

YES_WORDS = frozenset({"yes", "true", "1", "y"})
NO_WORDS = frozenset({"no", "false", "0", "n", ""})
"""An empty cell is a no: a flag left blank is off."""


def yes_no(text: object) -> bool | None:
    """True for a yes word, False for a no word or nothing, None for anything else."""
    word = str(text).strip().lower() if text is not None else ""
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


@dataclass(frozen=True)
class At:
    """Where a value was read: a file, a row (line number or a name) and a field prefix."""

    file: str
    row: int | str = "-"
    prefix: str = ""


class Problems:
    """Problems found while reading, kept so that every one is reported at once."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.found: list[Problem] = []

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.found)

    def add(self, file: str, row: int | str, field: str, message: str) -> None:
        """Record that ``field`` of ``row`` in ``file`` is wrong, saying why and what to do."""
        self.found.append(Problem(file, row, field, message))

    def at(self, where: At, field: str, message: str) -> None:
        """Record a problem with ``field`` at ``where`` (its prefix goes before the field)."""
        self.add(where.file, where.row, where.prefix + field, message)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere, e.g. by a reader of a file this one includes."""
        self.found.extend(problems)

    def raise_any(self) -> None:
        """Raise :class:`DataError` listing every problem so far, if there is any."""
        if self.found:
            raise DataError(self.found)

    def number(
        self,
        value: Any,
        where: At,
        field: str,
        *,
        low: float = 0.0,
        high: float | None = None,
        integer: bool = False,
        default: float | None = None,
    ) -> float | None:
        """A finite number in ``[low, high]``, or ``default`` after recording what was wrong."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.at(where, field, f"{value!r} is not a number (write plain digits, e.g. 12.5)")
            return default
        shown = str(int(value)) if float(value).is_integer() else str(value)
        if not math.isfinite(value):
            self.at(where, field, f"{shown} is not a finite number")
            return default
        if integer and not float(value).is_integer():
            self.at(where, field, f"{shown} must be a whole number")
            return default
        if value < low or (high is not None and value > high):
            span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            self.at(where, field, f"{shown} is out of range; it must be {span}")
            return default
        return float(value)

    def flag(self, value: Any, where: At, field: str, *, default: bool = False) -> bool:
        """A yes/no value (YAML's booleans or one of the yes/no words); blank is ``default``."""
        if isinstance(value, bool):
            return value
        if value is None or str(value).strip() == "":
            return default
        answer = yes_no(value)
        if answer is None:
            self.at(where, field, f"{value!r} is not a yes/no value; use yes or no")
            return default
        return answer

    def mapping(
        self, value: Any, where: At, field: str, keys: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """A mapping (empty when absent); unknown keys are problems and are left out."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.at(where, field, "expected a mapping of settings (key: value)")
            return {}
        if keys is None:
            return value
        known = tuple(keys)
        kept = {}
        for key, item in value.items():
            if key in known:
                kept[key] = item
            else:
                self.at(where, f"{field}.{key}" if field else str(key),
                        f"unknown setting; known: {', '.join(known)}")
        return kept

    def items(self, value: Any, where: At, field: str) -> list[Any]:
        """A list (empty when absent, or after recording that it is not a list)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.at(where, field, "expected a list (- item per line, or [a, b])")
            return []
        return value
