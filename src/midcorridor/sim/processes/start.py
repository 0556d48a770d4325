"""Start a replication from a given corridor: cargo under way, vessel positions, closures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.errors import InputError
from midcorridor.sim.model import LandLeg, SeaLeg, SimModel, Step, TerminalStep, Variant
from midcorridor.sim.processes.journey import journey

if TYPE_CHECKING:
    from collections.abc import Generator

    from midcorridor.sim.initial import CargoAt, Closure
    from midcorridor.sim.processes.state import World


def _reaches(step: Step, place: str) -> bool:
    if isinstance(step, SeaLeg):
        return step.origin == place
    if isinstance(step, TerminalStep):
        return step.node_id == place
    return step.head == place


def locate(model: SimModel, cargo: CargoAt, where: str = "cargo") -> tuple[Variant, int]:
    """The variant and step at which ``cargo`` continues: the first step reaching its place."""
    stream = model.streams_by_name.get(cargo.stream)
    if stream is None:
        known = ", ".join(sorted(model.streams_by_name))
        raise InputError(f"{where}.stream: no demand stream {cargo.stream!r}; streams: {known}")
    for variant in stream.variants:
        hits = [i for i, step in enumerate(variant.steps) if _reaches(step, cargo.place)]
        if hits:  # there now: at its terminal or port; still to come: on the way in
            at = [i for i in hits if not isinstance(variant.steps[i], LandLeg)]
            return variant, (at[0] if at and cargo.eta_h <= 0 else hits[0])
    raise InputError(
        f"{where}.place: {cargo.place!r} is not on a path of stream {cargo.stream!r} "
        f"(shipment {cargo.shipment})"
    )


def start_cargo(world: World) -> None:
    """Put every consignment of the initial state on its way."""
    model = world.model
    for n, cargo in enumerate(model.start.cargo):
        variant, i = locate(model, cargo, f"cargo[{n}]")
        stream = model.streams_by_name[cargo.stream]
        c = world.new_consignment(
            stream.name, variant, cargo.units, stream.unit_kind, cargo.units * stream.teu_per_unit
        )
        world.shipments[c.waybill.id] = cargo.shipment
        c.proc = journey(world, c, start=i, lead_h=cargo.eta_h, waited_h=cargo.waited_h)
        world.kernel.process(c.proc)


def ship_starts(model: SimModel) -> dict[str, tuple[int, float]]:
    """Per vessel name of the initial state: the index of its stop and the hours until it is
    there.
    """
    out = {}
    for v in model.start.vessels:
        for line in model.lines:
            if any(s.name == v.vessel for s in line.ships) and v.place in line.stops:
                out[v.vessel] = (line.stops.index(v.place), v.eta_h)
    return out


def closures(world: World, closure: Closure) -> Generator[Any, Any, None]:
    """Close the closure's ports from its start for its hours."""
    if closure.start_h > 0:
        yield closure.start_h
    world.close(closure.ports, world.kernel.now + closure.hours, "closure")
