"""Storms that close ports: Poisson onsets, three-point durations, one stream for the sea."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.sim.draw import draw

if TYPE_CHECKING:
    from collections.abc import Generator

    from midcorridor.sim.processes.state import World

HOURS_PER_YEAR = 8760.0


def storms(world: World) -> Generator[Any, Any, None]:
    """Close every listed port for the storm's duration (a storm covers the whole sea)."""
    spec = world.model.storms
    if spec.per_year <= 0 or not spec.ports:
        return
    rng = world.rng("storms")
    d = spec.duration
    rate = spec.per_year / HOURS_PER_YEAR
    if rate <= 0:
        return
    while True:
        yield from world.exponential(rng, rate)
        world.close(spec.ports, world.kernel.now + draw(rng, d), "storm")
