"""The exception tree of midcorridor.

Every error a user can cause derives from :class:`MidcorridorError`; the command line prints
its message on one line and exits non-zero, and the service maps it to a 4xx answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


class MidcorridorError(Exception):
    """Root of all errors raised by midcorridor for a problem in its input."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file, located as ``file:row:field``."""

    file: str
    row: int | str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"


class DataError(MidcorridorError):
    """A data set or input file has one or more problems; all are listed at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class UnknownPlaceError(MidcorridorError, LookupError):
    """A place name or code matched nothing; ``suggestions`` holds the nearest names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()):
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown place {query!r}{hint}")


class UnknownScenarioError(MidcorridorError, LookupError):
    """A scenario id is not in the data set."""

    def __init__(self, scenario_id: str, known: Sequence[str]):
        self.scenario_id = scenario_id
        super().__init__(
            f"unknown scenario {scenario_id!r}; known scenarios: {', '.join(sorted(known))}"
        )


class NoRouteError(MidcorridorError):
    """No route satisfies the request (constraints too tight, or places not connected)."""


class InputError(MidcorridorError, ValueError):
    """A request or command-line value is invalid; the message says what would be valid."""


class InvalidFieldsError(InputError):
    """Named fields of a request are invalid; ``problems`` pairs each field's dotted path
    (``legs.0.origin``) with what was wrong, all at once.
    """

    def __init__(self, problems: Sequence[tuple[str, str]], *, code: str = "value_error"):
        self.problems = tuple(problems)
        self.code = code
        shown = "; ".join(f"{field}: {message}" for field, message in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"invalid request: {shown}{more}")


class InfeasibleError(MidcorridorError):
    """An optimization model has no feasible solution; ``status`` is the solver's status."""

    def __init__(self, message: str, status: str = ""):
        self.status = status
        super().__init__(message)
