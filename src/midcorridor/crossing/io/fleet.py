"""``fleet.yaml`` as a document, and its cost weights; its ports are read by
:mod:`midcorridor.crossing.io.ports`, its vessels and sailings by
:mod:`midcorridor.crossing.io.vessels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from midcorridor.crossing.model import Costs
from midcorridor.errors import DataError, Problem

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from midcorridor.crossing.io.reading import Reading

DEFAULT_HORIZON_H = 14 * 24.0


def read_fleet_document(path: Path) -> dict[str, Any]:
    """Read a fleet YAML file as a mapping; an unreadable or malformed file is an InputError."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError([Problem(str(path), 0, "", f"cannot read: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(path.name, 0, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(doc, dict):
        raise DataError([Problem(path.name, 0, "", "expected a mapping with vessels and ports")])
    return doc


def read_costs(read: Reading, raw: Mapping[str, Any]) -> Costs:
    """The fleet file's cost weights; an unknown or negative one is a problem."""
    known = set(Costs.__dataclass_fields__)
    values: dict[str, float] = {}
    for key, value in raw.items():
        if key not in known:
            read.problems.add(read.fleet, "costs", key,
                              f"unknown cost; use {', '.join(sorted(known))}")
        elif not isinstance(value, int | float) or value < 0:
            read.problems.add(read.fleet, "costs", key, f"{value!r} is not a number >= 0")
        else:
            values[key] = float(value)
    return Costs(**values)
