"""Cargo both ways across the Caspian: eastbound units, trucks on Ro-Ro decks, ferry berths."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from midcorridor.errors import NoRouteError
from midcorridor.network.model import (
    Capacity,
    Departures,
    Network,
    Service,
    ServiceKind,
    ServiceVessel,
    Spread,
    VesselKind,
)
from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import parse_experiment
from midcorridor.sim.model import SeaLeg, Ship
from midcorridor.sim.processes import simulate_replication

Builder = Callable[..., Network]


def _with_feeder(network: Network) -> Network:
    """The two-port corridor plus a container feeder (no rail or truck deck) on the same ports."""
    feeder = Service(
        "FEEDER",
        "Aktau-Alat feeder",
        "KMTF",
        ServiceKind.CONTAINER_SHIP,
        ("KZAAU", "AZALT"),
        Departures(headway_h=24.0),
        Spread(18, 22, 30),
        (ServiceVessel("Feeder", VesselKind.CONTAINER_SHIP, Capacity(teu=200)),),
    )
    return dataclasses.replace(network, services=(*network.services, feeder))


def _doc(*streams: dict, ports: dict | None = None) -> dict:
    return {
        "name": "two-way",
        "horizon_days": 60,
        "warmup_days": 5,
        "demand": {"streams": list(streams)},
        "ports": ports or {},
    }


EASTBOUND = {
    "name": "east",
    "origin": "Tbilisi",
    "destination": "Beineu",
    "teu_per_year": 6000,
    "units_per_consignment": 10,
}
WESTBOUND = {**EASTBOUND, "name": "west", "origin": "Beineu", "destination": "Tbilisi"}
TRUCKS = {
    "name": "trucks",
    "origin": "Aktau",
    "destination": "Alat",
    "unit": "truck",
    "units_per_year": 3000,
    "units_per_consignment": 1,
}


def test_eastbound_units_load_at_alat_and_land_at_aktau(make_network: Builder) -> None:
    """Every eastbound consignment is loaded aboard at Alat, sails on a vessel that left Alat,
    and is discharged at Aktau, after it was loaded; westbound ones the other way round."""
    model = build_model(make_network(2), parse_experiment(_doc(EASTBOUND, WESTBOUND)))
    legs = {
        s.name: [x for x in s.variants[0].steps if isinstance(x, SeaLeg)] for s in model.streams
    }
    assert legs == {"east": [SeaLeg("AZALT", "KZAAU")], "west": [SeaLeg("KZAAU", "AZALT")]}
    r = simulate_replication(model, 3, 0, trace=True)
    delivered = [t for t in r.traces if t.delivered_h is not None]
    assert {t.stream for t in delivered} == {"east", "west"}
    for t in delivered:
        load = [(h, place) for h, code, place, _v, _u in t.milestones if code == "LOAD"]
        disc = [(h, place) for h, code, place, _v, _u in t.milestones if code == "DISC"]
        sail = [(h, place) for h, code, place, v, _u in t.milestones if code == "DEPA" and v]
        start, end = ("AZALT", "KZAAU") if t.stream == "east" else ("KZAAU", "AZALT")
        assert load
        assert {p for _h, p in load} == {start}
        assert disc
        assert {p for _h, p in disc} == {end}
        assert {p for _h, p in sail if p in (start, end)} == {start}
        assert max(h for h, _p in load) <= min(h for h, _p in disc)
    # the ferries carry cargo on both crossings
    loaded_from = {port for _line, port, _t, units, _s in r.departures if units}
    assert loaded_from == {"KZAAU", "AZALT"}


def test_trucks_ride_only_ro_ro_decks(make_network: Builder) -> None:
    """Trucks board the rail ferries (truck slots at the Ro-Pax ratio), never the container
    feeder that sails the same crossing; containers take either."""
    network = _with_feeder(make_network(1, railcars=28))
    boxes = {**TRUCKS, "name": "boxes", "unit": "container", "units_per_year": 3000}
    model = build_model(network, parse_experiment(_doc(TRUCKS, boxes)))
    ships = {s.name: s for line in model.lines for s in line.ships}
    assert ships["Ferry 0"] == Ship("Ferry 0", 28, 28, 25)
    assert ships["Feeder"] == Ship("Feeder", 100, 0, 0)
    r = simulate_replication(model, 5, 0, trace=True)
    vessels: dict[str, set[str]] = {"trucks": set(), "boxes": set()}
    for t in r.traces:
        vessels[t.stream] |= {v for _h, code, _p, v, _u in t.milestones if code == "LOAD"}
    assert vessels["trucks"] == {"Ferry 0"}
    assert vessels["boxes"] == {"Ferry 0", "Feeder"}


def test_trucks_without_a_ro_ro_deck_on_the_crossing_are_refused(make_network: Builder) -> None:
    """A truck stream over a crossing that only container ships sail has no route."""
    network = _with_feeder(make_network(1))
    network = dataclasses.replace(network, services=network.services[1:])
    with pytest.raises(NoRouteError):
        build_model(network, parse_experiment(_doc(TRUCKS)))


def test_ferries_berth_at_their_own_terminal(make_network: Builder,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With one cargo berth and a ferry berth at each port, the ferry and the feeder are at
    berth at Aktau at the same time; without the ferry berth they never are."""
    from midcorridor.sim.processes import sailing

    berthed: list[tuple[float, str, str]] = []  # (hour, vessel, port) of each loading at berth
    load_waiting = sailing._load_waiting

    def loading(ship: sailing.ShipState, port: sailing.PortState, now: float) -> None:
        berthed.append((now, ship.ship.name, port.id))
        load_waiting(ship, port, now)

    monkeypatch.setattr(sailing, "_load_waiting", loading)

    def overlap(ferry_berths: int) -> float:
        ports = {p: {"berths": 1, "ferry_berths": ferry_berths} for p in ("Aktau", "Alat")}
        boxes = {**WESTBOUND, "teu_per_year": 40_000}
        doc = _doc(boxes, ports=ports)
        model = build_model(_with_feeder(make_network(1)), parse_experiment(doc))
        berthed.clear()
        r = simulate_replication(model, 2, 0, trace=True)
        stays = {v: [(h, False) for h, name, p in berthed if name == v and p == "KZAAU"]
                 for v in ("Ferry 0", "Feeder")}
        for t in r.traces:
            for h, code, place, vessel, _u in t.milestones:
                if place == "KZAAU" and vessel in stays and code == "DEPA":
                    stays[vessel].append((h, True))
        # busy intervals: the first loading at the berth of a call up to its DEPA
        calls = {v: _calls(marks) for v, marks in stays.items()}
        return sum(
            max(0.0, min(b1, b2) - max(a1, a2))
            for a1, b1 in calls["Ferry 0"]
            for a2, b2 in calls["Feeder"]
        )

    assert overlap(1) > 0.0
    assert overlap(0) == 0.0


def _calls(marks: list[tuple[float, bool]]) -> list[tuple[float, float]]:
    out, start = [], None
    for h, departs in sorted(marks):
        if not departs and start is None:
            start = h
        elif departs and start is not None:
            out.append((start, h))
            start = None
    return out
