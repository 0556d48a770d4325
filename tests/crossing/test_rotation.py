"""Rotation mode on instances solved by hand."""

from __future__ import annotations

import dataclasses

import pytest

from midcorridor.crossing import Capacity, Closure, Port, Vessel, optimize_rotation
from midcorridor.crossing.timegrid import make_grid
from midcorridor.errors import InfeasibleError
from midcorridor.network.model import VesselKind


def test_one_ferry_leaves_at_once(one_ferry_rotation):
    """The optimum sails at the first chance (61) while FIFO waits for its schedule (301)."""
    plan = optimize_rotation(one_ferry_rotation, step_h=6.0)
    assert plan.objective == pytest.approx(61.0)
    assert plan.fifo.objective == pytest.approx(301.0)
    assert plan.gap == pytest.approx(0.0, abs=1e-6)
    (sailing,) = [s for s in plan.sailings if s.origin == "A"]
    assert sailing.departure == pytest.approx(6.0)
    assert sailing.arrival == pytest.approx(18.0)
    assert [(a.booking, a.units) for a in plan.assignments] == [("b", 10)]


def test_closure_delays_the_departure(one_ferry_rotation):
    """A storm closing A until 24 h pushes the departure to 24 h: 10*24 + 1 = 241."""
    closed = Port("A", "A", 1, 6.0, (Closure("A", 0.0, 24.0),))
    inst = dataclasses.replace(one_ferry_rotation,
                               ports={**one_ferry_rotation.ports, "A": closed})
    plan = optimize_rotation(inst, step_h=6.0)
    assert plan.objective == pytest.approx(241.0)
    assert min(s.departure for s in plan.sailings) == pytest.approx(24.0)


def test_two_ferries_share_one_berth(one_ferry_rotation, build):
    """With one berth at A, the second ferry loads only after the first has left."""
    f2 = Vessel("G", "Ferry 2", VesselKind.RAIL_FERRY, Capacity(railcar=20), 12.0, "A", 0.0)
    inst = dataclasses.replace(
        one_ferry_rotation, vessels=(*one_ferry_rotation.vessels, f2),
        bookings=(build["booking"]("b1", 20, 0.0), build["booking"]("b2", 20, 0.0)))
    plan = optimize_rotation(inst, step_h=6.0)
    departures = sorted(s.departure for s in plan.sailings if s.origin == "A")
    assert departures[:2] == [6.0, 12.0]
    # 20*6 + 20*12 + 2 sailings
    assert plan.objective == pytest.approx(20 * 6 + 20 * 12 + 2)


def test_horizon_too_short_is_infeasible(one_ferry_rotation):
    """A horizon that ends before any ferry can load and leave raises InfeasibleError."""
    inst = dataclasses.replace(one_ferry_rotation, horizon_h=5.0)
    with pytest.raises(InfeasibleError, match="horizon"):
        make_grid(inst, 6.0)


def test_round_trip_pays_one_call_per_port(one_ferry_rotation, build):
    """A round trip pays one 6 h call at B (unload and load together): 302 vs FIFO's 1,022.

    By hand, 6 h steps, 12 h crossings, one 6 h call per port: the ferry calls at A 0-6 h
    (loads "out"), arrives at B at 18 h, calls there 18-24 h (unloads "out", loads "back")
    and leaves B at 24 h: 10*6 + 10*24 + 2 sailings = 302 (with the old unload-then-load
    double call it could leave B only at 30 h: 362). FIFO waits its 24 h schedule at each
    end: leaves A at 30 h, arrives at B at 42 h, starts its call at 66 h and leaves at
    72 h: 10*30 + 10*72 + 2 = 1,022.
    """
    inst = dataclasses.replace(
        one_ferry_rotation, horizon_h=96.0,
        bookings=(build["booking"]("out", 10, 0.0),
                  build["booking"]("back", 10, 0.0, origin="B", destination="A")))
    plan = optimize_rotation(inst, step_h=6.0)
    assert plan.objective == pytest.approx(302.0)
    assert plan.fifo.objective == pytest.approx(1022.0)
    legs = sorted((s.origin, s.departure, s.arrival) for s in plan.sailings)
    assert legs == [("A", 6.0, 18.0), ("B", 24.0, 36.0)]


def test_gap_without_a_bound_is_unknown_not_zero():
    """No proved bound (the solver stopped before its first relaxation): the gap is
    infinite and the JSON says null rather than a made-up number."""
    from midcorridor.crossing.rotation import plan_gap

    assert plan_gap(100.0, -float("inf")) == float("inf")
    assert plan_gap(100.0, 90.0) == pytest.approx(0.1)
    assert plan_gap(100.0, 100.0 + 1e-9) == 0.0


