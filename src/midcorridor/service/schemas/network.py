"""The network, places and route options for the web app."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from midcorridor.routing.result import Leg


class ScenarioPublic(BaseModel):
    """A network scenario that can be planned with."""

    id: str
    name: str
    status: str
    expected: str


class ScenariosPublic(BaseModel):
    """The network scenarios."""

    data: list[ScenarioPublic]
    count: int


class PlaceHit(BaseModel):
    """A place that matches a search."""

    id: str
    name: str
    matched: str = Field(description="The name or alias that matched the query.")
    country: str
    kind: str
    score: float = Field(description="How well ``matched`` fits the query, out of 100.")


class PlaceHitsPublic(BaseModel):
    """Places that match a search, best first."""

    data: list[PlaceHit]
    count: int


Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
ScenarioId = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class RouteRequest(BaseModel):
    """Door-to-door options between two places (ids, names or aliases)."""

    origin: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    destination: Annotated[str, StringConstraints(min_length=2, max_length=100)]
    depart: AwareDatetime
    teu: Annotated[float, Field(gt=0, le=10_000)] | None = None
    tonnes: Annotated[float, Field(gt=0, le=120_000)] | None = None
    objective: Literal["time", "cost", "co2"] = "time"
    avoid_countries: list[Country] = Field(default_factory=list, max_length=50)
    avoid_modes: list[Literal["rail", "road", "sea", "ferry"]] = Field(
        default_factory=list, max_length=4)
    scenarios: list[ScenarioId] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _one_amount(self) -> RouteRequest:
        if self.teu is not None and self.tonnes is not None:
            raise ValueError("give teu or tonnes, not both")
        return self


class RouteLegPublic(Leg):
    """One leg of a route option: the planner's leg (see ``Leg``), rounded as it reports it.

    ``dwell_h`` is handling, border or gauge-change dwell before leaving ``origin``, ``wait_h``
    the wait there for the next sailing or train, ``unload_h`` unloading at ``destination``.
    """

    # Every field is in every answer, so clients may rely on each (defaults included).
    __pydantic_config__ = ConfigDict(json_schema_serialization_defaults_required=True)

    @classmethod
    def of(cls, leg: Leg) -> RouteLegPublic:
        """``leg`` rounded (``Leg.rounded``) as the API's leg."""
        rounded = leg.rounded()
        return cls(**{f.name: getattr(rounded, f.name) for f in fields(Leg)})


class RouteOptionPublic(BaseModel):
    """A route option with its totals."""

    rank: int
    corridor: str
    family: str
    pareto: bool = Field(description="False: the best of its family, dominated by another.")
    total_hours: float
    cost_usd: float
    co2e_kg: float = Field(description="Well-to-wheel CO2e (ISO 14083) of the shipment.")
    transshipments: int
    borders: int
    distance_km: float
    legs: list[RouteLegPublic]
    assumptions: list[str]


class RoutesPublic(BaseModel):
    """The planner's route options between two places."""

    origin: str
    destination: str
    cargo_teu: float
    options: list[RouteOptionPublic]
    geojson: dict[str, object] = Field(description="One LineString per option, by rank.")
