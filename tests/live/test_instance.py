"""The crossing instance from live cargo: bookings, vessels where they are, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from midcorridor.crossing import optimize_crossing
from midcorridor.crossing.model import UnitType
from midcorridor.errors import InputError
from midcorridor.live.fleet import dataset_fleet
from midcorridor.live.instance import PortClosure, ShipmentCargo, crossing_instance, shipment_of
from midcorridor.live.state import VesselState

if TYPE_CHECKING:
    from midcorridor.network import Network

T = datetime(2026, 3, 2, 6, tzinfo=UTC)


def _cargo() -> list[ShipmentCargo]:
    return [
        ShipmentCargo(1, "KZAAU", "AZALT", UnitType.TEU, 40, T - timedelta(hours=30),
              T + timedelta(hours=20), 2.0),
        ShipmentCargo(2, "KZAAU", "AZALT", UnitType.RAILCAR, 10,
                      T - timedelta(hours=5)),
        ShipmentCargo(3, "KZKUR", "AZALT", UnitType.TEU, 6, T + timedelta(hours=40)),
        # beyond the horizon
        ShipmentCargo(4, "KZAAU", "AZALT", UnitType.TEU, 8, T + timedelta(days=5)),
    ]


def test_bookings_from_waiting_and_due_cargo(corridor: Network) -> None:
    """Cargo waiting is ready at once, cargo due within the horizon when it is due; cargo due
    after the horizon is left out; priority and due time carry over."""
    instance = crossing_instance(corridor, _cargo(), fleet=dataset_fleet(corridor), start=T,
                                 horizon_h=72, sailings=False)
    got = {(shipment_of(b.id), b.origin, b.unit_type, b.units, b.ready, b.due, b.priority)
           for b in instance.bookings}
    assert got == {(1, "KZAAU", UnitType.TEU, 40, 0.0, 20.0, 2.0),
                   (2, "KZAAU", UnitType.RAILCAR, 10, 0.0, None, 1.0),
                   (3, "KZKUR", UnitType.TEU, 6, 40.0, None, 1.0)}


def test_vessels_start_where_their_last_event_puts_them(corridor: Network) -> None:
    """A ferry at berth in Alat is free there now; one that left Aktau 10 h ago is free at Alat
    after its line's typical 22 h crossing; a vessel out of service is not in the fleet."""
    fleet = dataset_fleet(corridor)
    merkuriy = next(v for v in fleet if v.name == "Merkuriy-1")
    dagestan = next(v for v in fleet if v.name == "Dagestan")
    states = [VesselState(merkuriy.id, merkuriy.name, "at_berth", "AZALT", T),
              VesselState(dagestan.id, dagestan.name, "at_sea", "KZAAU",
                          T - timedelta(hours=10))]
    instance = crossing_instance(corridor, _cargo(), fleet=fleet, vessel_states=states,
                                 start=T, horizon_h=72, out_of_service=["Azerbaijan"])
    by_name = {v.name: v for v in instance.vessels}
    assert (by_name["Merkuriy-1"].available_at, by_name["Merkuriy-1"].available_from) == (
        "AZALT", 0.0)
    assert by_name["Dagestan"].available_at == "AZALT"
    assert by_name["Dagestan"].available_from == pytest.approx(12.0)
    assert "Azerbaijan" not in by_name
    assert instance.sailings
    assert all(s.vessel in {v.id for v in instance.vessels}
                                     for s in instance.sailings)


def test_a_vessel_long_at_berth_has_sailed_to_the_other_end(corridor: Network) -> None:
    """Hand-worked: Merkuriy-1 (Aktau-Alat, a sailing every 96 h, a typical 22 h crossing)
    last seen arriving at Alat (a 20.1 h call) 120 h ago has sailed, unreported, at -3.9 h and
    is free at Aktau at 18.1 h; seen arriving 100 h ago it is still at Alat, free now."""
    fleet = dataset_fleet(corridor)
    merkuriy = next(v for v in fleet if v.name == "Merkuriy-1")

    def placed(hours_ago: float) -> tuple[str, float]:
        state = VesselState(merkuriy.id, merkuriy.name, "at_berth", "AZALT",
                            T - timedelta(hours=hours_ago))
        instance = crossing_instance(corridor, _cargo(), fleet=fleet, vessel_states=[state],
                                     start=T, horizon_h=72, sailings=False)
        v = next(v for v in instance.vessels if v.id == merkuriy.id)
        return v.available_at, v.available_from

    assert placed(120) == ("KZAAU", pytest.approx(18.1))
    assert placed(100) == ("AZALT", 0.0)


def test_one_booking_takes_the_first_sailing_that_carries_it(corridor: Network) -> None:
    """Hand-worked optimum: a single booking of 10 railcars waiting at Aktau goes, whole, on
    the earliest Aktau-Alat sailing with railcar decks; nothing is left behind."""
    cargo = [ShipmentCargo(7, "KZAAU", "AZALT", UnitType.RAILCAR, 10, T - timedelta(hours=1))]
    instance = crossing_instance(corridor, cargo, fleet=dataset_fleet(corridor), start=T,
                                 horizon_h=72)
    first = min((s for s in instance.sailings if s.origin == "KZAAU"
                 and s.destination == "AZALT" and s.capacity.railcar >= 10),
                key=lambda s: (s.departure, s.id))
    plan = optimize_crossing(instance, mode="assignment", time_limit=20)
    assert [(a.booking, a.units) for a in plan.assignments] == [("S7", 10)]
    chosen = next(s for s in instance.sailings if s.id == plan.assignments[0].sailing)
    assert chosen.departure == first.departure
    assert plan.figures.left_behind_units == 0


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"horizon_h": 72, "cargo": []}, "horizon_days"),
    ({"horizon_h": 72, "out_of_service": ["Titanic"]}, "fleet.out_of_service[0]"),
    ({"horizon_h": 72, "closures": [PortClosure("GEPTI", T, T + timedelta(hours=5))]},
     "closures[0].place"),
])
def test_bad_input_names_the_field(corridor: Network, kwargs: dict[str, object],
                                   field: str) -> None:
    """No cargo in the horizon, an unknown vessel, a closure of a place that is not a Caspian
    port: each an InputError that names the request field."""
    args: dict[str, object] = {"cargo": _cargo(), **kwargs}
    cargo = args.pop("cargo")
    with pytest.raises(InputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        crossing_instance(corridor, cargo, fleet=dataset_fleet(corridor), start=T,  # type: ignore[arg-type]
                          **args)  # type: ignore[arg-type]


def test_closing_the_caspian_cancels_sailings_in_the_closure(corridor: Network) -> None:
    """``caspian`` closes every Caspian port: no timetable sailing leaves during it."""
    closure = PortClosure("caspian", T, T + timedelta(hours=48))
    instance = crossing_instance(corridor, _cargo(), fleet=dataset_fleet(corridor), start=T,
                                 horizon_h=72, closures=[closure])
    assert instance.sailings
    assert min(s.departure for s in instance.sailings) >= 48
