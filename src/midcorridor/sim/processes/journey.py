"""Demand and the journey of a consignment: land legs, dwell, terminals and sea legs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from midcorridor.network.driving import road_leg_hours
from midcorridor.sim.draw import draw
from midcorridor.sim.kernel import PASSIVATE
from midcorridor.sim.model import LandLeg, SeaLeg, Stream, TerminalStep
from midcorridor.sim.processes.sailing import arrive_at_port
from midcorridor.sim.result import ConsignmentTrace

if TYPE_CHECKING:
    from collections.abc import Generator

    from midcorridor.sim.processes.state import Consignment, World

HOURS_PER_YEAR = 8760.0


def journey(
    world: World, c: Consignment, start: int = 0, lead_h: float | None = None, waited_h: float = 0.0
) -> Generator[Any, Any, None]:
    """Move one consignment along its variant's steps, booking every wait, then deliver it.

    A consignment already under way starts at step ``start``: ``lead_h`` hours to reach that
    step's place (instead of a drawn running time), ``waited_h`` hours already waited there.
    """
    kernel = world.kernel
    model = world.model
    waybill = c.waybill
    world.on_land[waybill.id] = waybill.units
    tracing = c.trace is not None
    if tracing and start == 0:
        c.at = model.streams_by_name[waybill.stream].origin
        world.note(c, "GTIN", c.at)
    steps = waybill.variant.steps
    driven = 0.0  # hours the truck's driver has driven since the cargo came onto the road
    for k in range(start, len(steps)):
        step = steps[k]
        lead = lead_h if k == start else None
        if lead and type(step) is not LandLeg:
            yield lead
        if type(step) is LandLeg:
            driven = yield from _by_land(world, c, step, lead, driven)
        elif type(step) is TerminalStep:
            driven = 0.0
            yield from _through_terminal(world, c, step)
        else:
            assert type(step) is SeaLeg
            driven = 0.0
            del world.on_land[waybill.id]
            arrived = kernel.now - (waited_h if k == start else 0.0)
            if tracing:
                if c.at != step.origin:
                    world.note(c, "ARRI", step.origin)
                if not c.trace or c.trace[-1][1:3] != ("GTIN", step.origin):
                    world.note(c, "GTIN", step.origin)  # once, where the journey starts there
                c.at = ""
            arrive_at_port(world, world.ports[step.origin], c, step.destination, since=arrived)
            yield PASSIVATE  # until the last unit is ashore at the destination port
            world.on_land[waybill.id] = waybill.units
            world.book_wait(c, step.origin, c.last_departure - arrived)
            if tracing:
                c.at = step.destination
                world.note(c, "GTOT", c.at)
    _deliver(world, c)


def _by_land(
    world: World, c: Consignment, step: LandLeg, lead: float | None, driven: float
) -> Generator[Any, Any, float]:
    """Run a land leg (``lead`` hours, if given, instead of a drawn running time) and its
    dwell at the far end; the hours the truck's driver has driven since coming onto the road
    after it (``driven`` before).
    """
    tracing = c.trace is not None
    rng = world.rng(f"link:{step.link_id}")
    h = step.hours
    if tracing and c.at:
        world.note(c, "DEPA", c.at)
        c.at = ""
    if lead is not None:
        yield lead
    elif step.by_truck:  # drivers' hours: breaks and daily rests between the driving
        run = draw(rng, h)
        yield road_leg_hours(driven, run)
        driven += run
    else:
        yield draw(rng, h)
    if not step.by_truck:
        driven = 0.0
    if step.dwell is not None:
        d = step.dwell
        dwell = draw(rng, d)
        world.book_wait(c, step.place, dwell)
        if tracing:
            c.at = step.head
            world.note(c, "ARRI", c.at)
            world.note(c, "SUBM", c.at)
        yield dwell
        if tracing:
            world.note(c, "RELS", c.at)
    return driven


def _through_terminal(
    world: World, c: Consignment, step: TerminalStep
) -> Generator[Any, Any, None]:
    """Pass a terminal: queue for it if it has a capacity (the wait is booked), then handling."""
    resource = world.terminals.get(step.node_id)
    h = world.model.terminals[step.node_id].handling
    rng = world.rng(f"node:{step.node_id}")
    if c.trace is not None and c.at != step.node_id:
        c.at = step.node_id
        world.note(c, "ARRI", c.at)
    if resource is None:
        yield draw(rng, h)
        return
    queued = world.kernel.now
    yield resource
    world.book_wait(c, step.node_id, world.kernel.now - queued)
    yield draw(rng, h)
    resource.release()


def _deliver(world: World, c: Consignment) -> None:
    """The consignment is at its destination: record its delivery, waits and trace."""
    waybill = c.waybill
    now = world.kernel.now
    if c.trace is not None:
        destination = world.model.streams_by_name[waybill.stream].destination
        if c.at != destination:
            world.note(c, "ARRI", destination)
        world.note(c, "GTOT", destination)
    del world.on_land[waybill.id]
    del world.live[waybill.id]
    world.delivered_units += waybill.units
    world.records.append((waybill.id, waybill.stream, waybill.variant.label, waybill.created_h,
                          now, waybill.units, waybill.teu))
    for place, hours in c.waits.items():
        world.waits.append((waybill.id, place, hours))
    if c.trace is not None:
        world.finished.append(ConsignmentTrace.of(waybill, now, c.trace))


def demand(world: World, stream: Stream) -> Generator[Any, Any, None]:
    """Seasonal Poisson arrivals of the stream's consignments (by thinning)."""
    kernel = world.kernel
    rng = world.rng(f"demand:{stream.name}")
    units = stream.units_per_consignment
    base = world.model.growth * stream.units_per_year / units / HOURS_PER_YEAR
    if base <= 0:
        return
    amplitude = min(max(stream.seasonality, 0.0), 1.0)
    peak_h = stream.peak_day * 24.0
    top = base * (1.0 + amplitude)
    if top <= 0:
        return
    shares = [v.share for v in stream.variants]
    total = sum(shares)
    while True:
        yield from world.exponential(rng, top)
        t = kernel.now
        rate = base * (1.0 + amplitude * math.cos(2 * math.pi * (t - peak_h) / HOURS_PER_YEAR))
        accept = rng.random() * top < rate
        pick = rng.random() * total
        if not accept:
            continue
        variant = stream.variants[-1]
        for v in stream.variants:
            pick -= v.share
            if pick < 0:
                variant = v
                break
        c = world.new_consignment(
            stream.name, variant, units, stream.unit_kind, units * stream.teu_per_unit
        )
        c.proc = journey(world, c)
        kernel.process(c.proc)
