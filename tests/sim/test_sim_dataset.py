"""The example experiments on the packaged data set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import load_experiment
from midcorridor.sim.model import LandLeg
from midcorridor.sim.processes import simulate_replication

if TYPE_CHECKING:
    from midcorridor.network import Network

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"


@pytest.mark.parametrize("path", sorted(EXPERIMENTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_experiment_builds_and_conserves_cargo(corridor: Network, path: Path) -> None:
    """Each experiment in experiments/ compiles on the data set and conserves cargo over 40 days."""
    spec = load_experiment(path)
    model = build_model(corridor, spec)
    short = type(model)(**{**model.__dict__, "horizon_h": 40 * 24.0, "warmup_h": 5 * 24.0})
    r = simulate_replication(short, 1, 0)
    assert r.created_units > 0
    assert r.delivered_units > 0
    assert r.created_units == r.delivered_units + r.in_system_units


def test_baseline_uses_the_real_caspian_fleet(corridor: Network) -> None:
    """The baseline's Caspian lines come from services.yaml; Aktau and Alat are Caspian ports."""
    model = build_model(corridor, load_experiment(EXPERIMENTS / "baseline.yaml"))
    ports = {p.name: p for p in model.ports.values()}
    assert ports["Aktau"].caspian
    assert any("Alat" in name for name in ports)
    assert sum(len(line.ships) for line in model.lines) >= 6


def test_zangezur_reroutes_turkish_trains(corridor: Network) -> None:
    """With the Zangezur link open, trains for Kars leave Georgia aside."""

    def kars_links(name: str) -> set[str]:
        model = build_model(corridor, load_experiment(EXPERIMENTS / f"{name}.yaml"))
        stream = next(s for s in model.streams if s.destination.startswith("TRKR0"))
        return {x.link_id for x in stream.variants[0].steps if isinstance(x, LandLeg)}

    base, zangezur = kars_links("baseline"), kars_links("zangezur")
    assert "AZBKS-GEGAR-rail" in base
    assert "AZBKS-GEGAR-rail" not in zangezur
    assert "AZHOR-AZAGB-rail" in zangezur
