"""The wait for a ferry at a Caspian port and the stay after a crossing, fitted: quantiles of
their hours from the live state.

The ETA's rules (the queue's pace, the ships' calls, the waits seen lately) give a wait for a
shipment standing at a port. A :class:`WaitModel` takes that rule's median and what the state
shows at the moment (:data:`FEATURES`: the units ahead, the pace units left at lately, the
next call with space and the one the last units catch, ships at the port and sailing to it,
winter, hours the port stays closed) and gives the wait's quantiles at :data:`LEVELS`, each a
linear quantile regression fitted on simulated years (:func:`fit_models`, an LP solved by
HiGHS). The stay at a port a shipment has just crossed to, until it leaves by land, is fitted
the same way (:data:`STAY`), on the features that apply to it. The fit and what it was fitted
on are data (``data/ferry_waits.json``, its rows ``data/ferry_waits_rows.csv``);
``python -m benchmarks.fit_waits`` refits them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

FEATURES = ("const", "rule_h", "ahead", "pace_per_h", "call_h", "last_call_h", "seen",
            "at_port", "coming", "winter", "closed_h")
"""What a wait model reads, in order: 1; the rules' median wait (hours); units of the type
ahead for the crossing; units an hour that left lately; hours to the next call with space
and to the call the last units catch; 1 when the first call's ship is seen coming with cargo;
ships of the crossing at the port, and sailing to it; 1 from November to March; hours until
a closed port reopens. A wait is fitted only where a ship of the crossing was seen lately
(its calls known), as on every simulated day it was fitted on; elsewhere the rules stand."""

WAIT = "wait"
"""The kind of a wait for a ferry at ``port`` for the crossing to ``towards``."""

STAY = "stay"
"""The kind of a stay at ``port`` after a crossing, until the leg to ``towards`` leaves. It
reads :data:`FEATURES` where they apply: the rules' median stay; as ``last_call_h`` the hours
until its last units land, when they cross on a later ship (else 0); the crossing's ships at
the port and sailing to it (``at_port``, ``coming``: a berth to share); winter; hours until
the port reopens. The rest read 0."""

LEVELS = tuple(round(float(q), 2) for q in np.linspace(0.02, 0.98, 9))
"""The quantile levels each model gives: equally spaced, so that the ETA's sampling of them
as a step's durations (linear between them) reads about the level's quantile."""


@dataclass(frozen=True)
class WaitInputs:
    """What a wait for a ferry (or a stay, ``kind``) read: the crossing, the unit type and
    :data:`FEATURES`.
    """

    port: str
    towards: str
    unit: str
    values: tuple[float, ...]
    kind: str = WAIT


@dataclass(frozen=True)
class WaitModel:
    """The fitted wait (or stay, ``kind``) at ``port`` for ``towards`` of units of ``unit``:
    per level of :data:`LEVELS`, coefficients of :data:`FEATURES`.
    """

    port: str
    towards: str
    unit: str
    rows: int
    coefficients: tuple[tuple[float, ...], ...]
    kind: str = WAIT

    def hours(self, inputs: WaitInputs) -> tuple[float, ...]:
        """The wait's quantiles at :data:`LEVELS` (hours, at least 0, in order)."""
        x = np.asarray(inputs.values, dtype=float)
        q = np.asarray(self.coefficients, dtype=float) @ x
        return tuple(float(v) for v in np.sort(np.maximum(q, 0.0)))


@dataclass(frozen=True)
class WaitFit:
    """The wait models and what they were fitted on."""

    models: tuple[WaitModel, ...]
    fitted_on: Mapping[str, object]

    def model(self, port: str, towards: str, unit: str, kind: str = WAIT) -> WaitModel | None:
        """The model of that crossing (or stay), unit type and kind, if there is one."""
        for m in self.models:
            if (m.port, m.towards, m.unit, m.kind) == (port, towards, unit, kind):
                return m
        return None

    def fits(self, port: str, kind: str) -> bool:
        """Whether a model of ``kind`` is fitted at ``port`` (for any crossing or unit)."""
        return any((m.port, m.kind) == (port, kind) for m in self.models)

    def of(self, inputs: WaitInputs) -> WaitModel | None:
        """The model that takes ``inputs``, if there is one."""
        return self.model(inputs.port, inputs.towards, inputs.unit, inputs.kind)


NO_FIT = WaitFit((), {})


def data_path(name: str) -> Path:
    """A file of the package's data."""
    return Path(str(resources.files("midcorridor") / "data" / name))


