"""The ferries' cycles: which call at a port a shipment catches behind the queue, from the
vessels' last sightings, worked by hand on the data set's Aktau-Alat rail ferry line (two
ships of 27 railcars, 22 h crossing, at most 96 h at a port)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from midcorridor.crossing.model import UnitType
from midcorridor.live import ferries
from midcorridor.live.eta import LegTimes, eta_spread, steps_ahead
from midcorridor.live.ferries import Sighting, loaded_units, sailing_with_space, update
from midcorridor.live.position import Position
from midcorridor.live.waits import NO_FIT

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
H = timedelta(hours=1)
MERKURIY = "ASCO-AKTAU-ALAT-1"  # Merkuriy-1, 27 railcars


@dataclass(frozen=True)
class Leg:
    origin: str
    destination: str
    mode: str
    planned_depart: datetime
    planned_arrive: datetime


@pytest.fixture(scope="module")
def times(corridor) -> LegTimes:
    return LegTimes(corridor)


def test_the_line_is_the_data_sets(times: LegTimes) -> None:
    line = next(ln for ln in times.lines if ln.serves("KZAAU", "AZALT")
                and any(v.id == MERKURIY for v in ln.vessels))
    assert (line.headway_h, line.crossing_h) == (96.0, 22.0)
    assert [v.capacity.railcar for v in line.vessels] == [27, 27]


def _sailed_from_alat(at: datetime) -> dict[str, Sighting]:
    return {MERKURIY: update(None, MERKURIY, "DEPA", "AZALT", at, 0)}


def test_a_ship_on_its_way_back_takes_the_queue_and_the_shipment(times: LegTimes) -> None:
    # Merkuriy-1 sailed from Alat at T0: back at Aktau 22 h later. 20 railcars ahead and 5 of
    # ours fit its 27: first and last unit on that call.
    first, last = sailing_with_space(times.lines, _sailed_from_alat(T0), "KZAAU", "AZALT",
                                     UnitType.RAILCAR, 20, T0 + 2 * H, 5)
    assert first is last
    assert (first.vessel, first.loads_at, first.space) == ("Merkuriy-1", T0 + 22 * H, 27)


def test_units_that_do_not_fit_wait_a_whole_cycle(times: LegTimes) -> None:
    # 25 ahead, 5 of ours: 2 fit at T0 + 22 h; the queue fills the ship, which sails 6 h
    # later (T0 + 28 h), crosses and back (2 x 22 h) after half a headway at Alat (48 h):
    # the last 3 railcars load at T0 + 120 h.
    first, last = sailing_with_space(times.lines, _sailed_from_alat(T0), "KZAAU", "AZALT",
                                     UnitType.RAILCAR, 25, T0 + 2 * H, 5)
    assert first.loads_at == T0 + 22 * H
    assert last.vessel == "Merkuriy-1"
    assert last.loads_at == T0 + (22 + ferries.FULL_CALL_H + 2 * 22
                                  + ferries.OTHER_STAY * 96) * H == T0 + 120 * H


def test_a_rail_ferry_takes_containers_on_its_railcar_slots(times: LegTimes) -> None:
    # Merkuriy-1's deck is given as 27 railcars; a 40-ft box (2 TEU) takes a slot: 54 TEU.
    # 40 TEU ahead and 10 of ours fit its call 22 h after it sailed from Alat.
    first, last = sailing_with_space(times.lines, _sailed_from_alat(T0), "KZAAU", "AZALT",
                                     UnitType.TEU, 40, T0 + 2 * H, 10)
    assert first is last
    assert (first.vessel, first.loads_at, first.space) == ("Merkuriy-1", T0 + 22 * H, 54)
    # 50 ahead: 4 TEU of ours on that call, the last 6 when it is back (as for railcars)
    first, last = sailing_with_space(times.lines, _sailed_from_alat(T0), "KZAAU", "AZALT",
                                     UnitType.TEU, 50, T0 + 2 * H, 10)
    assert first.loads_at == T0 + 22 * H
    assert last.loads_at == T0 + 120 * H


def test_a_ship_loading_at_the_port_has_the_space_left_and_sails_by_its_headway(
        times: LegTimes) -> None:
    seen = update(None, MERKURIY, "ARRI", "KZAAU", T0, 0)
    seen = update(seen, MERKURIY, "LOAD", "KZAAU", T0 + 3 * H, 20)
    assert (seen.call_since, seen.loaded) == (T0, 20)
    now = T0 + 5 * H
    first, last = sailing_with_space(times.lines, {MERKURIY: seen}, "KZAAU", "AZALT",
                                     UnitType.RAILCAR, 0, now, 7)
    assert first is last
    assert first.loads_at == now
    assert first.space == 7
    assert first.sails_by == T0 + 96 * H
    # sailing starts a new call; an older event told late changes nothing
    gone = update(seen, MERKURIY, "DEPA", "KZAAU", T0 + 8 * H, 0)
    assert (gone.call_since, gone.loaded, gone.sailed) == (T0 + 8 * H, 0, True)
    assert update(gone, MERKURIY, "LOAD", "KZAAU", T0 + 4 * H, 3) == gone
    # nobody seen lately: no call known (a ship seen more than two cycles, 2 x (22 + 96) h,
    # ago is unknown)
    stale = {MERKURIY: update(None, MERKURIY, "DEPA", "AZALT", T0 - 480 * H, 0)}
    assert sailing_with_space(times.lines, stale, "KZAAU", "AZALT", UnitType.RAILCAR, 0,
                              T0, 1) is None


def test_a_loading_event_counts_its_share_of_the_shipment() -> None:
    assert loaded_units("4 of 50 containers", 100) == 8
    assert loaded_units("27 of 27 wagons", 27) == 27
    assert loaded_units("", 12) == 12


def _at_aktau_eta(times: LegTimes, ahead: int, sightings: dict[str, Sighting]):
    legs = [Leg("KZBEY", "KZAAU", "rail", T0 - 30 * H, T0),
            Leg("KZAAU", "AZALT", "ferry", T0 + 10 * H, T0 + 32 * H),
            Leg("AZALT", "AZBAK", "rail", T0 + 42 * H, T0 + 46 * H)]
    now = T0 + 2 * H
    start, steps = steps_ahead(legs, Position(1, T0), now=now, times=times,
                               unit_type=UnitType.RAILCAR, units=5, ports={"KZAAU", "AZALT"},
                               queue_ahead={"KZAAU": ahead}, sightings=sightings)
    return steps, eta_spread(start, steps)


def test_the_eta_waits_for_the_last_units_to_cross(times: LegTimes) -> None:
    """With 25 railcars ahead, 3 of the shipment's 5 cross on the next cycle: its stay at
    Alat lasts until they land (loaded at T0 + 120 h, at least a 20 h crossing), so its P50
    comes after T0 + 140 h; with 20 ahead it all crosses at once, a day or more earlier. The wait's
    reason names the ship and the call."""
    steps, split = _at_aktau_eta(times, 25, _sailed_from_alat(T0))
    assert "next sailing with space Tue 03 Mar 06:00 (Merkuriy-1)" in steps[0].reason
    assert "the last units on Merkuriy-1 Sat 07 Mar 08:00" in steps[0].reason
    assert steps[2].not_before == T0 + 140 * H
    assert "the last units cross on a later ship" in steps[2].reason
    assert split.p50 > T0 + 140 * H
    steps, whole = _at_aktau_eta(times, 20, _sailed_from_alat(T0))
    assert steps[2].not_before is None
    assert whole.p50 < split.p50 - 24 * H
    # without a sighting the same queue says nothing of ships or a split
    steps, blind = _at_aktau_eta(times, 25, {})
    assert "Merkuriy-1" not in steps[0].reason
    assert steps[2].not_before is None
    assert blind.p50 < split.p50


def _call(times: LegTimes, seen: Sighting, now: datetime):
    found = sailing_with_space(times.lines, {MERKURIY: seen}, "KZAAU", "AZALT",
                               UnitType.RAILCAR, 0, now, 5)
    assert found is not None
    return found[0]


def test_a_ship_that_landed_its_cargo_is_loading_until_its_headway_is_up(
        times: LegTimes) -> None:
    # Merkuriy-1 arrived at Aktau at T0 and discharged at T0 + 8 h. The port reports its
    # loading only as it sails, so it is taken to be loading now, with all 27 railcars free,
    # until its headway is up (T0 + 96 h); its events do not show that it loads.
    landed = update(update(None, MERKURIY, "ARRI", "KZAAU", T0, 0),
                    MERKURIY, "DISC", "KZAAU", T0 + 8 * H, 0)
    call = _call(times, landed, T0 + 10 * H)
    assert (call.loads_at, call.space, call.sails_by) == (T0 + 10 * H, 27, T0 + 96 * H)
    assert not call.seen
    # its loading, reported with its sailing at T0 + 30 h: there and back, after half a
    # headway at Alat (22 + 48 + 22 h)
    sailed = update(update(landed, MERKURIY, "LOAD", "KZAAU", T0 + 30 * H, 5),
                    MERKURIY, "DEPA", "KZAAU", T0 + 30 * H, 5)
    call = _call(times, sailed, T0 + 31 * H)
    assert call.loads_at == T0 + (30 + 2 * 22 + ferries.OTHER_STAY * 96) * H == T0 + 122 * H


def test_a_ship_at_the_other_port_leaves_after_a_stay_or_by_its_headway(
        times: LegTimes) -> None:
    # arrived at Alat at T0 - 9 h and discharged at T0: whether it loads is unknown until it
    # sails, so it is taken to stay half a headway (48 h) from its arrival, then 22 h across
    landed = update(update(None, MERKURIY, "ARRI", "AZALT", T0 - 9 * H, 0),
                    MERKURIY, "DISC", "AZALT", T0, 0)
    assert _call(times, landed, T0 + H).loads_at == T0 + (48 - 9 + 22) * H
    # loading at Alat since T0: stays until its headway is up (96 h), then 22 h across
    loading = update(None, MERKURIY, "LOAD", "AZALT", T0, 10)
    call = _call(times, loading, T0 + H)
    assert call.loads_at == T0 + (96 + 22) * H
    assert not call.seen
    # once it sails from Alat with cargo, the call is seen: 22 h after
    assert _call(times, _sailed_from_alat(T0)[MERKURIY], T0 + H).seen


def test_sailings_count_each_ship_once_a_cycle(times: LegTimes) -> None:
    # the Aktau-Alat rail ferries: two ships, a cycle of 2 x (22 + 96) = 236 h; the container
    # feeders carry no railcars, so for railcars these two alone sail the crossing
    assert ferries.sailings(times.lines, "KZAAU", "AZALT", UnitType.RAILCAR, 236.0) == 2.0
    assert ferries.sailings(times.lines, "KZAAU", "KZKUR", UnitType.RAILCAR, 236.0) == 0.0
    teu = ferries.sailings(times.lines, "KZAAU", "AZALT", UnitType.TEU, 88.0)
    assert teu == 6.0  # six feeders of the 22 h line, a cycle of 2 x (22 + 22) h


def _waiting_at_aktau(times: LegTimes, sightings: dict[str, Sighting],
                      observed: dict[str, list[float]], unit: UnitType = UnitType.RAILCAR):
    legs = [Leg("KZBEY", "KZAAU", "rail", T0 - 30 * H, T0),
            Leg("KZAAU", "AZALT", "ferry", T0 + 10 * H, T0 + 32 * H),
            Leg("AZALT", "AZBAK", "rail", T0 + 42 * H, T0 + 46 * H)]
    _, steps = steps_ahead(legs, Position(1, T0), now=T0, times=times,
                           unit_type=unit, units=5, ports={"KZAAU", "AZALT"},
                           queue_ahead={"KZAAU": 0}, leaving_per_h={"KZAAU": 1.0},
                           sightings=sightings, observed=observed)
    return steps[0]


def test_on_a_crossing_of_few_sailings_the_wait_is_the_waits_seen_lately(
        times: LegTimes) -> None:
    """Two rail ferries sail Aktau-Alat, about three times in two weeks: with nothing ahead
    the pace says the wait is short, but the ships have to come back first. The waits
    observed lately there (40-60 h, 21 of them) set it; a ship seen sailing from Alat with
    cargo sets it to its call instead."""
    lately = {"at KZAAU for AZALT": [40.0 + i for i in range(21)]}
    wait = _waiting_at_aktau(times, {}, lately)
    assert wait.observed == tuple(lately["at KZAAU for AZALT"])
    assert "few sailings: lately 42-58 h waited, typically 50 h (21 observed)" in wait.reason
    paced = _waiting_at_aktau(times, {}, {})
    assert not paced.observed
    assert paced.spread.typ < 10
    coming = _waiting_at_aktau(times, _sailed_from_alat(T0 - 10 * H), lately)
    assert not coming.observed
    assert coming.spread.typ == 12.0  # 22 h after it sailed
    assert (coming.spread.min, coming.spread.max) == (0.0, 12.0 + 48.0)
    # containers cross on six feeders as well, 22 h apart: the pace keeps the wait (in the
    # rules; a fitted wait replaces them for containers, tests/live/test_waits.py)
    boxes = _waiting_at_aktau(LegTimes(times.network, waits=NO_FIT), {}, lately, UnitType.TEU)
    assert not boxes.observed
    assert boxes.spread.typ < 10


def test_the_stays_of_whole_crossings_count_once_the_loading_has_begun(
        times: LegTimes) -> None:
    """Before its crossing, whether a shipment will cross on one ship is unknown: its stay at
    Alat takes the stays of all shipments (40 h lately); once it has loaded, with no units
    left for a later ship, the stays of shipments that crossed whole (10 h)."""
    legs = [Leg("KZBEY", "KZAAU", "rail", T0 - 30 * H, T0),
            Leg("KZAAU", "AZALT", "ferry", T0 + 10 * H, T0 + 32 * H),
            Leg("AZALT", "AZBAK", "rail", T0 + 42 * H, T0 + 46 * H)]
    stays = {"at AZALT for AZBAK": [40.0] * 12, "at AZALT for AZBAK whole": [10.0] * 12}

    def stay(position: Position):
        _, steps = steps_ahead(legs, position, now=T0 + 12 * H, times=times,
                               unit_type=UnitType.RAILCAR, units=5, ports={"KZAAU", "AZALT"},
                               queue_ahead={"KZAAU": 0}, observed=stays)
        return next(step for step in steps if step.segment == "at AZALT")

    assert stay(Position(1, T0)).observed == (40.0,) * 12  # waiting at Aktau
    assert stay(Position(2, T0 + 11 * H)).observed == (10.0,) * 12  # loaded, sailing
