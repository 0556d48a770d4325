"""The simulator's trucks keep the drivers' hours the planner keeps (network.driving)."""

from __future__ import annotations

from typing import cast

import pytest

from helpers.drivers import walk_a_drivers_day
from midcorridor.sim.feed import planned_stops
from midcorridor.sim.model import Dist, LandLeg, SimModel, Variant
from midcorridor.sim.processes.journey import journey
from midcorridor.sim.processes.state import Consignment, World
from midcorridor.sim.result import Waybill


def _fixed(hours: float) -> Dist:
    return Dist(hours, hours, hours)


def test_planned_truck_times_rest_across_links_and_not_at_the_border() -> None:
    """Alat-Ganja-Tbilisi-Poti driven by one truck: 6.4, 4.4 and 9.4 h at the wheel, 24 h at
    the border after the second link. The hours driven carry across the links and the border
    dwell (which is neither driving nor rest): 10.8 h driven by the border, 20.2 h in all."""
    legs = (
        LandLeg("a-b", "A", "B", _fixed(6.4), by_truck=True),
        LandLeg("b-c", "B", "C", _fixed(4.4), _fixed(24.0), "border B-C", by_truck=True),
        LandLeg("c-d", "C", "D", _fixed(9.4), by_truck=True),
    )
    border, end = planned_stops(cast("SimModel", None), Variant("road", legs), land="road")
    assert border.travel_h == pytest.approx(walk_a_drivers_day(10.8))  # 22.55 h
    assert border.stay_h == 24.0
    assert border.travel_h + end.travel_h == pytest.approx(walk_a_drivers_day(20.2))  # 43.7 h


def test_trains_run_their_hours() -> None:
    """A rail leg is not driven by a truck driver: its hours stand."""
    legs = (LandLeg("a-b", "A", "B", _fixed(20.2)),)
    (end,) = planned_stops(cast("SimModel", None), Variant("rail", legs))
    assert end.travel_h == pytest.approx(20.2)


def test_a_simulated_truck_rests_on_its_way() -> None:
    """A truck's journey over the same three links, run by the simulator's own process: the
    elapsed hours are the drivers' hours over 20.2 h at the wheel plus the 24 h border dwell."""
    legs = (
        LandLeg("a-b", "A", "B", _fixed(6.4), by_truck=True),
        LandLeg("b-c", "B", "C", _fixed(4.4), _fixed(24.0), "border B-C", by_truck=True),
        LandLeg("c-d", "C", "D", _fixed(9.4), by_truck=True),
    )
    model = SimModel("drivers", 1000.0, 0.0, (), {}, {}, ())
    world = World(model, seed=1, replication=0)
    truck = Consignment(Waybill(0, "road", Variant("road", legs), 1, "truck", 2.0, 0.0))
    world.live[0] = truck
    steps = list(journey(world, truck))
    assert sum(steps) == pytest.approx(walk_a_drivers_day(20.2) + 24.0)  # 67.7 h
    assert truck.waits == {"border B-C": pytest.approx(24.0)}
