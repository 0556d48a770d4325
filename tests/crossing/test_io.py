"""Reading bookings.csv and fleet.yaml, and every documented bad-input error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from midcorridor.crossing import load_instance, optimize_crossing
from midcorridor.crossing.model import UnitType
from midcorridor.errors import DataError, InfeasibleError

if TYPE_CHECKING:
    from pathlib import Path

HEADER = "id,units,unit_type,origin,destination,ready,due,priority,whole,dangerous\n"
GOOD_BOOKINGS = HEADER + (
    "B1,20,railcar,Aktau,Alat,2026-03-02T06:00:00+04:00,,2,no,no\n"
    "B2,5,truck,KZAAU,AZALT,2026-03-02T08:00:00+04:00,2026-03-04T00:00:00+04:00,1,yes,no\n"
)
FLEET = """
start: '2026-03-02T00:00:00+04:00'
horizon_h: 120
ports:
  - id: Aktau
    berths: 2
    handling_h: 8
    closures:
      - {start: '2026-03-03T00:00:00+04:00', end: '2026-03-03T12:00:00+04:00'}
  - {id: Alat, berths: 2, handling_h: 12}
vessels:
  - id: AZ
    name: Azerbaijan
    type: ro_pax
    capacity: {railcar: 56, truck: 50}
    speed_kn: 12
    available_at: Aktau
    dangerous_limit: 10
sailings:
  - {id: S1, vessel: AZ, from: Aktau, to: Alat, departure: '2026-03-02T20:00:00+04:00'}
