"""Assignment mode on instances solved by hand."""

from __future__ import annotations

import pytest

from midcorridor.crossing import Capacity, evaluate, fifo_assignment, optimize_assignment
from midcorridor.crossing.model import UnitType


def test_priority_swap_is_the_optimum(aktau_alat_two_sailings):
    """The urgent booking takes the first sailing; objective 650 against FIFO's 1,450."""
    plan = optimize_assignment(aktau_alat_two_sailings)
    assert plan.status == "Optimal"
    assert plan.objective == pytest.approx(650.0)
    assert plan.fifo.objective == pytest.approx(1450.0)
    assert plan.bound == pytest.approx(650.0)
    assert plan.gap == pytest.approx(0.0)
    got = {(a.booking, a.sailing, a.units) for a in plan.assignments}
    assert got == {("urgent", "S1", 10), ("early", "S2", 10)}


def test_fifo_loads_in_arrival_order(aktau_alat_two_sailings):
    """FIFO puts the first-arrived booking on the first sailing."""
    fifo = fifo_assignment(aktau_alat_two_sailings.bookings, aktau_alat_two_sailings.sailings)
    assert {(a.booking, a.sailing) for a in fifo} == {("early", "S1"), ("urgent", "S2")}


def test_mixed_deck_is_shared(build):
    """A Ro-Pax of 56 railcars or 50 trucks takes 28 railcars and 25 trucks, not more."""
    cap = Capacity(railcar=56, truck=50)
    inst = build["instance"](
        (build["booking"]("rail", 28, 0.0), build["booking"]("trucks", 30, 0.0,
                                                             unit=UnitType.TRUCK)),
        (build["sailing"]("S1", 10.0, cap),), horizon=100.0)
    plan = optimize_assignment(inst)
    units = {a.booking: a.units for a in plan.assignments}
    # trucks cost the same per unit as railcars, so the deck is filled: 28/56 + 25/50 = 1
    assert units == {"rail": 28, "trucks": 25}
    assert plan.figures.left_behind_units == 5


def test_whole_booking_is_not_split(build):
    """A whole booking of 8 waits for the sailing with room for all 8 instead of splitting."""
    inst = build["instance"](
        (build["booking"]("w", 8, 0.0, whole=True),),
        (build["sailing"]("small", 10.0, Capacity(railcar=5)),
         build["sailing"]("big", 30.0, Capacity(railcar=10))))
    plan = optimize_assignment(inst)
    assert [(a.sailing, a.units) for a in plan.assignments] == [("big", 8)]
    assert plan.objective == pytest.approx(8 * 30.0)


def test_dangerous_goods_limit_per_sailing(build):
    """With 4 dangerous units allowed per sailing, 6 dangerous railcars need two sailings."""
    cap = Capacity(railcar=20)
    inst = build["instance"](
        (build["booking"]("dg", 6, 0.0, dangerous=True),),
        (build["sailing"]("S1", 10.0, cap, dangerous_limit=4),
         build["sailing"]("S2", 20.0, cap, dangerous_limit=4)))
    plan = optimize_assignment(inst)
    assert sorted((a.sailing, a.units) for a in plan.assignments) == [("S1", 4), ("S2", 2)]
    assert plan.objective == pytest.approx(4 * 10 + 2 * 20)


def test_left_behind_costs_the_penalty(build):
    """Cargo with no sailing after it is left behind and costs horizon + penalty - ready."""
    inst = build["instance"]((build["booking"]("late", 3, 50.0),),
                             (build["sailing"]("S1", 10.0, Capacity(railcar=10)),))
    plan = optimize_assignment(inst)
    assert plan.assignments == ()
    assert plan.figures.left_behind_units == 3
    assert plan.objective == pytest.approx(3 * (200.0 + 72.0 - 50.0))


def test_objective_matches_evaluation(aktau_alat_two_sailings):
    """The reported objective is the evaluated cost of the reported assignments."""
    plan = optimize_assignment(aktau_alat_two_sailings)
    again = evaluate(aktau_alat_two_sailings, plan.sailings, plan.assignments)
    assert again.objective == pytest.approx(plan.objective)


