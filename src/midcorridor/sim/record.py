"""Result records of the simulator and their JSON-ready values (``to_dict()``)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any


class Record:
    """A frozen dataclass of results whose ``to_dict()`` gives its fields as JSON-ready values."""

    def to_dict(self) -> dict[str, Any]:
        """The fields in order: a value with ``to_dict()`` through it, a tuple as a list and a
        dict item by item (their values likewise).
        """
        return {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def _json_value(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value
