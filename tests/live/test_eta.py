"""ETA spread: ordered quantiles that react to the queue, the plan, the season and the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers.legs import PlannedLeg
from midcorridor.crossing.model import UnitType
from midcorridor.live.eta import (
    LegTimes,
    PlannedSailing,
    containing,
    eta_spread,
    steps_ahead,
    storm_rate_per_h,
    triangular_cdf,
    triangular_quantile,
)
from midcorridor.live.fleet import caspian_port_ids
from midcorridor.live.position import Position
from midcorridor.network import Network, Spread

S = datetime(2026, 1, 5, 8, tzinfo=UTC)
ROUTE = (("CNALK", "KZDOS", "rail", 2), ("KZDOS", "KZAAU", "rail", 108),
         ("KZAAU", "AZALT", "ferry", 22), ("AZALT", "GEPTI", "rail", 40))


def _legs(start: datetime = S) -> list[PlannedLeg]:
    out, t = [], start
    for o, d, m, h in ROUTE:
        out.append(PlannedLeg(o, d, m, t, t + timedelta(hours=h)))
        t += timedelta(hours=h + 6)
    return out


@pytest.fixture(scope="module")
def times(corridor: Network) -> LegTimes:
    return LegTimes(corridor)


def _spread(times: LegTimes, corridor: Network, *, position: Position | None, now: datetime,
            ahead: int = 0, sailing: PlannedSailing | None = None):
    start, steps = steps_ahead(_legs(), position, now=now, times=times,
                               unit_type=UnitType.TEU, units=2,
                               ports=caspian_port_ids(corridor), queue_ahead={"KZAAU": ahead},
                               sailing=sailing)
    return eta_spread(start, steps)


AT_AKTAU = Position(3, S + timedelta(hours=118))


@settings(max_examples=40, deadline=None)
@given(ahead=st.integers(0, 3000), rank=st.integers(-1, 6), waited=st.integers(0, 400))
@example(ahead=0, rank=6, waited=47)  # on the last rail leg, 7 h late: widening went before now
def test_quantiles_are_ordered_and_not_in_the_past(
        times: LegTimes, corridor: Network, ahead: int, rank: int, waited: int) -> None:
    """P10 <= P50 <= P90, none before now, each step's P50 <= its P90."""
    position = None if rank < 0 else Position(rank, S + timedelta(hours=20 * rank))
    now = (position.at if position else S) + timedelta(hours=waited)
    e = _spread(times, corridor, position=position, now=now, ahead=ahead)
    assert e.p10 <= e.p50 <= e.p90
    assert e.p10 >= now - timedelta(seconds=1)
    assert all(s.p50_h <= s.p90_h for s in e.segments)


def test_more_cargo_ahead_means_a_later_ferry(times: LegTimes, corridor: Network) -> None:
    """At Aktau one feeder sailing carries 225 TEU every 22 h (data set): 600 TEU ahead is
    two full sailings before ours, so the typical wait is 2 x 22 + 11 = 55 h and the berth's 8 h
    (the loading is reported as the ship sails); the queue step and the ETA grow with the
    queue and the reason says so."""
    now = AT_AKTAU.at + timedelta(hours=1)
    empty = _spread(times, corridor, position=AT_AKTAU, now=now, ahead=0)
    full = _spread(times, corridor, position=AT_AKTAU, now=now, ahead=600)
    assert full.p50 > empty.p50
    assert full.p90 > empty.p90
    wait = full.segments[0]
    assert wait.segment == "at KZAAU"
    assert "600 TEU ahead" in wait.reason
    assert 45 < wait.p50_h < 75  # about 63 h less the hour waited, plus storm risk
    assert empty.segments[0].p50_h < 25  # 11 + 8 h typical, of a spread up to 51.5 h


def test_a_planned_sailing_fixes_the_crossing(times: LegTimes, corridor: Network) -> None:
    """On a planned sailing the shipment leaves at its departure: the wait ends then and the
    crossing takes the sailing's hours; arriving after it has left costs a headway more."""
    now = AT_AKTAU.at + timedelta(hours=1)
    sailing = PlannedSailing("s1", "Merkuriy-1", now + timedelta(hours=30),
                             now + timedelta(hours=52))
    e = _spread(times, corridor, position=AT_AKTAU, now=now, sailing=sailing)
    wait, crossing = e.segments[0], e.segments[1]
    assert wait.p50_h == pytest.approx(30, abs=0.5)
    assert "Merkuriy-1" in wait.reason
    assert 22 <= crossing.p50_h < 23  # the sailing's 22 h, a little more in bad weather
    missed = _spread(times, corridor, position=Position(1, S + timedelta(hours=3)),
                     now=S + timedelta(hours=4),
                     sailing=PlannedSailing("s0", "Merkuriy-1", S + timedelta(hours=20),
                                            S + timedelta(hours=42)))
    assert missed.segments[2].p50_h > 0  # it cannot make the sailing: waits for a later one


def test_storms_are_likelier_in_winter() -> None:
    """Storm onsets per hour in January exceed those in July; a year has about three."""
    assert storm_rate_per_h(1) > storm_rate_per_h(7)
    year = sum(storm_rate_per_h(m) for m in range(1, 13)) * 8760 / 12
    assert year == pytest.approx(3.0)


