"""Door-to-door route planning: timetable-aware, multi-criteria (time, cost, CO2e)."""

from midcorridor.errors import InputError, NoRouteError, UnknownPlaceError
from midcorridor.routing.cargo import TEU_PER_FEU, TONNES_PER_TEU, Cargo
from midcorridor.routing.costs import Rate, Tariffs, load_tariffs
from midcorridor.routing.export import plan_geojson
from midcorridor.routing.plan import plan
from midcorridor.routing.result import Leg, RouteOption, RoutePlan

__all__ = [
    "TEU_PER_FEU",
    "TONNES_PER_TEU",
    "Cargo",
    "InputError",
    "Leg",
    "NoRouteError",
    "Rate",
    "RouteOption",
    "RoutePlan",
    "Tariffs",
    "UnknownPlaceError",
    "load_tariffs",
    "plan",
    "plan_geojson",
]
