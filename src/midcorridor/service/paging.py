"""Pages of a list: how many rows to pass over (``skip``) and to return at most (``limit``).

Out-of-range values are a 422, not a database overflow or an unbounded answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_SKIP = 10_000_000

Skip = Annotated[int, Query(ge=0, le=MAX_SKIP)]
Limit = Annotated[int, Query(ge=1, le=1000)]