def test_plan_says_whose_it_is(one_ferry_rotation):
    plan = optimize_rotation(one_ferry_rotation, step_h=6.0)
    assert plan.extra["plan"] == "optimizer"
    assert plan.to_dict()["plan_from"] == "optimizer"
    assert plan.to_dict()["bound"] == pytest.approx(plan.bound, abs=1e-3)


def test_fifo_voyages_reloaded_are_labelled_so(build):
    """One 10-railcar ferry at A, a 24 h horizon (room for one voyage only, leaving at 6 h).
    "early" (10 railcars, priority 1) is ready at 0 h, "urgent" (10, priority 3) at 1 h; a
    unit left behind leaves at 24 + 72 = 96 h. FIFO sails at 6 h with "early": 10 * 6 +
    10 * 3 * 95 + 1 = 2,911. The optimum sails the same voyage with "urgent": 10 * 3 * 5 +
    10 * 96 + 1 = 1,111. Same voyage, other cargo: the plan says it sails FIFO's voyages."""
    ferry = Vessel("F", "Ferry", VesselKind.RAIL_FERRY, Capacity(railcar=10), 12.0, "A", 0.0)
    inst = build["instance"]((build["booking"]("early", 10, 0.0),
                              build["booking"]("urgent", 10, 1.0, priority=3.0)),
                             vessels=(ferry,), horizon=24.0)
    plan = optimize_rotation(inst, step_h=6.0, mip_gap=0.0)
    assert plan.fifo.objective == pytest.approx(2911.0)
    assert plan.objective == pytest.approx(1111.0)
    assert [(a.booking, a.units) for a in plan.assignments] == [("urgent", 10)]
    assert plan.extra["plan"] == "fifo_voyages"
    assert plan.to_dict()["plan_from"] == "fifo_voyages"
    assert any("FIFO's voyages" in n for n in plan.notes)


def test_unavoidable_cost_by_hand(one_ferry_rotation, build):
    """The round trip above: "out" can leave A at 6 h at the earliest (10 * 6) and "back"
    can leave B at 24 h at the earliest (the ferry reaches B at 18 h and calls 6 h): 300 of
    the optimum's 302 no plan avoids; the bound lies between them."""
    inst = dataclasses.replace(
        one_ferry_rotation, horizon_h=96.0,
        bookings=(build["booking"]("out", 10, 0.0),
                  build["booking"]("back", 10, 0.0, origin="B", destination="A")))
    plan = optimize_rotation(inst, step_h=6.0)
    assert plan.extra["unavoidable"] == pytest.approx(300.0)
    assert plan.extra["unavoidable"] <= plan.bound <= plan.objective + 1e-6


@pytest.mark.parametrize("fast_first", [True, False])
def test_urgent_cargo_takes_the_fast_ferry(one_ferry_rotation, build, fast_first):
    """Two ferries call at A together (two berths) and leave at 6 h: the fast one (12 kn,
    144 nm) arrives at 18 h, the slow one (6 kn) at 30 h. "urgent" (10 railcars, due at
    18 h) on the fast one is on time: 10 * 6; "easy" (no due time) on the slow one:
    10 * 6; with two sailings 122. The other way round "urgent" is 12 h late:
    10 * (6 + 12) + 60 + 2 = 242. Whichever ferry the model meets first, each unit is
    costed with its own ferry's arrival, so the plan and the MILP agree."""
    fast_id, slow_id = ("F1", "F2") if fast_first else ("F2", "F1")  # vessels go by id
    fast = Vessel(fast_id, "Fast", VesselKind.RAIL_FERRY, Capacity(railcar=10), 12.0, "A", 0.0)
    slow = Vessel(slow_id, "Slow", VesselKind.RAIL_FERRY, Capacity(railcar=10), 6.0, "A", 0.0)
    ports = {**one_ferry_rotation.ports,
             "A": dataclasses.replace(one_ferry_rotation.ports["A"], berths=2)}
    inst = dataclasses.replace(
        one_ferry_rotation, ports=ports, horizon_h=48.0,
        vessels=(fast, slow),
        bookings=(build["booking"]("urgent", 10, 0.0, due=18.0),
                  build["booking"]("easy", 10, 0.0)))
    plan = optimize_rotation(inst, step_h=6.0)
    assert plan.objective == pytest.approx(122.0)
    assert plan.extra["milp_objective"] == pytest.approx(122.0)
    assert plan.bound <= 122.0 + 1e-6
    vessel_of = {s.id: s.vessel for s in plan.sailings}
    assert {a.booking: vessel_of[a.sailing] for a in plan.assignments} == {
        "urgent": fast_id, "easy": slow_id}
