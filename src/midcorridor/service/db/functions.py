"""SQL functions the two backends spell differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, cast
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction


class id_list(GenericFunction[str]):  # noqa: N801  (an SQL function name)
    """The integers of a group joined by commas (``group_concat`` on SQLite, ``string_agg``
    on PostgreSQL), in no particular order; read back with :func:`ids_of`.
    """

    type = String()
    inherit_cache = True


@compiles(id_list, "sqlite")
def _sqlite_id_list(element: id_list, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(id_list, "postgresql")
def _postgresql_id_list(element: id_list, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses
    text = compiler.process(cast(cast(column, Integer), String()), **kw)
    return f"string_agg({text}, ',')"


def ids_of(joined: str | None) -> list[int]:
    """The integers of an :class:`id_list` value (unsorted)."""
    return list(map(int, joined.split(","))) if joined else []
