"""Sailings: cargo waiting at ports, ships berthing, loading, crossing and unloading.

A ship shuttles along its line's stops ("departs when loaded"). At each stop it waits at
anchorage while cargo gathers in the port, and berths when it has cargo to unload, a full load
is waiting or the line's headway has passed since it arrived; it waits for the port to be open
(storms) and for a free berth (a ferry at the port's ferry terminal, if it has one), unloads and
loads during one handling time, and sails when full or when the headway is up. Empty, with
cargo waiting at another stop, it leaves at once to fetch it. Wagons need railcar slots, trucks
truck slots (Ro-Ro decks), containers any slot.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from midcorridor.sim.draw import draw
from midcorridor.sim.kernel import PASSIVATE
from midcorridor.sim.model import TRUCK, WAGON, Line, Ship
from midcorridor.sim.processes.state import Consignment, Part, PortState, World, mark

if TYPE_CHECKING:
    import random
    from collections.abc import Generator

    from midcorridor.sim.model import Dist


@dataclass(eq=False)
class ShipState:
    """A ship's cargo (consignment, units, destination) and free deck, railcar and truck slots."""

    ship: Ship
    line: Line
    cargo: list[tuple[Consignment, int, str]] = field(default_factory=list)
    unloading: list[tuple[Consignment, int, str]] = field(default_factory=list)
    free: int = 0
    free_rail: int = 0
    free_trucks: int = 0
    dests: tuple[str, ...] = ()
    proc: Any = None
    ticket: int | None = None


def _take(ship: ShipState, part: Part, dest: str, now: float, port: PortState) -> int:
    """Load as many units of ``part`` as fit; return how many were loaded."""
    kind = part.consignment.waybill.unit_kind
    room = ship.free
    if kind == WAGON:
        room = min(room, ship.free_rail)
    elif kind == TRUCK:
        room = min(room, ship.free_trucks)
    n = min(room, part.units)
    if n <= 0:
        return 0
    ship.free -= n
    if kind == WAGON:
        ship.free_rail -= n
    elif kind == TRUCK:
        ship.free_trucks -= n
    ship.free_rail = min(ship.free_rail, ship.free)
    ship.free_trucks = min(ship.free_trucks, ship.free)
    part.units -= n
    port.unit_wait_h += n * (now - part.since)
    port.queued_units -= n
    ship.cargo.append((part.consignment, n, dest))
    return n


def _load_waiting(ship: ShipState, port: PortState, now: float) -> None:
    port.account(now)
    for dest in ship.dests:
        queue = port.queues.get(dest)
        if not queue:
            continue
        for part in list(queue):
            if ship.free <= 0:
                return
            _take(ship, part, dest, now, port)
            if part.units == 0:
                queue.remove(part)


def arrive_at_port(
    world: World, port: PortState, consignment: Consignment, dest: str, since: float | None = None
) -> None:
    """Put a consignment's units in the port's queue for ``dest``, straight aboard if a ship
    heading there is loading; ``since`` is when it arrived, if before now.
    """
    now = world.kernel.now
    port.account(now)
    part = Part(consignment, consignment.waybill.units, now if since is None else since)
    port.arrived_units += part.units
    port.queued_units += part.units
    consignment.waiting = part.units
    for ship in port.loading:
        if dest in ship.dests and ship.free > 0:
            _take(ship, part, dest, now, port)
            if ship.free <= 0 and ship.ticket is not None:
                world.kernel.cancel(ship.ticket)
                ship.ticket = None
                world.kernel.resume(ship.proc)
            if part.units == 0:
                return
    port.queues.setdefault(dest, deque()).append(part)
    for ship in port.anchored:
        if dest in ship.dests and ship.ticket is not None and can_carry(ship.ship, part):
            world.kernel.cancel(ship.ticket)
            ship.ticket = None
            port.anchored.remove(ship)
            world.kernel.resume(ship.proc)
            break


