"""The bridge to the route planner (``midcorridor.routing``), which may not be installed.

The import is guarded: without the planner, shipments are created with explicit legs and the
planner endpoints answer 503.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from midcorridor.errors import InputError, MidcorridorError
from midcorridor.service.jobs import JobContext, parse_params, register_job_kind
from midcorridor.service.schemas import CrossingPublic, CrossingRequest, LegIn


class PlannerUnavailable(MidcorridorError):
    """The route planner or the network data is not available in this installation."""


def planner_module() -> Any | None:
    """The planner module, or None when it is not importable."""
    try:
        module = importlib.import_module("midcorridor.routing")
    except ImportError:
        return None
    return module if hasattr(module, "plan") else None


@lru_cache(maxsize=1)
def _network() -> Any:
    from midcorridor.network import load_network

    return load_network()


def network() -> Any:
    """The packaged data set (loaded once per process)."""
    return _network()


def plan_options(
    origin: str, destination: str, depart: datetime, teu: float, *, limit: int = 3
) -> list[list[LegIn]]:
    """Planned legs of the planner's options (best first) between two places."""
    module = planner_module()
    if module is None:
        raise PlannerUnavailable("the route planner (midcorridor.routing) is not installed")
    try:
        network = _network()
    except MidcorridorError as exc:
        raise PlannerUnavailable(f"the network data cannot be loaded: {exc}") from None
    cargo_cls = getattr(module, "Cargo", None)
    kwargs: dict[str, Any] = {"depart": depart}
    if cargo_cls is not None:
        kwargs["cargo"] = cargo_cls(teu=teu)
    result = module.plan(network, origin, destination, **kwargs)
    options = []
    try:
        for option in list(result.options)[:limit]:
            options.append([
                LegIn.model_validate({
                    "origin": leg.origin, "destination": leg.destination, "mode": str(leg.mode),
                    "planned_depart": leg.depart, "planned_arrive": leg.arrive,
                    "distance_km": getattr(leg, "distance_km", None),
                    "link_id": getattr(leg, "link_id", None),
                })
                for leg in option.legs
            ])
    except ValidationError as exc:  # e.g. a route that would end after the last service year
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"depart: the planned route cannot be stored ({where}: "
                         f"{first['msg'].removeprefix('Value error, ')})") from None
    if not options:
        raise InputError(f"the planner found no route from {origin} to {destination}")
    return options


def optimize_crossing(
    *, days: float, seed: int, mode: str, time_limit_s: float
) -> dict[str, Any]:
    """Optimize a seeded Caspian crossing instance from the data set (HiGHS) next to FIFO."""
    try:
        crossing = importlib.import_module("midcorridor.crossing")
    except ImportError:
        raise PlannerUnavailable("the crossing optimizer (midcorridor.crossing) is not "
                                 "installed") from None
    try:
        network = _network()
    except MidcorridorError as exc:
        raise PlannerUnavailable(f"the network data cannot be loaded: {exc}") from None
    instance = crossing.generate_instance(network, crossing.GeneratorParams(days=days, seed=seed))
    plan = crossing.optimize_crossing(instance, mode=mode, time_limit=time_limit_s)
    return {
        "mode": plan.mode, "status": plan.status, "objective": plan.objective,
        "gap": plan.gap, "seconds": plan.seconds, "bookings": len(instance.bookings),
        "plan": plan.figures.to_dict(), "fifo": plan.fifo.to_dict(),
        "mean_wait_reduction": plan.mean_wait_reduction,
    }


def caspian_port_ids() -> frozenset[str]:
    """Node ids of the Caspian ports of the data set (empty when it cannot be loaded)."""
    from midcorridor.network.seas import caspian_ports

    try:
        network = _network()
    except MidcorridorError:
        return frozenset()
    return frozenset(node.id for node in caspian_ports(network))


CROSSING_JOB = "crossing_optimizer"


def crossing_job(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """The ``crossing_optimizer`` job: :func:`optimize_crossing` on a seeded instance."""
    body = parse_params(CrossingRequest, params)
    progress(0.05, f"solving a {body.days:g}-day {body.mode} instance (seed {body.seed})")
    result = optimize_crossing(days=body.days, seed=body.seed, mode=body.mode,
                               time_limit_s=body.time_limit_s)
    return CrossingPublic.model_validate(result).model_dump(mode="json")


register_job_kind(CROSSING_JOB, crossing_job)
