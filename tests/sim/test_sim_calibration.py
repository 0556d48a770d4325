"""The baseline against the published figures it is calibrated to (docs/simulation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import load_experiment
from midcorridor.sim.kpi import summarize
from midcorridor.sim.model import SeaLeg
from midcorridor.sim.run import run

if TYPE_CHECKING:
    from midcorridor.network import Network

BASELINE = Path(__file__).resolve().parents[2] / "experiments" / "baseline.yaml"
# Typical wait for a Caspian departure, 2-3 days (traveller reports; corridor facts 2.2).
CASPIAN_WAIT_BAND_H = (48.0, 72.0)
# Altynkol-Poti 12 d (Middle Corridor Multimodal), China-Georgian ports 12 d (ADY, 2024),
# Xi'an-Georgia 14 d: the band the baseline's Khorgos-Poti trains are held to.
KHORGOS_POTI_BAND_D = (12.0, 14.0)


@pytest.fixture(scope="module")
def baseline(corridor: Network):
    """Twenty replications of the 2024 baseline over its full year (about twenty seconds).

    With ten, the mean Caspian wait's 95% interval is about +-4 h around a mean near the band's
    lower edge, so any change to the random numbers drawn (a path through other links) moves it
    across the edge; twenty (the first ten the same) narrow it to about +-3 h.
    """
    model = build_model(corridor, load_experiment(BASELINE))
    return model, summarize(run(model, replications=20, seed=1))


def test_the_baseline_is_stationary(baseline) -> None:
    """No queue of the 2024 baseline grows through the year."""
    _model, summary = baseline
    assert summary.warnings == ()


def test_the_baseline_caspian_wait_lies_in_the_published_band(baseline) -> None:
    """The mean wait for a vessel lies within the 2-3 days travellers report."""
    _model, summary = baseline
    low, high = CASPIAN_WAIT_BAND_H
    assert low <= summary.kpis.caspian_wait_hours.mean <= high


def test_the_baseline_khorgos_poti_days_lie_in_the_published_band(baseline) -> None:
    """Block trains from Khorgos reach Poti in 12 to 14 days on average."""
    _model, summary = baseline
    [poti] = [v for k, v in summary.kpis.transit_days_by_variant.items() if k.startswith(
        "khorgos-poti")]
    low, high = KHORGOS_POTI_BAND_D
    assert low <= poti.mean.mean <= high


def test_the_baseline_carries_cargo_both_ways(baseline) -> None:
    """Eastbound streams cross from Alat to a Kazakh port, and vessels leave Alat loaded."""
    model, _summary = baseline
    east = [s for s in model.streams if s.origin in {"GEPTI", "TRKR0", "AZBAK"}]
    assert east
    for stream in east:
        for variant in stream.variants:
            legs = [x for x in variant.steps if isinstance(x, SeaLeg)]
            assert [x.origin for x in legs] == ["AZALT"]
            assert legs[0].destination in {"KZAAU", "KZKUR"}
    assert {s.unit_kind for s in model.streams} == {"container", "wagon", "truck"}