"""


def write(tmp_path: Path, bookings: str = GOOD_BOOKINGS, fleet: str = FLEET) -> tuple[Path, Path]:
    b, f = tmp_path / "bookings.csv", tmp_path / "fleet.yaml"
    b.write_text(bookings, encoding="utf-8")
    f.write_text(fleet, encoding="utf-8")
    return b, f


def problems(exc: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_reads_names_and_locodes(tmp_path, corridor_minimal):
    """Names and UN/LOCODEs resolve to the same ports; times become hours from the start."""
    inst = load_instance(*write(tmp_path), corridor_minimal)
    b1, b2 = inst.bookings
    assert (b1.origin, b1.destination) == ("KZAAU", "AZALT") == (b2.origin, b2.destination)
    assert b1.ready == 6.0
    assert b1.priority == 2.0
    assert b1.unit_type is UnitType.RAILCAR
    assert b2.whole
    assert b2.due == 48.0
    (s,) = inst.sailings
    assert s.departure == 20.0
    assert s.arrival == pytest.approx(20.0 + 470 / 1.852 / 12)
    assert inst.ports["KZAAU"].closures[0].start == 24.0


def test_optimizes_what_it_read(tmp_path, corridor_minimal):
    """Both bookings fit on the one sailing: nothing is left behind."""
    plan = optimize_crossing(load_instance(*write(tmp_path), corridor_minimal))
    assert plan.figures.left_behind_units == 0
    assert sum(a.units for a in plan.assignments) == 25


def test_booking_no_vessel_can_carry(tmp_path, corridor_minimal):
    """TEU with a fleet that takes no TEU names the booking, its row and why."""
    bad = GOOD_BOOKINGS + "B3,10,teu,Aktau,Alat,2026-03-02T06:00:00+04:00,,,,\n"
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)
    assert problems(exc) == ["bookings.csv:4:unit_type: booking B3: no vessel can carry it "
                             "(no vessel in the fleet takes teus)"]


def test_whole_booking_larger_than_any_deck(tmp_path, corridor_minimal):
    """A whole booking of 60 trucks cannot go on a 50-truck deck."""
    bad = GOOD_BOOKINGS + "B3,60,truck,Aktau,Alat,2026-03-02T06:00:00+04:00,,,yes,\n"
    with pytest.raises(DataError, match="B3: no vessel can carry it .*largest deck takes 50"):
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)


def test_place_that_is_not_a_caspian_port(tmp_path, corridor_minimal):
    """Poti is a Black Sea port: the error names row, field and the Caspian ports."""
    bad = HEADER + "B1,20,railcar,Poti,Alat,2026-03-02T06:00:00+04:00,,,,\n"
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)
    (msg,) = problems(exc)
    assert msg.startswith("bookings.csv:2:origin: Poti (GEPTI) is not a Caspian port")
    assert "Aktau (KZAAU)" in msg


def test_unknown_place_suggests_names(tmp_path, corridor_minimal):
    """A misspelt port gives the nearest names."""
    bad = HEADER + "B1,20,railcar,Aktao,Alat,2026-03-02T06:00:00+04:00,,,,\n"
    with pytest.raises(DataError, match="unknown place 'Aktao'; did you mean Aktau"):
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)


def test_overlapping_closures(tmp_path, corridor_minimal):
    """Two closures of Aktau that overlap are reported with both rows."""
    fleet = FLEET.replace(
        "      - {start: '2026-03-03T00:00:00+04:00', end: '2026-03-03T12:00:00+04:00'}",
        "      - {start: '2026-03-03T00:00:00+04:00', end: '2026-03-03T12:00:00+04:00'}\n"
        "      - {start: '2026-03-03T06:00:00+04:00', end: '2026-03-04T00:00:00+04:00'}")
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, fleet=fleet), corridor_minimal)
    assert problems(exc) == ["fleet.yaml:ports[0].closures[1]:start: closure overlaps "
                             "ports[0].closures[0] at Aktau; merge the two"]


@pytest.mark.parametrize(("capacity", "message"), [
    ("{wagons: 56}", "capacity.wagons: unknown capacity unit; use railcar, teu or truck"),
    ("{teu: 200, railcar: 20}",
     "capacity.railcar: a container_ship cannot carry railcars (capacity units do not match"),
])
def test_capacity_units_that_do_not_match(tmp_path, corridor_minimal, capacity, message):
    """Unknown units, or units the vessel type cannot carry, are errors on the vessel row."""
    fleet = FLEET.replace("    type: ro_pax\n    capacity: {railcar: 56, truck: 50}",
                          f"    type: container_ship\n    capacity: {capacity}")
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, fleet=fleet), corridor_minimal)
    assert any(p.startswith(f"fleet.yaml:vessels[0]:{message}") for p in problems(exc))


def test_sailing_capacity_above_the_vessel(tmp_path, corridor_minimal):
    """A sailing cannot offer more deck than its vessel has."""
    fleet = FLEET.replace("departure: '2026-03-02T20:00:00+04:00'}",
                          "departure: '2026-03-02T20:00:00+04:00', capacity: {railcar: 60}}")
    with pytest.raises(DataError, match=r"sailings\[0\]:capacity.railcar: 60 exceeds vessel AZ"):
        load_instance(*write(tmp_path, fleet=fleet), corridor_minimal)


def test_booking_ready_after_the_horizon(tmp_path, corridor_minimal):
    """A booking ready after the horizon ends is an infeasible horizon, named by row."""
    bad = GOOD_BOOKINGS + "B3,1,railcar,Aktau,Alat,2026-03-20T06:00:00+04:00,,,,\n"
    with pytest.raises(DataError, match="bookings.csv:4:ready: ready after the horizon"):
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)


def test_horizon_too_short_for_any_voyage(tmp_path, corridor_minimal):
    """In rotation mode, a horizon no voyage fits into raises InfeasibleError."""
    fleet = FLEET.replace("horizon_h: 120", "horizon_h: 10")
    bookings = HEADER + "B1,20,railcar,Aktau,Alat,2026-03-02T01:00:00+04:00,,,,\n"
    inst = load_instance(*write(tmp_path, bookings=bookings, fleet=fleet), corridor_minimal,
                         mode="rotation")
    with pytest.raises(InfeasibleError, match="horizon of 10 h allows no vessel"):
        optimize_crossing(inst, mode="rotation")


def test_all_problems_at_once(tmp_path, corridor_minimal):
    """Several bad fields are all listed, each as file:row:field."""
    bad = HEADER + "B1,-3,boxes,Aktau,Aktau,yesterday,,0,maybe,\n"
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, bookings=bad), corridor_minimal)
    fields = {p.split(":")[2] for p in problems(exc)}
    assert fields == {"units", "unit_type", "destination", "ready", "priority", "whole"}


def test_problems_of_both_files_at_once(tmp_path, corridor_minimal):
    """A bad port in the fleet file and a bad booking are reported together, each in its file."""
    bad_fleet = FLEET.replace("berths: 2\n    handling_h: 8", "berths: 0\n    handling_h: -8")
    bad = GOOD_BOOKINGS.replace("B2,5,truck", "B2,lots,truck")
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, bookings=bad, fleet=bad_fleet), corridor_minimal)
    assert sorted((p.file, str(p.row), p.field) for p in exc.value.problems) == [
        ("bookings.csv", "3", "units"),
        ("fleet.yaml", "ports[0]", "berths"),
        ("fleet.yaml", "ports[0]", "handling_h"),
    ]


def test_cost_and_booking_problems_at_once(tmp_path, corridor_minimal):
    """A wrong cost weight is listed with the bookings no vessel can carry."""
    fleet = FLEET + "costs: {left_behind_h: -1, colour: 3}\n"
    bad = GOOD_BOOKINGS + "B3,5,teu,Aktau,Alat,2026-03-02T06:00:00+04:00,,1,no,no\n"
    with pytest.raises(DataError) as exc:
        load_instance(*write(tmp_path, bookings=bad, fleet=fleet), corridor_minimal)
    assert sorted((p.file, str(p.row), p.field) for p in exc.value.problems) == [
        ("bookings.csv", "4", "unit_type"),
        ("fleet.yaml", "costs", "colour"),
        ("fleet.yaml", "costs", "left_behind_h"),
    ]


def test_the_readers_public_names_stay_where_they_were() -> None:
    from midcorridor.crossing import io
    from midcorridor.crossing.io import bookings, fleet, reading

    assert io.load_instance is load_instance
    assert io.read_booking_rows is bookings.read_booking_rows
    assert io.read_fleet_document is fleet.read_fleet_document
    assert io.parse_time is reading.parse_time
    assert io.BOOKING_COLUMNS[0] == "id"
    assert io.DEFAULT_HORIZON_H == 14 * 24.0
