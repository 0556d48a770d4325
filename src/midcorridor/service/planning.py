"""The service's bridge to the route planner and the crossing optimizer.

Both read the service's network: the packaged data set, extended by the folder named in
:attr:`Settings.data <midcorridor.service.settings.Settings.data>`, which every caller passes
in (from the app's, the worker's or the database's settings), loaded once per folder per
process. When that folder cannot be loaded, the planner endpoints answer 503.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from midcorridor import crossing, routing
from midcorridor.errors import InputError, MidcorridorError
from midcorridor.network import Network, load_network
from midcorridor.network.seas import caspian_ports
from midcorridor.service.jobs import JobContext, parse_params, register_job_kind
from midcorridor.service.schemas import CrossingPublic, CrossingRequest, LegIn, first_problem


class PlannerUnavailable(MidcorridorError):
    """The network data of the service cannot be loaded, so nothing can be planned."""


_networks: dict[str, Network] = {}
_networks_lock = threading.Lock()


def network(data: str) -> Network:
    """The service's network for the data folder ``data`` (:attr:`Settings.data`: "" for
    :func:`load_network`'s default), loaded once per folder per process.

    Raises :class:`PlannerUnavailable` when the folder's data cannot be loaded.
    """
    with _networks_lock:
        if data not in _networks:
            try:
                _networks[data] = load_network(data)
            except MidcorridorError as exc:
                raise PlannerUnavailable(f"the network data cannot be loaded: {exc}") from None
        return _networks[data]


def planner_ready(data: str) -> bool:
    """Whether the planner can answer: the network of the data folder ``data`` loads."""
    try:
        network(data)
    except PlannerUnavailable:
        return False
    return True


def plan_options(
    origin: str, destination: str, depart: datetime, teu: float, *, data: str, limit: int = 3,
) -> list[list[LegIn]]:
    """Planned legs of the planner's options (best first) between two places, on the network
    of the data folder ``data`` (see :func:`network`).
    """
    result = routing.plan(network(data), origin, destination, depart=depart,
                          cargo=routing.Cargo(teu=teu))
    options = []
    try:
        for option in list(result.options)[:limit]:
            options.append([
                LegIn.model_validate({
                    "origin": leg.origin, "destination": leg.destination, "mode": str(leg.mode),
                    "planned_depart": leg.depart, "planned_arrive": leg.arrive,
                    "distance_km": leg.distance_km, "link_id": leg.link_id,
                })
                for leg in option.legs
            ])
    except ValidationError as exc:  # e.g. a route that would end after the last service year
        where, what = first_problem(exc)
        raise InputError(f"depart: the planned route cannot be stored ({where}: "
                         f"{what.removeprefix('Value error, ')})") from None
    if not options:
        raise InputError(f"the planner found no route from {origin} to {destination}")
    return options


def optimize_crossing(
    *, days: float, seed: int, mode: str, time_limit_s: float, data: str
) -> dict[str, Any]:
    """Optimize a seeded Caspian crossing instance (HiGHS) next to FIFO, generated from the
    network of the data folder ``data`` (see :func:`network`).
    """
    instance = crossing.generate_instance(network(data),
                                          crossing.GeneratorParams(days=days, seed=seed))
    plan = crossing.optimize_crossing(instance, mode=mode, time_limit=time_limit_s)
    return {
        "mode": plan.mode, "status": plan.status, "objective": plan.objective,
        "gap": plan.gap, "seconds": plan.seconds, "bookings": len(instance.bookings),
        "plan": plan.figures.to_dict(), "fifo": plan.fifo.to_dict(),
        "mean_wait_reduction": plan.mean_wait_reduction,
        "plan_from": plan.extra.get("plan", "optimizer"), "notes": list(plan.notes),
    }


def caspian_port_ids(data: str) -> frozenset[str]:
    """Node ids of the Caspian ports of the service's network (empty when it cannot be loaded)."""
    try:
        return frozenset(node.id for node in caspian_ports(network(data)))
    except PlannerUnavailable:
        return frozenset()


CROSSING_JOB = "crossing_optimizer"


def crossing_job(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """The ``crossing_optimizer`` job: :func:`optimize_crossing` on a seeded instance."""
    body = parse_params(CrossingRequest, params)
    progress(0.05, f"solving a {body.days:g}-day {body.mode} instance (seed {body.seed})")
    result = optimize_crossing(days=body.days, seed=body.seed, mode=body.mode,
                               time_limit_s=body.time_limit_s, data=progress.db.settings.data)
    return CrossingPublic.model_validate(result).model_dump(mode="json")


register_job_kind(CROSSING_JOB, crossing_job)


def with_scenarios(scenarios: tuple[str, ...], data: str) -> Network:
    """The service's network with ``scenarios`` switched on; an unknown id is an input error."""
    from midcorridor.errors import UnknownScenarioError

    try:
        return network(data).with_scenarios(scenarios) if scenarios else network(data)
    except UnknownScenarioError as exc:
        raise InputError(f"scenario: {exc}") from None


_geojson: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}


def network_geojson(scenarios: tuple[str, ...], data: str) -> dict[str, Any]:
    """The network of the data folder ``data`` with ``scenarios`` switched on as GeoJSON;
    links carry their family (kept once per data folder and scenario set).
    """
    from midcorridor.network import to_geojson
    from midcorridor.routing.corridors import link_family

    key = (data, scenarios)
    if key not in _geojson:
        net = with_scenarios(scenarios, data)
        doc = to_geojson(net)
        for feature in doc["features"]:
            props = feature["properties"]
            if props["feature"] == "link":
                props["family"] = link_family(net, net.link(props["id"]))
        with _networks_lock:
            _geojson[key] = doc
    return _geojson[key]


def route_plan(
    origin: str, destination: str, *, depart: datetime, teu: float, objective: str,
    avoid_countries: list[str], avoid_modes: list[str], scenarios: list[str], data: str,
) -> tuple[routing.RoutePlan, dict[str, Any]]:
    """The planner's options and their lines as GeoJSON, for the web app's route page, on
    the network of the data folder ``data``.
    """
    net = with_scenarios(tuple(scenarios), data)
    result = routing.plan(net, origin, destination, cargo=routing.Cargo(teu=teu), depart=depart,
                          objective=objective, avoid_countries=avoid_countries,
                          avoid_modes=avoid_modes)
    return result, routing.plan_geojson(net, result)
