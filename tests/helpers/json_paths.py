"""Walking a JSON value: every scalar with its path, and a copy with one of them replaced."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator


def json_scalars(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar in a JSON value, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_scalars(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_scalars(item, (*path, index))
    else:
        yield path, value


def replace_at(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of a JSON value with the scalar at ``path`` replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = replace_at(value[head], rest, new)
    return copy
