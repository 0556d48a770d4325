"""The corridor network for the map and the route form: GeoJSON, scenarios, place look-up."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from midcorridor.service import planning
from midcorridor.service.access import Action
from midcorridor.service.deps import SettingsDep, require
from midcorridor.service.schemas import PlaceHit, PlaceHitsPublic, ScenarioPublic, ScenariosPublic
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/network", tags=["network"],
                   dependencies=[require(Action.plan)])


ScenarioIds = Annotated[list[str], Query(max_length=20, description="Scenario ids to switch on.")]


@router.get("/geojson", responses={503: {"description": "Network data not available"}})
def network_geojson(settings: SettingsDep,
                    scenario: ScenarioIds = []) -> dict[str, Any]:  # noqa: B006 (FastAPI copies)
    """Every node (Point) and link (LineString) as GeoJSON; links carry their ``family``
    (Middle, Northern, Sea or Shared).
    """
    return planning.network_geojson(tuple(scenario), settings.data)


@router.get("/scenarios", responses={503: {"description": "Network data not available"}})
def network_scenarios(settings: SettingsDep) -> ScenariosPublic:
    """The data set's planned changes that can be switched on."""
    data = [ScenarioPublic(id=s.id, name=s.name, status=s.status, expected=s.expected)
            for s in planning.network(settings.data).scenarios.values()]
    return ScenariosPublic(data=data, count=len(data))


@router.get("/places", responses={503: {"description": "Network data not available"}})
def search_places(
    settings: SettingsDep,
    q: str = Query(min_length=1, max_length=100, description="Id, name or alias, any script."),
    limit: int = Query(8, ge=1, le=50),
) -> PlaceHitsPublic:
    """Places whose id, name or alias matches ``q`` (misspellings too), best first."""
    from midcorridor.network import search_places as search

    data = [PlaceHit(id=m.node.id, name=m.node.name, matched=m.matched,
                     country=m.node.country, kind=m.node.kind.value, score=round(m.score, 1))
            for m in search(planning.network(settings.data), q, limit=limit)]
    return PlaceHitsPublic(data=data, count=len(data))
