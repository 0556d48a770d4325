"""Tiny named corridors for the simulator tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from midcorridor.network.model import (
    Capacity,
    Departures,
    Link,
    Mode,
    Network,
    Node,
    NodeKind,
    Sea,
    Service,
    ServiceKind,
    ServiceVessel,
    Spread,
    VesselKind,
)
from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import parse_experiment

if TYPE_CHECKING:
    from collections.abc import Callable

    from midcorridor.sim.model import SimModel


def two_port_network(ships: int = 2, railcars: int = 40) -> Network:
    """Rail to Aktau, a ferry line Aktau-Alat with ``ships`` ferries, rail on to Tbilisi."""
    nodes = {
        "KZBEY": Node("KZBEY", "Beineu", "KZ", 45.3, 55.2, NodeKind.INLAND_HUB),
        "KZAAU": Node("KZAAU", "Aktau", "KZ", 43.65, 51.17, NodeKind.SEAPORT, handling_h=10.0,
                      sea=Sea.CASPIAN),
        "AZALT": Node("AZALT", "Alat", "AZ", 39.95, 49.40, NodeKind.SEAPORT, handling_h=10.0,
                      sea=Sea.CASPIAN),
        "GETBS": Node("GETBS", "Tbilisi", "GE", 41.7, 44.8, NodeKind.RAIL_TERMINAL, handling_h=6.0),
    }
    links = (
        Link("KZBEY-KZAAU-rail", "KZBEY", "KZAAU", Mode.RAIL, 480, Spread(10, 14, 30)),
        Link("KZAAU-AZALT-ferry", "KZAAU", "AZALT", Mode.FERRY, 470, Spread(18, 22, 30)),
        Link(
            "AZALT-GETBS-rail",
            "AZALT",
            "GETBS",
            Mode.RAIL,
            600,
            Spread(20, 24, 40),
            dwell=Spread(4, 12, 40),
            border=True,
        ),
    )
    fleet = tuple(
        ServiceVessel(f"Ferry {k}", VesselKind.RAIL_FERRY, Capacity(railcar=railcars))
        for k in range(ships)
    )
    service = Service(
        "FERRY",
        "Aktau-Alat ferry",
        "ASCO",
        ServiceKind.FERRY,
        ("KZAAU", "AZALT"),
        Departures(headway_h=24.0),
        Spread(18, 22, 30),
        fleet,
    )
    return Network(nodes=nodes, links=links, services=(service,))


def experiment_doc(
    teu_per_year: float = 20_000, days: float = 120, storms: float = 0.0, per_consignment: int = 10
) -> dict:
    return {
        "name": "tiny",
        "horizon_days": days,
        "warmup_days": 10,
        "demand": {
            "streams": [
                {
                    "name": "boxes",
                    "origin": "Beineu",
                    "destination": "Tbilisi",
                    "teu_per_year": teu_per_year,
                    "units_per_consignment": per_consignment,
                    "seasonality": 0.2,
                },
                {
                    "name": "wagons",
                    "origin": "Beineu",
                    "destination": "Alat",
                    "unit": "wagon",
                    "units_per_year": teu_per_year / 4,
                    "units_per_consignment": 5,
                },
            ]
        },
        "storms": {"per_year": storms, "duration_days": {"min": 1, "typ": 2, "max": 4}},
    }


def tiny_model(ships: int = 2, **kwargs: float) -> SimModel:
    """The two-port corridor compiled with a small experiment."""
    return build_model(two_port_network(ships), parse_experiment(experiment_doc(**kwargs)))


@pytest.fixture(scope="session")
def make_model() -> Callable[..., SimModel]:
    """Build the two-port corridor with ``ships`` ferries and experiment settings."""
    return tiny_model


@pytest.fixture(scope="session")
def aktau_alat_two_ferries() -> SimModel:
    """Aktau-Alat with two 40-railcar ferries, moderate demand and storms: easy to reason about."""
    return tiny_model(ships=2, storms=4.0)


@pytest.fixture(scope="session")
def make_network() -> Callable[..., Network]:
    """Build the two-port network with ``ships`` ferries."""
    return two_port_network


@pytest.fixture
def doc() -> dict:
    """A fresh small experiment document to change in a test."""
    return experiment_doc()