def read_fit(path: Path) -> WaitFit:
    """The wait models a fit file holds."""
    raw = json.loads(path.read_text())
    if list(raw["features"]) != list(FEATURES) or [round(q, 2) for q in raw["levels"]] != list(
            LEVELS):
        raise ValueError(f"{path}: fitted on other features or levels; refit it")
    models = tuple(WaitModel(m["port"], m["towards"], m["unit"], int(m["rows"]),
                             tuple(tuple(float(c) for c in row) for row in m["coefficients"]),
                             str(m.get("kind", WAIT)))
                   for m in raw["models"])
    return WaitFit(models, raw["fitted_on"])


@cache
def packaged_fit() -> WaitFit:
    """The wait models fitted on the simulated years (``data/ferry_waits.json``)."""
    return read_fit(data_path("ferry_waits.json"))


def write_fit(path: Path, models: Sequence[WaitModel], fitted_on: Mapping[str, object]) -> None:
    """Write the models and their provenance as JSON."""
    path.write_text(json.dumps({
        "fitted_on": dict(fitted_on), "features": list(FEATURES), "levels": list(LEVELS),
        "models": [{"kind": m.kind, "port": m.port, "towards": m.towards, "unit": m.unit,
                    "rows": m.rows,
                    "coefficients": [[round(c, 6) for c in row] for row in m.coefficients]}
                   for m in models]}, indent=1) + "\n")


def write_rows(path: Path, rows: Iterable[tuple[WaitInputs, float]]) -> None:
    """Write training rows (the inputs and the hours waited) as CSV."""
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["kind", "port", "towards", "unit", *FEATURES, "waited_h"])
        for inputs, hours in rows:
            out.writerow([inputs.kind, inputs.port, inputs.towards, inputs.unit,
                          *(f"{v:.4f}" for v in inputs.values), f"{hours:.4f}"])


def read_rows(path: Path) -> list[tuple[WaitInputs, float]]:
    """The training rows a CSV file holds."""
    with path.open(newline="") as f:
        return [(WaitInputs(r["port"], r["towards"], r["unit"],
                            tuple(float(r[name]) for name in FEATURES), r.get("kind") or WAIT),
                 float(r["waited_h"]))
                for r in csv.DictReader(f)]


def quantile_regression(x: np.ndarray, y: np.ndarray, level: float) -> np.ndarray:
    """Coefficients b minimising the pinball loss of ``x @ b`` against ``y`` at ``level``:
    the LP min sum(level * over + (1 - level) * under) with x b + over - under = y.
    """
    import highspy

    from midcorridor.crossing.solver import new_highs

    n, k = x.shape
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = k + 2 * n, n
    lp.col_cost_ = np.concatenate([np.zeros(k), np.full(n, level), np.full(n, 1.0 - level)])
    lp.col_lower_ = np.concatenate([np.full(k, -inf), np.zeros(2 * n)])
    lp.col_upper_ = np.full(k + 2 * n, inf)
    lp.row_lower_ = lp.row_upper_ = y.astype(float)
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kColwise
    matrix.num_col_, matrix.num_row_ = k + 2 * n, n
    matrix.start_ = np.concatenate([np.arange(k + 1) * n, k * n + np.arange(1, 2 * n + 1)])
    matrix.index_ = np.concatenate([np.tile(np.arange(n), k), np.arange(n), np.arange(n)])
    matrix.value_ = np.concatenate([x.T.ravel(), np.ones(n), -np.ones(n)])
    # no thread count of its own: HiGHS refuses a run asking for another number of threads
    # than its scheduler already started with in this process (e.g. by a crossing solve)
    solver = new_highs()
    solver.passModel(lp)
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"quantile regression at {level}: {solver.getModelStatus()}")
    return np.asarray(solver.getSolution().col_value[:k])


def fit_models(rows: Sequence[tuple[WaitInputs, float]],
               crossings: Iterable[tuple[str, str, str, str]]) -> tuple[WaitModel, ...]:
    """One model per crossing (or stay), unit type and kind ``(port, towards, unit, kind)``
    from the rows of it. A feature its rows never show (0 in all of them, as those that do
    not apply to a stay) keeps the coefficient 0.
    """
    out = []
    for port, towards, unit, kind in crossings:
        key = (port, towards, unit, kind)
        mine = [(i, h) for i, h in rows if (i.port, i.towards, i.unit, i.kind) == key]
        if not mine:
            continue
        x = np.array([i.values for i, _ in mine], dtype=float)
        y = np.array([h for _, h in mine], dtype=float)
        shown = np.flatnonzero(np.any(x != 0.0, axis=0))
        coefficients = []
        for level in LEVELS:
            row = np.zeros(len(FEATURES))
            row[shown] = quantile_regression(x[:, shown], y, level)
            coefficients.append(tuple(float(c) for c in row))
        out.append(WaitModel(port, towards, unit, len(mine), tuple(coefficients), kind))
    return tuple(out)
