"""The example experiments on the packaged data set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from midcorridor.routing import Cargo, plan
from midcorridor.sim.build import ROUTE_DEPARTURE, build_model
from midcorridor.sim.experiment import load_experiment, parse_experiment
from midcorridor.sim.model import LandLeg, SeaLeg
from midcorridor.sim.processes import simulate_replication

if TYPE_CHECKING:
    from collections.abc import Sequence

    from midcorridor.network import Network
    from midcorridor.routing import Leg
    from midcorridor.sim.model import Step

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


def _way(steps: Sequence[Step]) -> list[object]:
    """The simulated path: land links by id, sea legs as (port, port)."""
    return [x.link_id if isinstance(x, LandLeg) else (x.origin, x.destination)
            for x in steps if isinstance(x, LandLeg | SeaLeg)]


def _planned_way(legs: Sequence[Leg]) -> list[object]:
    """The planner's route in the same terms: runs of sea and ferry legs joined port to port."""
    way: list[object] = []
    at_sea: str | None = None
    for leg in legs:
        if leg.mode in ("sea", "ferry"):
            at_sea = at_sea or leg.origin
            if leg.destination in _PORTS:
                way.append((at_sea, leg.destination))
                at_sea = None
        else:
            way.append(leg.link_id)
    return way


_PORTS = {"KZAAU", "KZKUR", "AZALT", "TMTKM"}


def test_a_new_link_changes_the_simulated_path_as_it_changes_the_planned_route(
    corridor: Network,
) -> None:
    """The Zangezur link (a data-set scenario) opens a shorter way to Kars: with and without
    it, the simulated path of trains from Khorgos is the planner's fastest route, leg for leg.
    """
    cases = {}
    for scenarios in ((), ("zangezur", "kars_nakhchivan")):
        spec = parse_experiment({
            "name": "kars",
            "horizon_days": 60,
            "network_scenarios": list(scenarios),
            "demand": {"streams": [{
                "name": "kars", "origin": "Khorgos (CN)", "destination": "Kars",
                "teu_per_year": 10000, "variants": [{"via": ["Aktau"]}]}]},
        })
        simulated = _way(build_model(corridor, spec).streams[0].variants[0].steps)
        network = corridor.with_scenarios(scenarios) if scenarios else corridor
        planned = plan(network, "Khorgos (CN)", "Kars", cargo=Cargo(teu=100),
                       depart=ROUTE_DEPARTURE, via=["Aktau"], avoid_modes=["road"])
        assert simulated == _planned_way(planned.options[0].legs)
        cases[scenarios] = simulated
    base, opened = cases.values()
    assert "AZBKS-GEGAR-rail" in base
    assert "AZHOR-AZAGB-rail" in opened
    assert "AZBKS-GEGAR-rail" not in opened
