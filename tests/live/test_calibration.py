"""ETA calibration: forecasts made from the events up to each checkpoint, against what happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from midcorridor.crossing.model import UnitType
from midcorridor.live import eta as live_eta
from midcorridor.live.calibration import Forecast, calibration, conformal_scale, replay_forecasts
from midcorridor.live.closures import PostedClosure
from midcorridor.live.eta import LegTimes
from midcorridor.live.fleet import caspian_port_ids
from midcorridor.sim.feed import event_stream
from midcorridor.sim.run import run as simulate
from midcorridor.sim.simulate import BASELINE, prepare

if TYPE_CHECKING:
    from midcorridor.network import Network

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _record(ref: str, start: datetime, units: int,
            plan: tuple[tuple[str, str, str, int], ...]) -> dict[str, Any]:
    """A shipment record of ``units`` railcars along ``plan`` (origin, destination, mode,
    hours), ten hours between legs."""
    legs, t = [], start
    for o, d, m, h in plan:
        legs.append({"origin": o, "destination": d, "mode": m, "planned_depart": _iso(t),
                     "planned_arrive": _iso(t + timedelta(hours=h))})
        t += timedelta(hours=h + 10)
    return {"record": "shipment", "reference": ref, "origin": plan[0][0],
            "destination": plan[-1][1], "cargo": {"units": units, "teu": 0.0, "containers": []},
            "legs": legs}


def _shipment(ref: str, start: datetime, units: int = 25) -> dict[str, Any]:
    return _record(ref, start, units, (("KZBEY", "KZAAU", "rail", 15),
                                       ("KZAAU", "AZALT", "ferry", 22),
                                       ("AZALT", "AZBAK", "rail", 4)))


def _event(ref: str, k: int, code: str, place: str, at: datetime) -> dict[str, Any]:
    return {"record": "event", "shipment": ref, "event_id": f"{ref}/{k}", "event_code": code,
            "classifier": "ACT", "event_time": _iso(at), "location": place}


def _trip(ref: str, arrive_aktau: datetime, leave_aktau: datetime,
          planned_start: datetime | None = None) -> list[dict[str, Any]]:
    start = arrive_aktau - timedelta(hours=15)
    return [_shipment(ref, planned_start or start),
            _event(ref, 0, "DEPA", "KZBEY", start),
            _event(ref, 1, "ARRI", "KZAAU", arrive_aktau),
            _event(ref, 2, "DEPA", "KZAAU", leave_aktau),
            _event(ref, 3, "ARRI", "AZALT", leave_aktau + timedelta(hours=22)),
            _event(ref, 4, "ARRI", "AZBAK", leave_aktau + timedelta(hours=40)),
            _event(ref, 5, "ARRI", "AZBAK", leave_aktau + timedelta(hours=44))]


@pytest.fixture(scope="module")
def times(corridor: Network) -> LegTimes:
    return LegTimes(corridor)


@pytest.fixture(scope="module")
def ports(corridor: Network) -> frozenset[str]:
    return frozenset(caspian_port_ids(corridor))


def test_queue_at_the_checkpoint_is_the_one_standing_there_then(times, ports) -> None:
    # A waits at Aktau from hour 0 to hour 400; B left before C arrived; C arrives at hour 100.
    a = _trip("A", T0, T0 + timedelta(hours=400))
    b = _trip("B", T0 + timedelta(hours=10), T0 + timedelta(hours=50))
    c = _trip("C", T0 + timedelta(hours=100), T0 + timedelta(hours=130), planned_start=T0)
    alone = _trip("C", T0 + timedelta(hours=100), T0 + timedelta(hours=130), planned_start=T0)
    records = a + b + c
    forecasts = {(f.reference, f.checkpoint): f
                 for f in replay_forecasts(records, times=times, ports=ports, censor_days=0)}
    lone = {(f.reference, f.checkpoint): f
            for f in replay_forecasts(b + alone, times=times, ports=ports, censor_days=0)}
    # the true arrival is the last arrival at the destination
    assert forecasts["C", "Aktau"].arrival == T0 + timedelta(hours=130 + 44)
    assert forecasts["C", "Aktau"].at == T0 + timedelta(hours=100)
    # the deterministic ETA: planned arrival plus the delay at Aktau (85 h late there)
    planned = T0 + timedelta(hours=15 + 10 + 22 + 10 + 4)
    assert forecasts["C", "Aktau"].deterministic == planned + timedelta(hours=85)
    # A's 25 railcars ahead make C's forecast later than without A (B has left by then)
    assert forecasts["C", "Aktau"].p50 > lone["C", "Aktau"].p50
    assert {name for _, name in forecasts} == {"Aktau", "Alat"}


def _eastbound(ref: str, arrive_alat: datetime, leave_alat: datetime,
              units: int = 25) -> list[dict[str, Any]]:
    """``units`` railcars from Baku by rail to Alat, by ferry to Kuryk, by rail to Mangystau."""
    start = arrive_alat - timedelta(hours=4)
    at_kuryk = leave_alat + timedelta(hours=20)
    return [_record(ref, start, units, (("AZBAK", "AZALT", "rail", 4),
                                        ("AZALT", "KZKUR", "ferry", 20),
                                        ("KZKUR", "KZMNG", "rail", 3))),
            _event(ref, 0, "DEPA", "AZBAK", start),
            _event(ref, 1, "ARRI", "AZALT", arrive_alat),
            _event(ref, 2, "DEPA", "AZALT", leave_alat),
            _event(ref, 3, "ARRI", "KZKUR", at_kuryk),
            _event(ref, 4, "DEPA", "KZKUR", at_kuryk + timedelta(hours=6)),
            _event(ref, 5, "ARRI", "KZMNG", at_kuryk + timedelta(hours=9))]


def test_cargo_waiting_for_a_train_is_not_ahead_in_the_ferry_queue(times, ports) -> None:
    """E arrives at Alat at hour 100 to take the ferry east to Kuryk. Westbound W1 and W2 came
    off the Aktau ferry and stand at Alat waiting for their train to Baku, and W0 left Alat
    by rail before: none of them is in E's queue or sets the pace of E's crossing, so E's
    forecast is the one it gets without them. An eastbound F standing there before E, bound
    for the same crossing with more railcars than one Kuryk sailing takes, does delay it."""
    east = _eastbound("E", T0 + timedelta(hours=100), T0 + timedelta(hours=160))
    west = (_trip("W0", T0 - timedelta(hours=40), T0 - timedelta(hours=30))  # left at 22
            + _trip("W1", T0, T0 + timedelta(hours=60))  # at Alat 82-122
            + _trip("W2", T0 + timedelta(hours=10), T0 + timedelta(hours=70)))  # 92-132

    def at_alat(records: list[dict[str, Any]]) -> Any:
        (found,) = [f for f in replay_forecasts(records, times=times, ports=ports,
                                                censor_days=0)
                    if (f.reference, f.checkpoint) == ("E", "Alat")]
        return found

    alone = at_alat(east)
    mixed = at_alat(west + east)
    assert (mixed.p10, mixed.p50, mixed.p90) == (alone.p10, alone.p50, alone.p90)
    ahead = _eastbound("F", T0 + timedelta(hours=90), T0 + timedelta(hours=150), units=50)
    assert at_alat(ahead + west + east).p50 > alone.p50


def test_censored_shipments_are_left_out(times, ports) -> None:
    records = _trip("A", T0, T0 + timedelta(hours=20)) + \
        _trip("B", T0 + timedelta(days=60), T0 + timedelta(days=61))
    refs = {f.reference for f in replay_forecasts(records, times=times, ports=ports)}
    assert refs == {"A"}  # B's first event is within 45 days of the stream's end


VALIDATION_SEED = 7
"""The seed the spread's choices were not fitted on (they were fitted on seeds 1 and 2): the
coverage is measured on it, over a simulated year as in the calibration benchmark."""

END = datetime(2026, 6, 1, tzinfo=UTC)
RAIL_CARGO = (UnitType.RAILCAR, UnitType.TEU)
"""Forecasts are checked for trains and wagon groups; the single trucks on the Ro-Ro decks
are in the stream (the state sees them) but would be twenty times as many Alat forecasts."""


def _simulated(corridor: Network, experiment: str) -> tuple[Any, Any]:
    """The experiment's model and its one replication on the validation seed, traced."""
    model = prepare(BASELINE.with_name(f"{experiment}.yaml"), network=corridor)
    result = simulate(model, replications=1, seed=VALIDATION_SEED, trace=True)
    return model, result.replications[0]


