"""What the planner returns: legs, route options and the plan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from midcorridor.routing.cargo import Cargo


@dataclass(frozen=True)
class Leg:
    """One link travelled, with its times (UTC), distance, dwell, waiting, cost and CO2e.

    ``dwell_h`` is terminal handling (at a transshipment, or loading a vessel at the origin)
    plus border or gauge-change dwell before departure at ``origin``; ``wait_h`` is the wait
    there for the next sailing or train; ``unload_h`` is unloading the vessel at the destination
    (included in ``arrive``).
    Cost and CO2e are for the whole shipment (CO2e well-to-wheel, with hub operations).
    """

    origin: str
    destination: str
    mode: str
    depart: datetime
    arrive: datetime
    distance_km: float
    dwell_h: float
    wait_h: float
    cost_usd: float
    co2e_kg: float
    link_id: str
    service_id: str | None = None
    transshipment: bool = False
    co2e_ttw_kg: float = 0.0
    unload_h: float = 0.0
    trucks: int = 0  # trucks a road leg takes (a truck carries 2 TEU); 0 on other modes

    def rounded(self) -> Leg:
        """The leg as reported: distance to 0.1 km; hours, cost and CO2e to two decimals."""
        return replace(
            self, distance_km=round(self.distance_km, 1), dwell_h=round(self.dwell_h, 2),
            wait_h=round(self.wait_h, 2), cost_usd=round(self.cost_usd, 2),
            co2e_kg=round(self.co2e_kg, 2), co2e_ttw_kg=round(self.co2e_ttw_kg, 2),
            unload_h=round(self.unload_h, 2))

    def to_dict(self) -> dict[str, Any]:
        """The leg as JSON-ready values (rounded as :meth:`rounded`)."""
        r = self.rounded()
        return {
            "from": r.origin, "to": r.destination, "mode": r.mode,
            "depart": r.depart.isoformat(), "arrive": r.arrive.isoformat(),
            "distance_km": r.distance_km, "dwell_h": r.dwell_h, "wait_h": r.wait_h,
            "cost_usd": r.cost_usd, "co2e_kg": r.co2e_kg, "co2e_ttw_kg": r.co2e_ttw_kg,
            "link_id": r.link_id, "service_id": r.service_id,
            "transshipment": r.transshipment, "unload_h": r.unload_h, "trucks": r.trucks,
        }  # fmt: skip


@dataclass(frozen=True)
class RouteOption:
    """A door-to-door route with its totals; CO2e is well-to-wheel (ISO 14083)."""

    corridor: str
    total_hours: float
    cost_usd: float
    co2e_kg: float
    transshipments: int
    borders: int
    legs: tuple[Leg, ...]
    assumptions: tuple[str, ...] = ()
    co2e_ttw_kg: float = 0.0
    family: str = ""
    pareto: bool = True
    alternatives: int = 0  # near-duplicate Pareto options folded into this one

    @property
    def days(self) -> float:
        """The total time in days."""
        return self.total_hours / 24.0

    @property
    def depart(self) -> datetime:
        """When the first leg leaves (UTC)."""
        return self.legs[0].depart if self.legs else datetime.min

    @property
    def arrive(self) -> datetime:
        """When the last leg arrives (UTC)."""
        return self.legs[-1].arrive if self.legs else datetime.min

    @property
    def distance_km(self) -> float:
        """The distance of all the legs in km."""
        return sum(leg.distance_km for leg in self.legs)

    @property
    def wait_h(self) -> float:
        """Hours spent waiting for departures, all legs."""
        return sum(leg.wait_h for leg in self.legs)

    def dominates(self, other: RouteOption) -> bool:
        """No worse in time, cost and CO2e, and better in at least one."""
        mine = (self.total_hours, self.cost_usd, self.co2e_kg)
        theirs = (other.total_hours, other.cost_usd, other.co2e_kg)
        return all(a <= b for a, b in zip(mine, theirs, strict=True)) and mine != theirs

    def to_dict(self) -> dict[str, Any]:
        """The option as JSON-ready values."""
        return {
            "corridor": self.corridor, "family": self.family, "pareto": self.pareto,
            "total_hours": round(self.total_hours, 2), "days": round(self.days, 2),
            "cost_usd": round(self.cost_usd, 2), "co2e_kg": round(self.co2e_kg, 2),
            "co2e_ttw_kg": round(self.co2e_ttw_kg, 2),
            "transshipments": self.transshipments, "borders": self.borders,
            "distance_km": round(self.distance_km, 1), "alternatives": self.alternatives,
            "legs": [leg.to_dict() for leg in self.legs],
            "assumptions": list(self.assumptions),
        }  # fmt: skip


@dataclass(frozen=True)
class RoutePlan:
    """The planner's answer: Pareto-optimal options ranked by the objective, and the best
    option of each corridor family (which may be dominated) for comparison.

    ``notes`` say when the route rules were relaxed; ``hidden`` counts the distinct Pareto
    options left out beyond the first six (``plan(..., distinct=False)`` gives them all).
    """

    origin: str
    destination: str
    cargo: Cargo
    depart: datetime
    objective: str
    options: tuple[RouteOption, ...]
    by_corridor: tuple[RouteOption, ...] = ()
    notes: tuple[str, ...] = ()
    hidden: int = 0

    @property
    def best(self) -> RouteOption:
        """The first-ranked option."""
        return self.options[0]

    def comparison(self) -> tuple[RouteOption, ...]:
        """Pareto options plus the best dominated option of each family not among them."""
        families = {o.family for o in self.options}
        extra = tuple(o for o in self.by_corridor if o.family not in families)
        return self.options + extra

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready values."""
        return {
            "origin": self.origin, "destination": self.destination,
            "cargo_teu": self.cargo.teu, "cargo_tonnes": self.cargo.tonnes,
            "depart": self.depart.isoformat(), "objective": self.objective,
            "options": [o.to_dict() for o in self.options],
            "by_corridor": [o.to_dict() for o in self.by_corridor],
            "notes": list(self.notes), "hidden": self.hidden,
        }  # fmt: skip