def _wait_open(world: World, port: PortState) -> Generator[Any, Any, None]:
    while world.kernel.now < port.closed_until:
        yield port.closed_until - world.kernel.now


def _unload(ship: ShipState, here: str) -> int:
    """Move the cargo for ``here`` off the deck (it lands after handling); return its units."""
    keep = []
    units_off = 0
    for item in ship.cargo:
        if item[2] == here:
            ship.unloading.append(item)
            units_off += item[1]
        else:
            keep.append(item)
    ship.cargo = keep
    ship.free += units_off
    ship.free_rail = min(ship.ship.railcars, ship.free)
    ship.free_trucks = min(ship.ship.trucks, ship.free)
    return units_off


def _land(world: World, ship: ShipState) -> None:
    """Hand the unloaded cargo over; a consignment moves on when all its units are ashore."""
    for consignment, units, dest in ship.unloading:
        mark(consignment, world.kernel.now, "DISC", dest, ship.ship.name, units)
        consignment.waiting -= units
        cid = consignment.waybill.id
        if consignment.waiting == 0:
            world.landed.pop(cid, None)
            world.kernel.resume(consignment.proc)
        else:
            world.landed[cid] = world.landed.get(cid, 0) + units
    ship.unloading = []


def ship_process(
    world: World, ship: ShipState, start_h: float, first_stop: int = 0
) -> Generator[Any, Any, None]:
    """One ship's endless shuttle along its line, from ``first_stop`` after ``start_h`` hours.

    At each stop the ship waits at anchorage, cargo gathering in the port meanwhile, until it
    has cargo to unload, a full load is waiting or the line's headway has passed since it
    arrived; then it berths, unloads and loads in one handling time, and sails when full, when
    the headway is up, or at once when it is empty and cargo waits at another stop. A ship
    that is not yet full keeps filling at the berth unless another ship is waiting for it; then
    it makes room and waits outside again.
    """
    kernel = world.kernel
    line = ship.line
    rng = world.rng(f"line:{line.id}")
    stops = line.stops
    handling = {s: world.model.ports[s].call(line.ro_ro) for s in stops}
    yield start_h
    i, step = first_stop, 1
    while True:
        here = stops[i]
        port = world.ports[here]
        nxt = i + step
        if not 0 <= nxt < len(stops):
            step = -step
            nxt = i + step
        ship.dests = stops[nxt::step] if step > 0 else stops[nxt::-1]
        _arrive(world, ship, here)
        deadline = kernel.now + line.headway_h
        berths = port.ferry_berths if line.ro_ro and port.ferry_berths is not None else port.berths
        aboard_before = len(ship.cargo)
        at_berth = first_call = False
        while (yield from _wait_outside(world, ship, port, here, deadline)):
            yield from _wait_open(world, port)
            yield berths
            at_berth = True
            _moved(world, ship, "BRTH", here)
            kept = yield from _work(world, ship, port, handling[here], rng)
            if not first_call:
                aboard_before, first_call = kept, True
            busy_elsewhere = not ship.cargo and _waiting_at(world, ship.dests, ship.ship)
            if ship.free <= 0 or busy_elsewhere or kernel.now >= deadline:
                break
            if berths.queue:  # another ship waits for the berth: make room, wait outside
                berths.release()
                at_berth = False
                continue
            port.loading.append(ship)  # keep filling until full or the headway is up
            ship.ticket = kernel.resume_at(deadline, ship.proc)
            yield PASSIVATE
            ship.ticket = None
            port.loading.remove(ship)
            break
        yield from _wait_open(world, port)
        _depart(world, ship, here, aboard_before)
        if at_berth:
            berths.release()
        sailing = line.sailing[min(i, nxt)]
        yield draw(rng, sailing)
        i = nxt


def _moved(world: World, ship: ShipState, code: str, here: str) -> None:
    """Keep, when tracing, the ship's own movement at ``here`` (``ARRI`` at anchorage,
    ``BRTH`` at a berth, ``DEPA``), as the port's vessel call reports give it.
    """
    if world.trace:
        world.movements.append((ship.ship.name, code, here, world.kernel.now))


