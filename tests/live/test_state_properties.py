"""Corridor state from events: units conserved at every port, whatever the order of events."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.legs import PlannedLeg
from midcorridor.crossing.model import UnitType
from midcorridor.live import Mark, corridor_state, furthest, whereabouts

T0 = datetime(2026, 3, 2, tzinfo=UTC)
PORTS = ("PORTA", "PORTB")


def _legs(start: datetime) -> tuple[PlannedLeg, ...]:
    route = (("INLND", "BORDR", "rail"), ("BORDR", "PORTA", "rail"),
             ("PORTA", "PORTB", "ferry"), ("PORTB", "CITYC", "rail"))
    out, t = [], start
    for origin, destination, mode in route:
        out.append(PlannedLeg(origin, destination, mode, t, t + timedelta(hours=20)))
        t += timedelta(hours=30)
    return tuple(out)


ARRIVALS = ("ARRI", "GTIN", "DISC")
DEPARTURES = ("DEPA", "LOAD", "GTOT")


def _truck_legs(start: datetime) -> tuple[PlannedLeg, ...]:
    """A truck's journey from the gate of the port it sets off from: across, then by road."""
    return (PlannedLeg("PORTA", "PORTB", "ferry", start, start + timedelta(hours=20)),
            PlannedLeg("PORTB", "CITYC", "road", start + timedelta(hours=30),
                       start + timedelta(hours=35)))


@dataclass(frozen=True)
class _Journey:
    sid: int
    unit_type: UnitType
    units: int
    legs: tuple[PlannedLeg, ...]
    times: tuple[datetime, ...]  # actual time of milestones first..k
    first: int = 0  # -1: the journey starts with a gate-in at its first leg's origin

    def events(self, rng: random.Random) -> list[tuple[int, Mark]]:
        out = []
        for rank, when in enumerate(self.times, start=self.first):
            if rank < 0:
                out.append((self.sid, Mark("GTIN", self.legs[0].origin, when)))
                continue
            leg = self.legs[rank // 2]
            if rank % 2:
                out.append((self.sid, Mark(rng.choice(ARRIVALS), leg.destination, when)))
            else:
                out.append((self.sid, Mark(rng.choice(DEPARTURES), leg.origin, when)))
        return out


def _journey(i: int, k: int, start: int, unit: UnitType, units: int, gaps: list[int],
             truck: bool) -> _Journey:
    """Journey ``i``: by train from inland to PORTA (milestones 0..k), or a truck gated in at
    PORTA (milestones -1..min(k, 3)).
    """
    t0 = T0 + timedelta(hours=start)
    if truck:
        times = tuple(t0 + timedelta(hours=sum(gaps[: r + 1])) for r in range(min(k, 3) + 2))
        return _Journey(i + 1, UnitType.TRUCK, units, _truck_legs(t0), times, first=-1)
    return _Journey(i + 1, unit, units, _legs(t0),
                    tuple(t0 + timedelta(hours=sum(gaps[: r + 1])) for r in range(k + 1)))


journeys = st.lists(
    st.tuples(st.integers(-1, 7), st.integers(0, 200), st.sampled_from(list(UnitType)),
              st.integers(1, 60), st.lists(st.integers(1, 40), min_size=8, max_size=8),
              st.booleans()),
    min_size=1, max_size=25,
).map(lambda rows: [_journey(i, *row) for i, row in enumerate(rows)])


def _state(items: list[_Journey], events: list[tuple[int, Mark]], at: datetime):
    marks: dict[int, list[Mark]] = {}
    for sid, mark in events:
        marks.setdefault(sid, []).append(mark)
    found = [whereabouts(j.sid, j.unit_type, j.units, j.legs,
                         furthest(j.legs, marks.get(j.sid, ()), at), delay_h=0.0, ports=PORTS)
             for j in items]
    return corridor_state(found, ports=PORTS, at=at)


@settings(max_examples=80, deadline=None)
@given(items=journeys, seed=st.integers(0, 10**6), cut=st.integers(0, 400))
def test_arrived_minus_departed_is_waiting_in_any_order(
        items: list[_Journey], seed: int, cut: int) -> None:
    """Per port and unit type: units that arrived (by their events) minus units that left
    equal units waiting, for the events up to any moment posted in any order."""
    rng = random.Random(seed)
    events = [e for j in items for e in j.events(rng)]
    rng.shuffle(events)
    at = T0 + timedelta(hours=cut)
    state = _state(items, events, at)
    by_id = {j.sid: j for j in items}
    for port in PORTS:
        arrived: dict[UnitType, set[int]] = {u: set() for u in UnitType}
        departed: dict[UnitType, set[int]] = {u: set() for u in UnitType}
        for sid, mark in events:
            if mark.location != port or mark.time > at:
                continue
            unit = by_id[sid].unit_type
            (arrived if mark.code in ARRIVALS else departed)[unit].add(sid)
        got = state.port(port)
        for unit in UnitType:
            balance = (sum(by_id[s].units for s in arrived[unit])
                       - sum(by_id[s].units for s in departed[unit]))
            assert got.waiting.of(unit) == balance
        expected = sorted(set().union(*arrived.values()) - set().union(*departed.values()))
        assert list(got.shipments) == expected


@settings(max_examples=60, deadline=None)
@given(items=journeys, seed=st.integers(0, 10**6), data=st.data())
def test_order_and_missing_intermediate_events_change_nothing(
        items: list[_Journey], seed: int, data: st.DataObject) -> None:
    """Shuffling the events, or losing any but each shipment's latest, gives the same state."""
    rng = random.Random(seed)
    events = [e for j in items for e in j.events(rng)]
    at = T0 + timedelta(days=30)
    full = _state(items, events, at)
    latest = {j.sid: j.times[-1] for j in items if j.times}
    kept = [e for e in events if e[1].time == latest[e[0]] or data.draw(st.booleans())]
    rng.shuffle(kept)
    assert _state(items, kept, at) == full


def test_due_at_the_port_within_the_window() -> None:
    """A shipment not yet at its crossing port counts as arriving when its planned arrival
    plus its delay falls within the window, and not after."""
    legs = _legs(T0)  # planned arrival at PORTA: T0 + 50 h
    on_way = furthest(legs, [Mark("DEPA", "INLND", T0)])
    early = whereabouts(1, UnitType.TEU, 40, legs, on_way, delay_h=10.0, ports=PORTS)
    late = whereabouts(2, UnitType.RAILCAR, 5, legs, on_way, delay_h=30.0, ports=PORTS)
    assert early.next_port == "PORTA"
    assert early.next_port_eta == T0 + timedelta(hours=60)
    state = corridor_state([early, late], ports=PORTS, at=T0, window_h=72)
    port = state.port("PORTA")
    assert port.arriving.teu == 40
    assert port.arriving.railcar == 0
    assert port.arriving_shipments == (1,)
    assert state.segments[0].origin == "INLND"
    assert state.segments[0].units.total == 45