def test_json_has_the_documented_keys(aktau_alat_two_sailings):
    """to_dict carries solver, status, objective, bound, gap, waits, fifo and assignments."""
    data = optimize_assignment(aktau_alat_two_sailings).to_dict()
    for key in ("solver", "status", "objective", "bound", "gap", "mean_wait_hours",
                "p95_wait_hours", "left_behind_units", "fifo", "assignments"):
        assert key in data
    assert set(data["fifo"]) >= {"objective", "mean_wait_hours", "p95_wait_hours",
                                 "left_behind_units"}
    assert set(data["assignments"][0]) == {"booking", "sailing", "units"}


def _crowded_route(build, *, bookings: int = 1200, sailings: int = 120) -> tuple:
    """A B->A route far too large for HiGHS's LP to finish in the 0.1 s a tiny time limit
    leaves it (on this machine it needs seconds: a margin of well over ten times)."""
    import random

    rng = random.Random(1)
    cargo = tuple(build["booking"](f"x{i}", rng.randint(1, 5), rng.uniform(0, 400),
                                   origin="B", destination="A",
                                   priority=float(rng.randint(1, 3)), due=rng.uniform(50, 600))
                  for i in range(bookings))
    decks = tuple(build["sailing"](f"y{j}", 5.0 + j * 600.0 / sailings,
                                   Capacity(railcar=rng.randint(5, 30)), origin="B",
                                   destination="A")
                  for j in range(sailings))
    return cargo, decks


def _table_text(plan) -> str:
    from rich.console import Console

    from midcorridor.cli.optimize import plan_table

    console = Console(width=200, record=True)
    console.print(plan_table(plan))
    return console.export_text()


def test_fifo_fallback_is_reported(build):
    """When the solver finds no plan in time, FIFO's loading is kept and every output says
    so: the status, the notes, ``plan_from`` in the JSON and the command line's table."""
    cargo, decks = _crowded_route(build)
    inst = build["instance"](cargo, decks, horizon=800.0)
    plan = optimize_assignment(inst, time_limit=0.001)
    fifo = fifo_assignment(inst.bookings, inst.sailings)
    assert set(plan.assignments) == set(fifo)
    assert plan.objective == pytest.approx(plan.fifo.objective)
    assert "Time limit reached" in plan.status
    assert plan.extra == {"plan": "fifo", "fifo_routes": ["B-A"]}
    assert any("kept first come, first served on 1 of 1 routes (B-A)" in n for n in plan.notes)
    assert plan.to_dict()["plan_from"] == "fifo"
    assert "FIFO's (the solver found nothing better)" in _table_text(plan)


def test_fifo_fallback_on_one_route_is_named(aktau_alat_two_sailings, build):
    """A route that falls back is named while the others keep the optimizer's plan (the
    priority swap of A->B, worked by hand: 650 against FIFO's 1,450)."""
    cargo, decks = _crowded_route(build)
    small = aktau_alat_two_sailings
    inst = build["instance"]((*small.bookings, *cargo), (*small.sailings, *decks),
                             horizon=800.0)
    plan = optimize_assignment(inst, time_limit=0.001)
    got = {(a.booking, a.sailing, a.units) for a in plan.assignments}
    assert {("urgent", "S1", 10), ("early", "S2", 10)} <= got
    crowded = {b.id for b in cargo}
    assert {a for a in plan.assignments if a.booking in crowded} == {
        a for a in fifo_assignment(inst.bookings, inst.sailings) if a.booking in crowded}
    assert plan.extra == {"plan": "optimizer", "fifo_routes": ["B-A"]}
    assert plan.to_dict()["plan_from"] == "optimizer"
    assert "FIFO's on 1 route (B-A), the optimizer's elsewhere" in _table_text(plan)


def test_no_fallback_is_claimed_when_the_solver_answers(aktau_alat_two_sailings):
    """The solver's own optimum is reported as the optimizer's, with no route kept FIFO."""
    plan = optimize_assignment(aktau_alat_two_sailings)
    assert plan.extra == {"plan": "optimizer", "fifo_routes": []}
    assert not any("first come" in n for n in plan.notes)
    assert "plan shown" not in _table_text(plan)