def _year(simulated: tuple[Any, Any], *, trucks: bool = True) -> list[dict[str, Any]]:
    model, first = simulated
    return list(event_stream(model, first.traces, end=END, seed=VALIDATION_SEED,
                             closures=first.closures, trucks=trucks,
                             movements=first.movements))


@pytest.fixture(scope="module")
def baseline_year(corridor: Network) -> tuple[Any, Any]:
    """The baseline simulated once for the module (its streams are cut from it)."""
    return _simulated(corridor, "baseline")


@pytest.fixture(scope="module")
def stream(baseline_year: tuple[Any, Any]) -> list[dict[str, Any]]:
    """A year of the baseline's events on the validation seed (one replication), trucks on
    the Ro-Ro decks and the ports' storm closure notices among them."""
    return _year(baseline_year)


@pytest.mark.parametrize("experiment", ["baseline", "storms"])
def test_spread_covers_the_true_arrival_about_as_often_as_it_says(
        experiment: str, stream, corridor: Network, times, ports) -> None:
    """On the validation seed, at Khorgos, Aktau and Alat together, the true arrival falls
    inside [P10, P90] for about 80% of forecasts: within 72-88% (the aim, 75-85%, widened by
    the sampling noise of one simulated year; the benchmark reports against the aim itself),
    each checkpoint within 68-90%, and the P50 is at least 10% closer than the deterministic
    ETA."""
    records = stream if experiment == "baseline" else _year(_simulated(corridor, experiment))
    rows = calibration(replay_forecasts(records, times=times, ports=ports, units=RAIL_CARGO))
    assert {r.checkpoint for r in rows} == {"Khorgos", "Aktau", "Alat"}
    n = sum(r.n for r in rows)
    assert n > 1000
    coverage = sum(r.coverage * r.n for r in rows) / n
    assert 0.72 <= coverage <= 0.88, coverage
    assert all(0.68 <= r.coverage <= 0.90 for r in rows), rows
    p50 = sum(r.mae_p50_h * r.n for r in rows) / n
    deterministic = sum(r.mae_deterministic_h * r.n for r in rows) / n
    assert p50 < 0.9 * deterministic


