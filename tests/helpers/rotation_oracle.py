"""The rotation oracle: small random instances and an independent brute force over every
rotation of every vessel, with the cargo loaded optimally as a min-cost flow (networkx).

The rules are written out again here from the model's description, not taken from it: a
voyage is one port call of one handling time at its origin, then the crossing; no two calls
beyond a port's berths at once; departures inside the horizon.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import TYPE_CHECKING

import networkx as nx

from helpers.crossing_strategies import START
from midcorridor.crossing import Booking, Capacity, CrossingInstance, Port, Vessel
from midcorridor.crossing.model import UnitType
from midcorridor.network.model import VesselKind

if TYPE_CHECKING:
    from collections.abc import Iterator

STEP = 6.0
LEFT_BEHIND_H = 72.0  # Costs() default
SAILING_H = 1.0  # Costs() default

Leg = tuple[str, str, int, int, int]  # origin, destination, call start, departure, arrival


def random_instance(seed: int, *, mixed_speeds: bool = False) -> CrossingInstance:
    """A small random instance; ``mixed_speeds``: two vessels, one at 12 kn and one at 6 kn
    (twice the steps on every crossing), every booking due, so the vessel a unit takes
    sets its lateness."""
    rng = random.Random(seed)
    names = ["A", "B", "C"][: rng.choice([2, 2, 3])]
    ports = {p: Port(p, p, berths=rng.choice([1, 1, 2]), handling_h=rng.choice([6.0, 12.0]))
             for p in names}
    if mixed_speeds:  # both vessels can call at A together and leave at the same time
        ports["A"] = Port("A", "A", berths=2, handling_h=ports["A"].handling_h)
    # distances are whole 6 h steps at 12 kn: 72 nm = 6 h
    dist = {(a, b): 72.0 * rng.choice([1, 2]) for a, b in itertools.combinations(names, 2)}
    identical = not mixed_speeds and rng.random() < 0.5
    vessels = []
    for i in range(2 if identical or mixed_speeds else rng.choice([1, 2])):
        cap = 12 if identical else rng.choice([8, 15])
        speed = (12.0, 6.0)[i] if mixed_speeds else 12.0
        vessels.append(Vessel(f"V{i}", f"V{i}", VesselKind.RAIL_FERRY, Capacity(railcar=cap),
                              speed, "A" if identical or mixed_speeds else rng.choice(names),
                              0.0 if identical else rng.choice([0.0, 5.0])))
    bookings = []
    for j in range(rng.choice([2, 3, 4])):
        origin, destination = ("A", rng.choice(names[1:])) if mixed_speeds else \
            tuple(rng.sample(names, 2))
        ready = float(rng.choice([0, 3, 6, 12, 18]))
        due = ready + 24.0 if mixed_speeds or rng.random() < 0.4 else None
        bookings.append(Booking(f"b{j}", rng.randint(3, 14), UnitType.RAILCAR, origin,
                                destination, ready, due, float(rng.choice([1, 1, 2, 3]))))
    return CrossingInstance(START, 42.0, tuple(bookings), tuple(vessels), ports, (), dist)


def steps_of(hours: float) -> int:
    return max(1, math.ceil(hours / STEP - 1e-9))


def rotations(inst: CrossingInstance, vessel: Vessel) -> list[tuple[Leg, ...]]:
    """Every sequence of voyages ``vessel`` can make (waiting any number of steps between)."""
    steps = math.floor(inst.horizon_h / STEP + 1e-9)

    def crossing(a: str, b: str) -> int:
        miles = inst.distances_nm.get((a, b)) or inst.distances_nm[(b, a)]
        return steps_of(miles / vessel.speed_kn)

    def walk(port: str, free: int) -> Iterator[tuple[Leg, ...]]:
        yield ()
        for start in range(free, steps):
            departure = start + steps_of(inst.ports[port].handling_h)
            if departure >= steps:
                break
            for dest in inst.ports:
                if dest == port:
                    continue
                arrival = departure + crossing(port, dest)
                for rest in walk(dest, arrival):
                    yield ((port, dest, start, departure, arrival), *rest)

    first = math.ceil(vessel.available_from / STEP - 1e-9)
    return list(walk(vessel.available_at, first))


def berths_respected(inst: CrossingInstance, legs: list[Leg]) -> bool:
    busy: dict[tuple[str, int], int] = {}
    for origin, _, start, departure, _ in legs:
        for t in range(start, departure):
            busy[(origin, t)] = busy.get((origin, t), 0) + 1
            if busy[(origin, t)] > inst.ports[origin].berths:
                return False
    return True


def unit_cost(b: Booking, departure_h: float, arrival_h: float) -> float:
    late = 0.0 if b.due is None else max(0.0, arrival_h - b.due)
    return b.priority * (departure_h - b.ready + late)


def left_cost(inst: CrossingInstance, b: Booking) -> float:
    t = inst.horizon_h + LEFT_BEHIND_H
    return unit_cost(b, t, t)


def best_loading(inst: CrossingInstance, sailings: list[tuple[str, str, float, float, int]]
                 ) -> float:
    """Cheapest loading of the bookings on these sailings: a min-cost flow (costs scaled
    to integers; all are multiples of 1/2 h here)."""
    g = nx.DiGraph()
    total = sum(b.units for b in inst.bookings)
    g.add_node("src", demand=-total)
    g.add_node("sink", demand=total)
    for b in inst.bookings:
        g.add_edge("src", b.id, capacity=b.units, weight=0)
        g.add_edge(b.id, "sink", capacity=b.units, weight=round(2 * left_cost(inst, b)))
        for i, (o, d, dep, arr, _) in enumerate(sailings):
            if (o, d) == (b.origin, b.destination) and dep >= b.ready:
                g.add_edge(b.id, f"s{i}", capacity=b.units,
                           weight=round(2 * unit_cost(b, dep, arr)))
    for i, (*_, cap) in enumerate(sailings):
        if g.has_node(f"s{i}"):
            g.add_edge(f"s{i}", "sink", capacity=cap, weight=0)
    return nx.min_cost_flow_cost(g) / 2


def brute_force(inst: CrossingInstance) -> float:
    options = [rotations(inst, v) for v in inst.vessels]
    best = math.inf
    seen: dict[tuple[object, ...], float] = {}
    for combo in itertools.product(*options):
        legs = [leg for rot in combo for leg in rot]
        if not berths_respected(inst, legs):
            continue
        sailings = sorted((o, d, dep * STEP, arr * STEP, v.capacity.railcar)
                          for v, rot in zip(inst.vessels, combo, strict=True)
                          for o, d, _, dep, arr in rot)
        key = tuple(sailings)
        if key not in seen:
            seen[key] = best_loading(inst, sailings) + SAILING_H * len(sailings)
        best = min(best, seen[key])
    return best


def check_plan(inst: CrossingInstance, plan: object) -> float:
    """The plan follows the rules the oracle uses; returns its cost computed here."""
    from midcorridor.crossing.result import CrossingPlan

    assert isinstance(plan, CrossingPlan)
    steps = math.floor(inst.horizon_h / STEP + 1e-9)
    legs: list[Leg] = []
    for v in inst.vessels:
        mine = sorted((s for s in plan.sailings if s.vessel == v.id), key=lambda s: s.departure)
        port, free = v.available_at, math.ceil(v.available_from / STEP - 1e-9)
        for s in mine:
            assert s.origin == port, f"{v.id} leaves {s.origin} but is at {port}"
            departure = round(s.departure / STEP)
            start = departure - steps_of(inst.ports[port].handling_h)
            assert start >= free
            assert departure < steps
            miles = inst.distances_nm.get((s.origin, s.destination)) or \
                inst.distances_nm[(s.destination, s.origin)]
            assert round(s.arrival / STEP) == departure + steps_of(miles / v.speed_kn)
            legs.append((s.origin, s.destination, start, departure, round(s.arrival / STEP)))
            port, free = s.destination, round(s.arrival / STEP)
    assert berths_respected(inst, legs)
    by_id = {s.id: s for s in plan.sailings}
    bookings = {b.id: b for b in inst.bookings}
    load: dict[str, int] = {}
    carried: dict[str, int] = {}
    cost = SAILING_H * len(plan.sailings)
    for a in plan.assignments:
        s, b = by_id[a.sailing], bookings[a.booking]
        assert (s.origin, s.destination) == (b.origin, b.destination)
        assert s.departure >= b.ready
        load[s.id] = load.get(s.id, 0) + a.units
        carried[b.id] = carried.get(b.id, 0) + a.units
        cost += a.units * unit_cost(b, s.departure, s.arrival)
    for s in plan.sailings:
        assert load.get(s.id, 0) <= s.capacity.railcar
    for b in inst.bookings:
        assert carried.get(b.id, 0) <= b.units
        cost += (b.units - carried.get(b.id, 0)) * left_cost(inst, b)
    return cost


