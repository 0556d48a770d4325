"""Run one replication of a compiled model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midcorridor.sim.processes.journey import demand
from midcorridor.sim.processes.sailing import ShipState, ship_process
from midcorridor.sim.processes.start import closures, ship_starts, start_cargo
from midcorridor.sim.processes.state import World
from midcorridor.sim.processes.storms import storms
from midcorridor.sim.result import ConsignmentTrace, ReplicationResult

if TYPE_CHECKING:
    from collections.abc import Generator

    from midcorridor.sim.model import SimModel


def simulate_replication(
    model: SimModel, seed: int, replication: int, *, trace: bool = False,
    diverge: tuple[float, int] | None = None,
) -> ReplicationResult:
    """Simulate ``model`` for its horizon with the random streams of ``(seed, replication)``.

    With ``trace`` every consignment's milestones are kept (see :mod:`midcorridor.sim.feed`).
    ``diverge`` = (hour, future) keeps the run's past up to that hour and draws everything
    after it from the numbered future's streams: several futures of one state.
    """
    world = World(model, seed, replication, trace=trace, diverge=diverge)
    kernel = world.kernel
    start_cargo(world)  # first, so that cargo waiting at hour 0 is there when ships look
    placed = ship_starts(model)
    for line in model.lines:
        for k, ship in enumerate(line.ships):
            state = ShipState(
                ship, line, free=ship.slots, free_rail=ship.railcars, free_trucks=ship.trucks
            )
            stop, start_h = placed.get(ship.name, (0, k * line.headway_h / max(1, len(line.ships))))
            state.proc = ship_process(world, state, start_h=start_h, first_stop=stop)
            world.ships.append(state)
            kernel.process(state.proc)
    if model.start.demand:
        for stream in model.streams:
            kernel.process(demand(world, stream))
    kernel.process(storms(world))
    for closure in model.closures:
        kernel.process(closures(world, closure))
    kernel.process(_sampler(world))
    kernel.run(model.horizon_h)
    return _result(world)


def _sampler(world: World) -> Generator[Any, Any, None]:
    every = world.model.sample_every_h
    while True:
        now = world.kernel.now
        for port_id, port in world.ports.items():
            world.samples.append((now, port_id, float(port.queued_units)))
        for node_id, resource in world.terminals.items():
            world.samples.append((now, node_id, float(len(resource.queue))))
        teu = sum(c.waybill.teu for c in world.live.values())
        world.samples.append((now, "system", teu))
        yield every


def _result(world: World) -> ReplicationResult:
    model = world.model
    now = world.kernel.now
    span = max(now, 1e-9)
    places: dict[str, dict[str, Any]] = {}
    for port_id, port in world.ports.items():
        port.account(now)
        berths = [port.berths] if port.ferry_berths is None else [port.berths, port.ferry_berths]
        for b in berths:
            b.close()
        residual = sum((now - p.since) * p.units for q in port.queues.values() for p in q)
        places[port_id] = {
            "kind": "port",
            "name": model.ports[port_id].name,
            "caspian": model.ports[port_id].caspian,
            "utilization": sum(b.busy_area for b in berths)
            / (sum(b.capacity for b in berths) * span),
            "servers": sum(b.capacity for b in berths),
            "arrived_units": port.arrived_units,
            "queued_units": port.queued_units,
            "unit_wait_h": port.unit_wait_h,
            "residual_wait_h": residual,
            "queue_area": port.queue_area,
            "closed_hours": port.closed_hours,
        }
    for node_id, resource in world.terminals.items():
        resource.close()
        places[node_id] = {
            "kind": "terminal",
            "name": model.terminals[node_id].name,
            "utilization": resource.busy_area / (resource.capacity * span),
            "servers": resource.capacity,
            "arrivals": resource.arrivals,
            "queue_area": resource.queue_area,
            "queue_end": len(resource.queue),
        }
    return ReplicationResult(
        seed=world.seed,
        replication=world.replication,
        horizon_h=model.horizon_h,
        warmup_h=model.warmup_h,
        deliveries=world.records,
        waits=world.waits,
        samples=world.samples,
        places=places,
        departures=world.departures,
        created_units=world.created_units,
        delivered_units=world.delivered_units,
        in_system_units=world.in_system_units(),
        events=world.kernel.events,
        traces=_traces(world),
        shipments=world.shipments,
        closures=world.closures,
        movements=world.movements,
    )


def _traces(world: World) -> list[ConsignmentTrace]:
    """The milestones of every consignment, delivered or still under way, by id."""
    if not world.trace:
        return []
    out = [
        ConsignmentTrace.of(c.waybill, None, c.trace or ()) for c in world.live.values()
    ]
    out += world.finished
    out.sort(key=lambda t: t.id)
    return out
