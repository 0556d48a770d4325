"""Invariants of every plan, on random small instances (hypothesis)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.crossing_strategies import (
    PORTS,
    SETTINGS,
    START,
    assignment_instances,
    ports,
    rotation_instances,
    twin_rotation_instances,
)
from midcorridor.crossing import (
    Booking,
    Capacity,
    CrossingInstance,
    CrossingPlan,
    Port,
    Sailing,
    Vessel,
    evaluate,
    optimize_assignment,
    optimize_rotation,
)
from midcorridor.crossing.model import CARRIES, UnitType
from midcorridor.crossing.result import Assignment
from midcorridor.network.model import VesselKind


def check_plan(instance: CrossingInstance, plan: CrossingPlan) -> None:
    by_booking = {b.id: b for b in instance.bookings}
    by_sailing = {s.id: s for s in plan.sailings}
    deck: dict[str, float] = defaultdict(float)
    danger: dict[str, int] = defaultdict(int)
    carried: dict[str, int] = defaultdict(int)
    legs: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        b, s = by_booking[a.booking], by_sailing[a.sailing]
        assert a.units > 0
        # compatibility: the sailing's vessel takes this unit type; right route; after ready
        assert s.capacity.of(b.unit_type) > 0
        assert b.unit_type in CARRIES[instance.vessel(s.vessel).kind]
        assert (s.origin, s.destination) == (b.origin, b.destination)
        assert s.departure >= b.ready - 1e-9
        deck[s.id] += a.units / s.capacity.of(b.unit_type)
        if b.dangerous:
            danger[s.id] += a.units
        carried[b.id] += a.units
        legs[b.id].add(s.id)
    for sid, used in deck.items():
        assert used <= 1 + 1e-6, f"deck of {sid} over full: {used}"
        limit = by_sailing[sid].dangerous_limit
        assert limit is None or danger[sid] <= limit
    left = 0
    for b in instance.bookings:
        assert 0 <= carried[b.id] <= b.units
        if b.whole and plan.mode == "assignment":
            assert carried[b.id] in (0, b.units)
            assert len(legs[b.id]) <= 1
        left += b.units - carried[b.id]
    # units conserved: assigned + left behind = booked
    assert plan.figures.left_behind_units == left
    assert plan.figures.assigned_units + left == instance.total_units
    # never worse than first come, first served; the bound is below the objective
    assert plan.objective <= plan.fifo.objective + 1e-6
    assert plan.bound <= plan.objective + 1e-6
    again = evaluate(instance, plan.sailings, plan.assignments,
                     count_sailings=plan.mode == "rotation")
    assert abs(again.objective - plan.objective) < 1e-6 * max(1.0, plan.objective)


@SETTINGS
@given(assignment_instances())
def test_assignment_plans_are_valid(instance):
    """Assignment plans respect capacity, compatibility, conservation and beat FIFO."""
    check_plan(instance, optimize_assignment(instance, time_limit=10))


def check_rotation(instance: CrossingInstance, plan: CrossingPlan) -> None:
    check_plan(instance, plan)
    for vessel in instance.vessels:
        mine = sorted((s for s in plan.sailings if s.vessel == vessel.id),
                      key=lambda s: s.departure)
        here, free = vessel.available_at, vessel.available_from
        for s in mine:
            # one port call (one handling time: unload and load together) before each departure
            call = instance.ports[s.origin].handling_h
            assert s.origin == here
            assert s.departure >= free + call - 1e-9
            assert not instance.ports[s.origin].closed_at(s.departure)
            assert not instance.ports[s.destination].closed_at(s.arrival)
            here, free = s.destination, s.arrival
    # berths: each sailing's one call holds a berth at its origin only, for whole steps
    step = float(plan.extra["step_h"])
    in_call: dict[tuple[str, int], int] = defaultdict(int)
    for s in plan.sailings:
        steps = math.ceil(instance.ports[s.origin].handling_h / step - 1e-9)
        for k in range(max(1, steps)):
            in_call[(s.origin, round(s.departure / step) - 1 - k)] += 1
    assert all(n <= instance.ports[p].berths for (p, _), n in in_call.items())


@SETTINGS
@given(rotation_instances())
def test_rotation_plans_are_valid(instance):
    """Rotation plans respect capacity, conservation, closures and vessel continuity."""
    check_rotation(instance, optimize_rotation(instance, step_h=6.0, time_limit=10))


@SETTINGS
@given(twin_rotation_instances())
def test_identical_vessels_split_back_into_valid_rotations(instance):
    """Identical vessels planned as one flow come back as valid per-vessel rotations."""
    plan = optimize_rotation(instance, step_h=6.0, time_limit=10)
    assert plan.extra["vessel_classes"] == 1
    check_rotation(instance, plan)


def test_rotation_units_left_when_nothing_sails():
    """A truck booking with only a container ship in the fleet is left behind, not dropped."""
    ship = Vessel("C", "C", VesselKind.CONTAINER_SHIP, Capacity(teu=10), 12.0, "A", 0.0)
    inst = CrossingInstance(START, 72.0, (Booking("t", 3, UnitType.TRUCK, "A", "B", 0.0),),
                            (ship,), {p: Port(p, p) for p in PORTS}, (), {("A", "B"): 144.0})
    plan = optimize_rotation(inst)
    assert plan.figures.left_behind_units == 3
    check_plan(inst, plan)


@st.composite
def tiny_assignment_instances(draw: st.DrawFn) -> CrossingInstance:
    """Up to three bookings of up to three railcars, of different priorities, competing for
    one or two small sailings A->B: small enough to enumerate, scarce enough that first come,
    first served is often not the optimum."""
    kind = next(k for k in sorted(CARRIES, key=str) if UnitType.RAILCAR in CARRIES[k])
    capacity = Capacity(railcar=draw(st.integers(1, 3)))
    vessel = Vessel("V0", "V0", kind, capacity, 12.0, "A", 0.0, None)
    departures = sorted(draw(st.lists(st.integers(10, 60), min_size=1, max_size=2,
                                      unique=True)))
    sailings = tuple(Sailing(f"S{i}", "V0", "A", "B", float(d), d + 20.0, capacity)
                     for i, d in enumerate(departures))
    booked = tuple(
        Booking(f"b{i}", draw(st.integers(1, 3)), UnitType.RAILCAR, "A", "B",
                float(draw(st.integers(0, 9))), None, float(draw(st.sampled_from([1, 2, 5]))),
                draw(st.booleans()))
        for i in range(draw(st.integers(2, 3))))
    return CrossingInstance(START, 96.0, booked, (vessel,), ports(draw, 96.0), sailings,
                            {("A", "B"): 240.0})


def _splits(units: int, slots: int) -> list[tuple[int, ...]]:
    """Every way to put ``units`` into ``slots`` ordered parts (each >= 0)."""
    if slots == 1:
        return [(units,)]
    return [(k, *rest) for k in range(units + 1) for rest in _splits(units - k, slots - 1)]


def brute_force_optimum(instance: CrossingInstance) -> float:
    """The least objective over every feasible assignment, by enumeration (no solver, no
    FIFO): each booking's units split over the sailings it may take, the rest left behind."""
    options: list[list[tuple[Assignment, ...]]] = []
    for b in instance.bookings:
        usable = [s for s in instance.sailings
                  if (s.origin, s.destination) == (b.origin, b.destination)
                  and s.departure >= b.ready and s.capacity.of(b.unit_type) > 0
                  and b.unit_type in CARRIES[instance.vessel(s.vessel).kind]]
        choices = []
        for split in _splits(b.units, len(usable) + 1):
            taken = [(s, n) for s, n in zip(usable, split, strict=False) if n > 0]
            if b.whole and (len(taken) > 1 or (taken and taken[0][1] != b.units)):
                continue
            choices.append(tuple(Assignment(b.id, s.id, n) for s, n in taken))
        options.append(choices)
    best = math.inf
    for combo in itertools.product(*options):
        assignments = [a for part in combo for a in part]
        deck: dict[str, float] = defaultdict(float)
        danger: dict[str, int] = defaultdict(int)
        for a in assignments:
            b = next(x for x in instance.bookings if x.id == a.booking)
            s = next(x for x in instance.sailings if x.id == a.sailing)
            deck[s.id] += a.units / s.capacity.of(b.unit_type)
            danger[s.id] += a.units if b.dangerous else 0
        if any(used > 1 + 1e-9 for used in deck.values()):
            continue
        if any(s.dangerous_limit is not None and danger[s.id] > s.dangerous_limit
               for s in instance.sailings):
            continue
        best = min(best, evaluate(instance, instance.sailings, assignments).objective)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_assignment_instances())
def test_assignment_finds_the_enumerated_optimum(instance):
    """HiGHS' own plan (not a FIFO fallback) reaches the optimum found by enumeration."""
    plan = optimize_assignment(instance, time_limit=10)
    best = brute_force_optimum(instance)
    assert abs(plan.objective - best) <= 1e-6 * max(1.0, best), (plan.objective, best, plan.notes)
    if best < plan.fifo.objective - 1e-6:  # FIFO is worse, so the plan is the solver's
        assert not any(note.startswith("FIFO") for note in plan.notes), plan.notes
