"""Tiny named crossing instances whose optimum can be worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from helpers.crossing_strategies import START
from midcorridor.crossing import Booking, Capacity, CrossingInstance, Port, Sailing, Vessel
from midcorridor.crossing.model import UnitType
from midcorridor.network.model import VesselKind

RAIL = UnitType.RAILCAR


def booking(id: str, units: int, ready: float, *, unit: UnitType = RAIL, origin: str = "A",
            destination: str = "B", **kw: Any) -> Booking:
    return Booking(id, units, unit, origin, destination, ready, **kw)


def sailing(id: str, departure: float, capacity: Capacity, *, origin: str = "A",
            destination: str = "B", crossing: float = 20.0, **kw: Any) -> Sailing:
    return Sailing(id, "V", origin, destination, departure, departure + crossing, capacity, **kw)


def instance(bookings: tuple[Booking, ...], sailings: tuple[Sailing, ...] = (),
             vessels: tuple[Vessel, ...] = (), horizon: float = 200.0,
             ports: dict[str, Port] | None = None, **kw: Any) -> CrossingInstance:
    ports = ports or {p: Port(p, p, berths=1, handling_h=6.0) for p in ("A", "B")}
    return CrossingInstance(START, horizon, bookings, vessels, ports, sailings,
                            {("A", "B"): 144.0}, **kw)


@pytest.fixture(scope="session")
def aktau_alat_two_sailings() -> CrossingInstance:
    """Two 10-railcar sailings; a low-priority booking arrives first, a priority-3 one after.

    FIFO puts the early booking on the first sailing (cost 10*10 + 3*10*45 = 1,450); the
    optimum swaps them (3*10*5 + 10*50 = 650).
    """
    cap = Capacity(railcar=10)
    return instance(
        (booking("early", 10, 0.0), booking("urgent", 10, 5.0, priority=3.0)),
        (sailing("S1", 10.0, cap), sailing("S2", 50.0, cap)))


@pytest.fixture(scope="session")
def one_ferry_rotation() -> CrossingInstance:
    """One 20-railcar ferry free at A at 0 h, 10 railcars ready at A at 0 h; 6 h steps.

    Loading takes one step, the crossing (144 nm at 12 kn) two: leaving at once costs
    10 units * 6 h + one sailing (1 h) = 61. FIFO waits its 24 h schedule for a fuller
    deck, leaving at 30 h: 10 * 30 + 1 = 301.
    """
    ferry = Vessel("F", "Ferry", VesselKind.RAIL_FERRY, Capacity(railcar=20), 12.0, "A", 0.0)
    return instance((booking("b", 10, 0.0),), vessels=(ferry,), horizon=72.0)


Factory = Callable[..., Any]


@pytest.fixture(scope="session")
def build() -> dict[str, Factory]:
    """Builders for small instances: booking, sailing and instance."""
    return {"booking": booking, "sailing": sailing, "instance": instance}
