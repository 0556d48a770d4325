"""The fitted waits for a ferry and stays after a crossing: the quantile regression against
hand-worked answers, the packaged fit reproduced from its rows, and the ETA of a container train
at Aktau, waiting for the ferry or landed from Alat, taking it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from helpers.legs import PlannedLeg as Leg
from midcorridor.crossing.model import UnitType
from midcorridor.live import eta
from midcorridor.live.eta import LegTimes, eta_spread, steps_ahead
from midcorridor.live.ferries import update
from midcorridor.live.position import Position
from midcorridor.live.waits import (
    FEATURES,
    LEVELS,
    NO_FIT,
    STAY,
    WAIT,
    data_path,
    fit_models,
    packaged_fit,
    quantile_regression,
    read_rows,
)

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
H = timedelta(hours=1)


def test_the_regression_on_a_constant_is_the_sample_quantile() -> None:
    y = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 7.0])
    x = np.ones((len(y), 1))
    assert quantile_regression(x, y, 0.5)[0] == pytest.approx(4.0)
    assert quantile_regression(x, y, 0.1)[0] == pytest.approx(1.0)
    assert quantile_regression(x, y, 0.9)[0] == pytest.approx(10.0)


def test_the_regression_recovers_a_line_through_points() -> None:
    t = np.arange(10.0)
    y = 2.0 + 3.0 * t
    y[3] += 50.0  # one outlier moves the median line not at all
    b = quantile_regression(np.column_stack([np.ones_like(t), t]), y, 0.5)
    assert b == pytest.approx([2.0, 3.0], abs=1e-6)


def test_the_packaged_fit_reproduces_from_its_rows() -> None:
    fit = packaged_fit()
    assert fit.fitted_on["command"] == "python -m benchmarks.fit_waits"
    assert fit.fitted_on["seeds"] == [1, 2]
    rows = read_rows(data_path(str(fit.fitted_on["rows"])))
    again = fit_models(rows, [(m.port, m.towards, m.unit, m.kind) for m in fit.models])
    assert [(m.port, m.towards, m.unit, m.kind, m.rows) for m in again] == [
        (m.port, m.towards, m.unit, m.kind, m.rows) for m in fit.models]
    for old, new in zip(fit.models, again, strict=True):
        assert np.asarray(new.coefficients) == pytest.approx(np.asarray(old.coefficients),
                                                             abs=1e-4)


TURKESTAN = "KMTF-AKTAU-ALAT-1"  # a container feeder of 225 TEU, Aktau-Alat, 22 h across


def _at_aktau(times: LegTimes, ahead: int, *, seen: bool = True):
    legs = [Leg("KZBEY", "KZAAU", "rail", T0 - 30 * H, T0),
            Leg("KZAAU", "AZALT", "ferry", T0 + 10 * H, T0 + 32 * H),
            Leg("AZALT", "AZBAK", "rail", T0 + 42 * H, T0 + 46 * H)]
    # Turkestan sailed from Alat with cargo 10 h ago: at Aktau in 12 h
    sightings = {TURKESTAN: update(None, TURKESTAN, "DEPA", "AZALT", T0 - 10 * H, 0)}
    start, steps = steps_ahead(legs, Position(1, T0), now=T0, times=times,
                               unit_type=UnitType.TEU, units=100, ports={"KZAAU", "AZALT"},
                               queue_ahead={"KZAAU": ahead}, leaving_per_h={"KZAAU": 4.0},
                               sightings=sightings if seen else {})
    return steps[0], eta_spread(start, steps)


def test_a_container_trains_wait_at_aktau_is_the_fitted_one(corridor) -> None:
    fitted, rules = LegTimes(corridor), LegTimes(corridor, waits=NO_FIT)
    model = fitted.waits.model("KZAAU", "AZALT", "teu")
    assert model is not None
    assert len(model.coefficients) == len(LEVELS)
    step, spread = _at_aktau(fitted, 100)
    assert step.wait is not None
    assert len(step.wait.values) == len(FEATURES)
    # what it read: 1, ..., 100 TEU ahead, 4 TEU an hour, Turkestan's call in 12 h taking
    # them and ours, seen coming, nothing at the port, one ship coming, March, open
    values = dict(zip(FEATURES, step.wait.values, strict=True))
    assert (values["const"], values["ahead"], values["pace_per_h"], values["call_h"],
            values["seen"], values["at_port"], values["coming"], values["winter"],
            values["closed_h"], values["last_call_h"]) == (1.0, 100.0, 4.0, 12.0, 1.0, 0.0, 1.0,
                                                           1.0, 0.0, 12.0)
    assert step.observed == model.hours(step.wait)
    assert list(step.observed) == sorted(step.observed)
    assert "fitted on simulated years" in step.reason
    plain, plain_spread = _at_aktau(rules, 100)
    assert plain.wait == step.wait  # the rules read the same
    assert "fitted" not in plain.reason
    assert plain_spread.p50 != spread.p50
    # the quantiles stay in order and a longer queue ahead waits longer: 300 TEU ahead fill
    # Turkestan's call, and the last of ours wait for its next one
    longer, later = _at_aktau(fitted, 300)
    assert longer.wait is not None
    assert longer.wait.values[FEATURES.index("last_call_h")] > 12.0
    assert spread.p10 <= spread.p50 <= spread.p90
    assert later.p10 <= later.p50 <= later.p90
    assert later.p50 > spread.p50


def test_without_a_ship_seen_the_rules_stand(corridor) -> None:
    """The waits were fitted where the crossing's ships were seen lately: with no sighting
    the fitted wait is not used (its calls unknown)."""
    step, _ = _at_aktau(LegTimes(corridor), 100, seen=False)
    assert step.wait is None
    assert "fitted" not in step.reason


def _staying_at_aktau(times: LegTimes, rest: dict[str, datetime] | None = None):
    """A container train landed at Aktau from Alat, for the train to Khorgos."""
    legs = [Leg("AZALT", "KZAAU", "ferry", T0 - 40 * H, T0 - 18 * H),
            Leg("KZAAU", "CNKHO", "rail", T0 - 6 * H, T0 + 60 * H)]
    start, steps = steps_ahead(legs, Position(1, T0), now=T0, times=times,
                               unit_type=UnitType.TEU, units=100, ports={"KZAAU", "AZALT"},
                               queue_ahead={}, rest_loads=rest)
    return steps[0], eta_spread(start, steps)


def test_the_stay_at_aktau_after_the_crossing_is_the_fitted_one(corridor) -> None:
    fitted, rules = LegTimes(corridor), LegTimes(corridor, waits=NO_FIT)
    model = fitted.waits.model("KZAAU", "CNKHO", "teu", STAY)
    assert model is not None
    assert len(model.coefficients) == len(LEVELS)
    step, spread = _staying_at_aktau(fitted)
    assert step.wait is not None
    assert step.wait.kind == STAY
    values = dict(zip(FEATURES, step.wait.values, strict=True))
    # what it read: the rules' median stay, whole (no units landing later), March, open;
    # nothing of a queue for a ferry
    assert values["const"] == 1.0
    assert values["rule_h"] > 0
    assert (values["last_call_h"], values["winter"], values["closed_h"]) == (0.0, 1.0, 0.0)
    assert values["ahead"] == values["pace_per_h"] == values["call_h"] == 0.0
    assert step.fitted
    assert step.observed == model.hours(step.wait)
    assert list(step.observed) == sorted(step.observed)
    assert "fitted on simulated years" in step.reason
    plain, plain_spread = _staying_at_aktau(rules)
    assert plain.wait == step.wait
    assert not plain.fitted
    assert plain_spread.p50 != spread.p50
    # its last units load at Alat in 30 h: they land later, and the fitted stay is longer
    split, later = _staying_at_aktau(fitted, {"AZALT": T0 + 30 * H})
    assert split.wait is not None
    assert split.wait.values[FEATURES.index("last_call_h")] > 30.0
    assert split.not_before is None  # the fit holds the landing
    assert list(split.observed) == sorted(split.observed)
    assert spread.p10 <= spread.p50 <= spread.p90
    assert later.p10 <= later.p50 <= later.p90
    assert later.p50 > spread.p50


def test_every_packaged_model_gives_its_quantiles_in_order() -> None:
    fit = packaged_fit()
    assert {m.kind for m in fit.models} == {WAIT, STAY}
    assert fit.fits("KZAAU", STAY)
    assert not fit.fits("AZALT", STAY)  # the stays at Alat keep the rules
    rows = read_rows(data_path(str(fit.fitted_on["rows"])))
    for model in fit.models:
        mine = [i for i, _ in rows if fit.of(i) is model]
        assert len(mine) == model.rows
        for inputs in mine[::7]:
            hours = model.hours(inputs)
            assert len(hours) == len(LEVELS)
            assert all(0.0 <= a <= b for a, b in zip(hours, hours[1:], strict=False))


def test_a_total_with_a_fitted_step_is_scaled_by_the_conformal_factor(corridor,
                                                                      monkeypatch) -> None:
    """The fit seeds' forecasts holding a fitted wait over-covered; their spread is scaled
    by FITTED_SPREAD of the waits (below 1), those without a fitted step are left as they
    were."""
    factor = eta.FITTED_SPREAD[WAIT]
    assert factor < 1.0
    times = LegTimes(corridor)
    step, scaled = _at_aktau(times, 100)
    assert step.fitted
    _, ruled = _at_aktau(LegTimes(corridor, waits=NO_FIT), 100)
    monkeypatch.setattr(eta, "FITTED_SPREAD", {WAIT: 1.0, STAY: 1.0})
    _, plain = _at_aktau(times, 100)
    _, ruled_plain = _at_aktau(LegTimes(corridor, waits=NO_FIT), 100)
    assert scaled.p50 == plain.p50
    for a, b in ((scaled.p90, plain.p90), (scaled.p10, plain.p10)):
        assert (a - scaled.p50).total_seconds() == pytest.approx(
            factor * (b - plain.p50).total_seconds(), abs=2.0)
    assert (ruled.p10, ruled.p50, ruled.p90) == (ruled_plain.p10, ruled_plain.p50,
                                                 ruled_plain.p90)
