"""The result of a crossing optimization: a plan, its figures and the FIFO figures beside them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from midcorridor.crossing.objective import left_behind_cost, unit_cost

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from midcorridor.crossing.model import CrossingInstance, Sailing


# ``CrossingPlan.extra["plan"]``: whose plan is shown. The optimizer's; FIFO's, kept when the
# optimizer found nothing better; or (rotation mode) FIFO's voyages with the cargo loaded by
# the optimizer, when it found no better voyages
PLAN_OPTIMIZER, PLAN_FIFO, PLAN_FIFO_VOYAGES = "optimizer", "fifo", "fifo_voyages"


@dataclass(frozen=True)
class Assignment:
    """``units`` of booking ``booking`` travel on sailing ``sailing``."""

    booking: str
    sailing: str
    units: int


@dataclass(frozen=True)
class PlanFigures:
    """Objective and waiting figures of one plan.

    Waits are per unit, in hours from ready to departure; a unit left behind counts its wait
    up to the end of the horizon (a lower bound on its real wait).
    """

    objective: float
    mean_wait_hours: float
    p95_wait_hours: float
    left_behind_units: int
    assigned_units: int
    sailings: int

    def to_dict(self) -> dict[str, float | int]:
        """The figures as JSON-ready values, rounded to three decimals."""
        return {
            "objective": round(self.objective, 3),
            "mean_wait_hours": round(self.mean_wait_hours, 3),
            "p95_wait_hours": round(self.p95_wait_hours, 3),
            "left_behind_units": self.left_behind_units,
            "assigned_units": self.assigned_units,
            "sailings": self.sailings,
        }


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` where each value counts ``weights`` times."""
    if values.size == 0 or weights.sum() <= 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    idx = int(np.searchsorted(cum, q * cum[-1], side="left"))
    return float(values[order][min(idx, values.size - 1)])


def evaluate(
    instance: CrossingInstance, sailings: Iterable[Sailing], assignments: Iterable[Assignment],
    *, count_sailings: bool = False,
) -> PlanFigures:
    """The objective and wait figures of ``assignments`` on ``sailings`` for ``instance``.

    With ``count_sailings`` each sailing adds ``costs.sailing_h`` (rotation mode, where the
    sailings are decisions).
    """
    by_id = {s.id: s for s in sailings}
    carried: dict[str, int] = {}
    waits: list[float] = []
    weights: list[int] = []
    objective = 0.0
    bookings = {b.id: b for b in instance.bookings}
    used: set[str] = set()
    for a in assignments:
        b, s = bookings[a.booking], by_id[a.sailing]
        carried[a.booking] = carried.get(a.booking, 0) + a.units
        objective += a.units * unit_cost(b, s.departure, s.arrival, instance.costs)
        waits.append(s.departure - b.ready)
        weights.append(a.units)
        used.add(s.id)
    left = 0
    for b in instance.bookings:
        rest = b.units - carried.get(b.id, 0)
        if rest > 0:
            left += rest
            objective += rest * left_behind_cost(b, instance.horizon_h, instance.costs)
            waits.append(max(0.0, instance.horizon_h - b.ready))
            weights.append(rest)
    if count_sailings:
        objective += instance.costs.sailing_h * len(by_id)
    w = np.asarray(waits, dtype=float)
    n = np.asarray(weights, dtype=float)
    mean = float((w * n).sum() / n.sum()) if n.sum() > 0 else 0.0
    return PlanFigures(
        objective=objective,
        mean_wait_hours=mean,
        p95_wait_hours=weighted_quantile(w, n, 0.95),
        left_behind_units=left,
        assigned_units=sum(carried.values()),
        sailings=len(by_id) if count_sailings else len(used),
    )


@dataclass(frozen=True)
class CrossingPlan:
    """A solved crossing: sailings, assignments, solver status, bound and gap, FIFO beside it."""

    mode: str
    status: str
    objective: float
    bound: float
    gap: float
    figures: PlanFigures
    fifo: PlanFigures
    sailings: tuple[Sailing, ...]
    assignments: tuple[Assignment, ...]
    seconds: float = 0.0
    solver: str = "highs"
    notes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def mean_wait_reduction(self) -> float:
        """Share of FIFO's mean wait saved by this plan (0.3 = 30 % less)."""
        base = self.fifo.mean_wait_hours
        return 0.0 if base <= 0 else 1.0 - self.figures.mean_wait_hours / base

    def summary(self) -> str:
        """A few lines for people."""
        f, b = self.figures, self.fifo
        return "\n".join([
            f"{self.mode} plan: {self.status}, objective {self.objective:,.1f} "
            f"(bound {self.bound:,.1f}, gap {self.gap:.2%}) in {self.seconds:.1f} s",
            f"mean wait {f.mean_wait_hours:.1f} h (FIFO {b.mean_wait_hours:.1f} h), "
            f"p95 {f.p95_wait_hours:.1f} h (FIFO {b.p95_wait_hours:.1f} h), "
            f"left behind {f.left_behind_units} units (FIFO {b.left_behind_units})",
        ])

    __str__ = summary

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data."""
        return {
            "solver": self.solver,
            "mode": self.mode,
            "status": self.status,
            "objective": round(self.objective, 3),
            "bound": _finite(self.bound, 3),
            "gap": _finite(self.gap, 6),
            "seconds": round(self.seconds, 3),
            **{k: v for k, v in self.figures.to_dict().items() if k != "objective"},
            "mean_wait_reduction": round(self.mean_wait_reduction, 4),
            "fifo": self.fifo.to_dict(),
            "notes": list(self.notes),
            **({"plan_from": self.extra["plan"]} if "plan" in self.extra else {}),
            **({"fifo_routes": list(self.extra["fifo_routes"])}
               if "fifo_routes" in self.extra else {}),
            "assignments": [
                {"booking": a.booking, "sailing": a.sailing, "units": a.units}
                for a in self.assignments
            ],
            "planned_sailings": [sailing_record(s) for s in self.sailings],
        }

    def records(self, instance: CrossingInstance) -> list[dict[str, Any]]:
        """One flat row per assignment and per unit left behind, for CSV."""
        by_id = {s.id: s for s in self.sailings}
        carried: dict[str, int] = {}
        rows: list[dict[str, Any]] = []
        for a in self.assignments:
            s = by_id[a.sailing]
            carried[a.booking] = carried.get(a.booking, 0) + a.units
            rows.append({
                "booking": a.booking, "sailing": a.sailing, "vessel": s.vessel,
                "origin": s.origin, "destination": s.destination, "units": a.units,
                "departure": instance.at(s.departure).isoformat(),
                "arrival": instance.at(s.arrival).isoformat(),
            })
        for b in instance.bookings:
            rest = b.units - carried.get(b.id, 0)
            if rest > 0:
                rows.append({
                    "booking": b.id, "sailing": "", "vessel": "", "origin": b.origin,
                    "destination": b.destination, "units": rest, "departure": "",
                    "arrival": "",
                })
        return rows


def _finite(value: float, digits: int) -> float | None:
    """``value`` rounded, or ``None`` when there is none (no bound proved: gap unknown)."""
    return round(value, digits) if math.isfinite(value) else None


def sailing_record(s: Sailing) -> dict[str, Any]:
    """A sailing as a JSON-ready record, hours rounded to three decimals."""
    return {
        "id": s.id, "vessel": s.vessel, "origin": s.origin, "destination": s.destination,
        "departure_h": round(s.departure, 3), "arrival_h": round(s.arrival, 3),
    }