def test_a_spread_without_width_fails_the_coverage(baseline_year: tuple[Any, Any], times, ports,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same year's forecasts (trains and wagon groups) without the single trucks in the
    stream (the trucks' events make the replay five times as long, and the check needs only
    the forecasts): a spread of no width covers far fewer true arrivals than 80%."""
    # every draw at the middle of every step: P10 = P50 = P90, but for the stretch that
    # keeps the P90 no earlier than the deterministic ETA
    monkeypatch.setattr(live_eta, "_STRATA", np.full_like(live_eta._STRATA, 0.5))
    records = _year(baseline_year, trucks=False)
    rows = calibration(replay_forecasts(records, times=times, ports=ports, units=RAIL_CARGO))
    n = sum(r.n for r in rows)
    assert n > 1000
    assert sum(r.coverage * r.n for r in rows) / n < 0.3


def test_breakdown_names_the_segment_the_error_comes_from() -> None:
    """Two forecasts whose legs took their median and whose ferry waits missed by 10 h either
    way: the wait carries the whole error variance, the leg none, and the half-way wait that
    only one forecast has shares the rest."""
    from midcorridor.live.calibration import Forecast, StepError, breakdown

    def forecast(ref: str, wait: float, extra: float | None) -> Forecast:
        steps = [StepError("KZBEY-KZAAU", 15.0, 15.0), StepError("at KZAAU for AZALT", 10.0, wait)]
        if extra is not None:
            steps.append(StepError("at AZALT for AZBAK", 5.0, extra))
        return Forecast(ref, "Aktau", T0, T0, T0, T0, T0, T0, tuple(steps))

    parts = {p.segment: p for p in breakdown([forecast("A", 20.0, None),
                                              forecast("B", 0.0, None)])}
    assert parts["at KZAAU for AZALT"].share == pytest.approx(1.0)
    assert parts["at KZAAU for AZALT"].mae_h == pytest.approx(10.0)
    assert parts["at KZAAU for AZALT"].bias_h == pytest.approx(0.0)
    assert parts["KZBEY-KZAAU"].share == pytest.approx(0.0)
    # totals -10 and +10 (+ -5 for C's extra step): the shares add up to one
    parts = {p.segment: p for p in breakdown([forecast("A", 20.0, None),
                                              forecast("B", 0.0, None),
                                              forecast("C", 10.0, 10.0)])}
    assert sum(p.share for p in parts.values()) == pytest.approx(1.0)
    assert parts["at AZALT for AZBAK"].n == 1
    assert parts["at AZALT for AZBAK"].bias_h == pytest.approx(-5.0)


def test_ceiling_is_the_gain_were_the_picked_segments_known() -> None:
    """A forecast 10 h early because its ferry wait ran 10 h over, the deterministic ETA 20 h
    off: the medians summed are 50% better than it, and with the wait known, 100% better; a
    wait not picked as known changes nothing."""
    from midcorridor.live.calibration import Forecast, StepError, ceiling, ferry_wait

    steps = (StepError("at KZAAU for AZALT", 5.0, 15.0), StepError("KZAAU-AZALT", 20.0, 20.0))
    arrival = T0 + timedelta(hours=35)
    f = Forecast("A", "Aktau", T0, T0, T0, T0, arrival + timedelta(hours=20), arrival, steps)
    ports = {"KZAAU", "AZALT"}
    (row,) = ceiling([f], ferry_wait(ports))
    assert (row.n, row.gain, row.gain_known) == (1, pytest.approx(0.5), pytest.approx(1.0))
    (row,) = ceiling([f], ferry_wait({"KZAAU"}))  # AZALT not a Caspian port: not a crossing
    assert row.gain_known == pytest.approx(0.5)


def test_a_closure_in_force_at_the_checkpoint_holds_the_ferry_wait_until_it_ends(
        times, ports) -> None:
    """C arrives at Aktau at hour 100 with nothing ahead. With Aktau closed from hour 90 to
    hour 160 its wait for the ferry begins at the reopening: the 60 h until then come before
    the wait it has with the port open. A closure of another port, one over before hour 100
    and one posted (begun) after it change nothing: a closure is known from its start."""
    c = _trip("C", T0 + timedelta(hours=100), T0 + timedelta(hours=170), planned_start=T0)

    def at_aktau(*closures: PostedClosure) -> Any:
        (found,) = [f for f in replay_forecasts(c, times=times, ports=ports, censor_days=0,
                                                closures=closures)
                    if f.checkpoint == "Aktau"]
        return found

    def closed(k: int, place: str, start: int, end: int) -> PostedClosure:
        return PostedClosure(k, place, T0 + timedelta(hours=start),
                             T0 + timedelta(hours=end), "storm")

    open_ = at_aktau()
    assert open_.steps[0].segment == "at KZAAU for AZALT"
    shut = at_aktau(closed(1, "KZAAU", 90, 160))
    assert shut.steps[0].p50_h == pytest.approx(60 + open_.steps[0].p50_h, abs=0.2)
    assert shut.p50 - open_.p50 >= timedelta(hours=50)
    assert at_aktau(closed(2, "caspian", 90, 160)).p50 == shut.p50  # the whole sea
    for other in (closed(3, "AZALT", 90, 160), closed(4, "KZAAU", 20, 99),
                  closed(5, "KZAAU", 101, 160)):
        assert at_aktau(other).p50 == open_.p50


def test_a_vessels_own_movement_places_it_though_it_carries_nothing(times, ports) -> None:
    """C (25 railcars) arrives at Aktau at hour 100 with nothing ahead; the rail ferries seldom
    sail there, so its wait is for the ship its events show coming. Merkuriy-1 sails empty
    from Alat, which only the port's call report says (no shipment aboard): sailing at hour
    95 it is back at Aktau a 22 h crossing later, at 117, so C waits about 17 h; sailing at
    hour 80 it is back at 102, so C's wait is shorter. The report alone moves C's forecast."""
    c = _trip("C", T0 + timedelta(hours=100), T0 + timedelta(hours=170), planned_start=T0)

    def sailed(hour: float | None) -> Any:
        own = [] if hour is None else [{
            "record": "event", "shipment": "", "event_id": "V1", "event_type": "TRANSPORT",
            "event_code": "DEPA", "classifier": "ACT", "location": "AZALT",
            "event_time": _iso(T0 + timedelta(hours=hour)), "vehicle": "Merkuriy-1",
            "description": "Merkuriy-1 sailed"}]
        (found,) = [f for f in replay_forecasts(c + own, times=times, ports=ports,
                                                censor_days=0)
                    if f.checkpoint == "Aktau"]
        return found.steps[0]

    unseen, late, early = sailed(None), sailed(95), sailed(80)
    assert late.segment == early.segment == "at KZAAU for AZALT"
    assert late.p50_h > early.p50_h
    assert late.p50_h != unseen.p50_h


def test_the_conformal_scale_is_the_rank_of_the_arrivals_distance() -> None:
    """Hand-worked: P10/P50/P90 at -10/0/+20 h; arrivals at +2, -5, +10, +30, -20 h give
    distances over their side's 0.1, 0.5, 0.5, 1.5, 2.0; at 60% the ceil(6 * 0.6) = 4th
    smallest is 1.5, at 40% the 3rd (0.5), at 90% the last (2.0)."""
    h = timedelta(hours=1)
    forecasts = [Forecast(f"S{k}", "Aktau", T0, T0 - 10 * h, T0, T0 + 20 * h, T0,
                          T0 + off * h)
                 for k, off in enumerate((2, -5, 10, 30, -20))]
    assert conformal_scale(forecasts, 0.6) == pytest.approx(1.5)
    assert conformal_scale(forecasts, 0.4) == pytest.approx(0.5)
    assert conformal_scale(forecasts, 0.9) == pytest.approx(2.0)
    assert conformal_scale([], 0.8) == 1.0
    # scaled by it, the forecasts cover what was asked
    assert sum(-10 * 1.5 <= off <= 20 * 1.5 for off in (2, -5, 10, 30, -20)) == 4