def test_time_spent_waiting_pushes_the_eta_later(times: LegTimes, corridor: Network) -> None:
    """The same position seen later leaves less behind it but never moves the P50 earlier."""
    base = _spread(times, corridor, position=AT_AKTAU, now=AT_AKTAU.at, ahead=300)
    later = _spread(times, corridor, position=AT_AKTAU, now=AT_AKTAU.at + timedelta(hours=80),
                    ahead=300)
    assert later.p50 >= base.p50
    assert later.p10 >= AT_AKTAU.at + timedelta(hours=80)


def test_triangular_quantile_inverts_the_cdf() -> None:
    """The quantile function and the CDF of a triangular distribution are inverses."""
    import numpy as np

    spread = Spread(2.0, 5.0, 11.0)
    u = np.linspace(0.01, 0.99, 50)
    x = triangular_quantile(spread, u)
    assert [round(triangular_cdf(spread, float(v)), 9) for v in x] == pytest.approx(list(u))


@settings(max_examples=30, deadline=None)
@given(ahead=st.integers(0, 3000), rank=st.integers(-1, 6), waited=st.integers(0, 400),
       observed=st.lists(st.floats(1, 200), min_size=12, max_size=40))
def test_kept_draws_give_what_fresh_draws_give(
        times: LegTimes, corridor: Network, ahead: int, rank: int, waited: int,
        observed: list[float]) -> None:
    """The draws kept per spread and step (reused by the next shipment) give the spread a
    fresh draw of every step gives, on the first use and the second."""
    import midcorridor.live.eta as live_eta

    position = None if rank < 0 else Position(rank, S + timedelta(hours=20 * rank))
    now = (position.at if position else S) + timedelta(hours=waited)
    start, steps = steps_ahead(_legs(), position, now=now, times=times, unit_type=UnitType.TEU,
                               units=2, ports=caspian_port_ids(corridor),
                               queue_ahead={"KZAAU": ahead}, leaving_per_h={"KZAAU": 3.0},
                               observed={"AZALT-GEPTI": observed, "at KZAAU": observed})
    kept = [eta_spread(start, steps), eta_spread(start, steps)]
    import numpy as np

    strata = live_eta._STRATA
    with pytest.MonkeyPatch.context() as m:  # each step drawn afresh, as before they were kept
        m.setattr(live_eta, "_fresh_draws",
                  lambda spread, j: triangular_quantile(spread, strata[:, j]))
        m.setattr(live_eta, "_fresh_observed_draws",
                  lambda values, j: np.quantile(np.asarray(values), strata[:, j]))
        m.setattr(live_eta, "_storm_draws", lambda j: triangular_quantile(
            live_eta.STORM_DELAY_H, strata[:, (j + 7) % (strata.shape[1] // 2)]))
        fresh = eta_spread(start, steps)
    assert kept == [fresh, fresh]


@settings(max_examples=40, deadline=None)
@given(rank=st.integers(-1, 5), ahead_rank=st.integers(1, 7), est_h=st.integers(-50, 400),
       eta_h=st.integers(-200, 600))
def test_an_estimate_ahead_keeps_the_quantiles_ordered_around_the_eta(
        times: LegTimes, corridor: Network, rank: int, ahead_rank: int, est_h: int,
        eta_h: int) -> None:
    """With an operator's estimate of any milestone ahead, P10 <= P50 <= P90, the steps up to
    it are one, and once made to hold any best estimate, the P90 is no earlier than it, the
    quantiles still ordered, P10 and P50 unchanged."""
    position = None if rank < 0 else Position(rank, S + timedelta(hours=20 * rank))
    now = (position.at if position else S) + timedelta(hours=5)
    target = min(7, rank + ahead_rank)
    estimated = Position(target, now + timedelta(hours=est_h))
    start, steps = steps_ahead(_legs(), position, now=now, times=times, unit_type=UnitType.TEU,
                               units=2, ports=caspian_port_ids(corridor), queue_ahead={},
                               estimated=estimated)
    e = eta_spread(start, steps)
    assert e.p10 <= e.p50 <= e.p90
    if target < 7:
        assert "estimated by the operator" in e.segments[0].reason
        assert [s.until for s in steps] == list(range(target, 8))
    best = now + timedelta(hours=eta_h)
    held = containing(e, best)
    assert best <= held.p90
    assert (held.p10, held.p50) == (e.p10, e.p50)
    assert held.p10 <= held.p50 <= held.p90


def test_a_container_wait_runs_to_the_sailing(times: LegTimes, corridor: Network) -> None:
    """At Aktau, 30 TEU ahead leaving at 3 an hour need 10 h; the queue's factors (0, 0.1, 1)
    and half the feeders' 22 h headway give 0, 1 and 21 h; the loading is reported as the ship
    sails, so the container wait adds the berth's 0, 8 and 24 h: 0, 9 and 45 h. Railcars on the
    Ro-Ro ferries (headway 96 h) get none of it: 0, 1 and 10 + 48 h."""

    def wait(unit_type: UnitType) -> Spread:
        _, steps = steps_ahead(_legs(), AT_AKTAU, now=AT_AKTAU.at, times=times,
                               unit_type=unit_type, units=2, ports=caspian_port_ids(corridor),
                               queue_ahead={"KZAAU": 30}, leaving_per_h={"KZAAU": 3.0})
        assert steps[0].segment == "at KZAAU"
        return steps[0].spread

    assert wait(UnitType.TEU) == pytest.approx(Spread(0.0, 9.0, 45.0))
    assert wait(UnitType.RAILCAR) == pytest.approx(Spread(0.0, 1.0, 58.0))