def _arrive(world: World, ship: ShipState, here: str) -> None:
    """The ship arrives at ``here`` (at anchorage); the line reports it for the cargo it
    brings there.
    """
    _moved(world, ship, "ARRI", here)
    if world.trace:
        for consignment, units, dest in ship.cargo:
            if dest == here:
                mark(consignment, world.kernel.now, "ARRI", here, ship.ship.name, units)


def _work(
    world: World, ship: ShipState, port: PortState, handling: Dist, rng: random.Random
) -> Generator[Any, Any, int]:
    """Unload and load at the berth in one handling time, then land what was unloaded; the
    number of cargo items that stayed aboard (those after them were loaded here).
    """
    unloaded = _unload(ship, port.id)
    kept = len(ship.cargo)
    before = ship.free
    _load_waiting(ship, port, world.kernel.now)
    # Handling time grows with the units moved: a quarter of a full call if none.
    work = min(1.0, (unloaded + before - ship.free) / max(1, ship.ship.slots))
    yield draw(rng, handling) * (0.25 + 0.75 * work)
    _land(world, ship)
    return kept


def _depart(world: World, ship: ShipState, here: str, aboard_before: int) -> None:
    """The ship sails from ``here``. The port reports the loading of the cargo it took aboard
    in this call now, in one loading report as the ship leaves (not unit by unit while it
    fills at the berth), and the line the departure.
    """
    now = world.kernel.now
    load = 0
    for k, (consignment, units, _dest) in enumerate(ship.cargo):
        consignment.last_departure = now
        load += units
        if k >= aboard_before:
            mark(consignment, now, "LOAD", here, ship.ship.name, units)
            mark(consignment, now, "DEPA", here, ship.ship.name, units)
    world.departures.append((ship.line.id, here, now, load, ship.ship.slots))
    _moved(world, ship, "DEPA", here)


def _wait_outside(
    world: World, ship: ShipState, port: PortState, here: str, deadline: float
) -> Generator[Any, Any, bool]:
    """Wait at anchorage; True when the ship should berth, False when it should sail on (with
    what it has aboard once the headway is up, or empty to fetch cargo waiting elsewhere).
    """
    kernel = world.kernel
    while True:
        if any(item[2] == here for item in ship.cargo):
            return True
        waiting = _units_for(port, ship.dests, ship.ship)
        late = kernel.now >= deadline
        if waiting and (waiting >= ship.free or late):
            return True
        if late and ship.cargo:
            return False
        if not ship.cargo and not waiting and _waiting_at(world, ship.dests, ship.ship):
            return False
        port.anchored.append(ship)
        wake = deadline if not late else kernel.now + ship.line.headway_h
        ship.ticket = kernel.resume_at(wake, ship.proc)
        yield PASSIVATE
        ship.ticket = None
        if ship in port.anchored:
            port.anchored.remove(ship)


def _units_for(port: PortState, dests: tuple[str, ...], ship: Ship) -> int:
    """Units waiting at ``port`` for ``dests`` that ``ship`` has deck room of their kind for."""
    return sum(p.units for d in dests for p in port.queues.get(d, ()) if can_carry(ship, p))


def can_carry(ship: Ship, part: Part) -> bool:
    """Whether ``ship`` has deck room of the kind ``part`` needs."""
    kind = part.consignment.waybill.unit_kind
    return bool(ship.railcars if kind == WAGON else ship.trucks if kind == TRUCK else ship.slots)


def _waiting_at(world: World, stops: tuple[str, ...], ship: Ship) -> bool:
    """Whether cargo ``ship`` can carry waits at any of ``stops`` (an empty ship then
    repositions at once).
    """
    return any(
        can_carry(ship, p) for s in stops for q in world.ports[s].queues.values() for p in q
    )
