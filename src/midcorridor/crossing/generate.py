"""Realistic crossing instances built from the data set's Caspian services and published volumes.

Volumes (both directions together, per year), as published:

- containers: ~77,000 TEU across the Caspian in 2025 (Ministry of Transport of Kazakhstan via
  report.az, "Container traffic on Trans-Caucasian Int'l Transport Route to grow to 300,000 TEU
  by 2029", 2026-03-10, https://report.az/en/infrastructure/container-traffic-on-trans-caucasian-int-l-transport-route-to-grow-to-300-000-teu-by-2029);
- railcars: 18,428 wagons per half-year by ASCO ferries ("ASCO first-half results", banker.az,
  n.d., https://banker.az/?p=439614), i.e. ~36,900 a year;
- vehicles: 17,618 per half-year (same source); we assume 40 % are freight trucks.

Assumptions (no published figure found): 80 % of the cargo moves westbound (OECD, "Realising the
Potential of the Middle Corridor", 2023-12: W->E flows "insignificant"); railcars and TEU arrive
in block trains of ~57 units (55-62 containers per train, menafn 2024); trucks arrive alone or in
small convoys; 5 % of bookings are dangerous goods; priorities 1/2/3 with shares 70/20/10 %;
due 72 h after ready. Storm closures of 1-3 days (published stoppages of about 5 days: sea-news.az
2022-05-09, azernews 2025-02-10).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import numpy as np
import yaml

from midcorridor.crossing.model import (
    Booking,
    Capacity,
    Closure,
    CrossingInstance,
    Port,
    Sailing,
    UnitType,
    Vessel,
)
from midcorridor.crossing.ports import KM_PER_NM, CaspianPorts
from midcorridor.network.model import Network, Service, VesselKind
from midcorridor.network.seas import is_caspian_port

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

UNITS_PER_YEAR = {UnitType.TEU: 77_000.0, UnitType.RAILCAR: 2 * 18_428.0,
                  UnitType.TRUCK: 0.4 * 2 * 17_618.0}
WESTBOUND = 0.8
TRAIN_UNITS = 57
BERTHS = {"KZKUR": 4, "AZALT": 3}  # Kuryk: 4 berths (data set notes); Alat: assumption
DANGEROUS_LIMIT = 10  # units per sailing: assumption
DEFAULT_START = datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=4)))


@dataclass(frozen=True)
class GeneratorParams:
    """What a generated instance looks like; printed by the benchmark."""

    days: float = 14.0
    seed: int = 0
    volume_scale: float = 1.0
    bookings: int | None = None  # split trains into more consignments to reach this count
    ports: tuple[str, ...] = ()  # restrict to services among these ports (empty: all)
    vessels: int | None = None  # keep at most this many vessels
    storms: int = 1


def caspian_services(network: Network, ports: Sequence[str] = ()) -> list[Service]:
    """Ferry and container services whose calls are all Caspian ports (among ``ports``)."""
    out = []
    for s in network.services:
        if s.kind.value == "block_train" or not s.vessels:
            continue
        if all(is_caspian_port(network.nodes[p]) and (not ports or p in ports) for p in s.route):
            out.append(s)
    return out


def generate_instance(network: Network, params: GeneratorParams = GeneratorParams(), *,
                      start: datetime = DEFAULT_START) -> CrossingInstance:
    """A seeded instance: vessels, ports and sailings from the services, bookings from volumes."""
    rng = np.random.default_rng(params.seed)
    places = CaspianPorts(network)
    horizon = params.days * 24.0
    full = _lanes(caspian_services(network), None)
    services = caspian_services(network, params.ports)
    vessels: list[Vessel] = []
    sailings: list[Sailing] = []
    lanes: dict[tuple[str, str, UnitType], float] = {}  # capacity per day, to share volumes
    for s in services:
        a, b = s.route[0], s.route[-1]
        crossing = s.crossing_h.typ if s.crossing_h else 22.0
        speed = places.distance_nm(a, b) / crossing
        fleet = [v for v in s.vessels if v.kind is not VesselKind.TRAIN]
        for i, v in enumerate(fleet):
            if params.vessels is not None and len(vessels) >= params.vessels:
                break
            vessels.append(Vessel(
                f"{s.id}-{i + 1}", v.name, v.kind, v.deck,
                round(speed, 1), a if i % 2 == 0 else b, float(rng.integers(0, 24)),
                None if v.kind is VesselKind.CONTAINER_SHIP else DANGEROUS_LIMIT))
        mine = [v for v in vessels if v.id.startswith(f"{s.id}-")]
        if not mine:
            continue
        headway = s.departures.headway_h or 24.0
        for o, d, phase in ((a, b, 0.0), (b, a, headway / 2)):
            t, k = float(round(rng.uniform(0, headway) + phase)), 0
            while t < horizon:
                ship = mine[k % len(mine)]
                sailings.append(Sailing(f"{s.id}-{o}-{len(sailings) + 1}", ship.id, o, d, t,
                                        t + crossing, ship.capacity, ship.dangerous_limit))
                t, k = t + headway, k + 1
            for u in UnitType:
                per_day = sum(m.capacity.of(u) for m in mine) / len(fleet) * 24 / headway
                if per_day:
                    lanes[(o, d, u)] = lanes.get((o, d, u), 0.0) + per_day
    used = sorted({p for s in services for p in s.route})
    ports = {p: Port(p, places.name(p), BERTHS.get(p, 2), places.handling_h(p)) for p in used}
    for _ in range(params.storms if used else 0):
        p = used[int(rng.integers(len(used)))]
        begin = float(round(rng.uniform(0.2, 0.7) * horizon))
        old = ports[p]
        if any(c.start < begin + 72 and begin < c.end for c in old.closures):
            continue
        ports[p] = Port(p, old.name, old.berths, old.handling_h,
                        (*old.closures, Closure(p, begin, begin + 24.0 * rng.integers(1, 4))))
    bookings = _bookings(rng, lanes, full, params, horizon, network)
    # sailings that would leave or arrive during a storm are cancelled
    sailings = [s for s in sailings if not ports[s.origin].closed_at(s.departure)
                and not ports[s.destination].closed_at(s.arrival)]
    return CrossingInstance(start, horizon, tuple(bookings), tuple(vessels), ports,
                            tuple(sorted(sailings, key=lambda s: (s.departure, s.id))),
                            places.distances_nm(used))


Lanes = dict[tuple[str, str, UnitType], float]


def _lanes(services: list[Service], limit: int | None) -> Lanes:
    """Capacity per day of each (origin, destination, unit type) with the whole fleet."""
    lanes: Lanes = {}
    for s in services:
        a, b = s.route[0], s.route[-1]
        fleet = [v for v in s.vessels if v.kind is not VesselKind.TRAIN]
        headway = s.departures.headway_h or 24.0
        for o, d in ((a, b), (b, a)):
            for u in UnitType:
                total = sum(v.deck.of(u) for v in fleet)
                per_day = total / max(1, len(fleet)) * 24 / headway
                if per_day:
                    lanes[(o, d, u)] = lanes.get((o, d, u), 0.0) + per_day
    return lanes


def _bookings(rng: np.random.Generator, lanes: Lanes, full: Lanes,
              params: GeneratorParams, horizon: float, network: Network) -> list[Booking]:
    # expected units per lane over the horizon, and the arrival groups (trains, truck convoys)
    groups: list[tuple[str, str, UnitType, float, int]] = []  # lane, ready, units
    for u, per_year in UNITS_PER_YEAR.items():
        total = per_year / 365.0 * params.days * params.volume_scale
        for (o, d, unit), cap in lanes.items():
            if unit != u:
                continue
            west = network.nodes[o].lon > network.nodes[d].lon
            # this lane's share of the whole Caspian fleet's capacity in its direction
            share = cap / sum(c for (oo, dd, uu), c in full.items() if uu == u and
                              (network.nodes[oo].lon > network.nodes[dd].lon) == west)
            units = total * (WESTBOUND if west else 1 - WESTBOUND) * share
            size = 3 if u is UnitType.TRUCK else TRAIN_UNITS
            for _ in range(int(rng.poisson(units / size))):
                ready = float(round(rng.uniform(0, horizon * 0.85)))
                n = size if u is not UnitType.TRUCK else int(rng.integers(1, 6))
                groups.append((o, d, u, ready, n))
    trains = sum(1 for g in groups if g[2] is not UnitType.TRUCK)
    split = 0.0  # consignments per train; 0: 2 to 6 at random
    if params.bookings and trains:
        split = max(1.0, (params.bookings - (len(groups) - trains)) / trains)
    out: list[Booking] = []
    for o, d, u, ready, n in groups:
        if u is UnitType.TRUCK:
            parts = 1
        elif split:
            parts = max(1, min(n, int(split) + int(rng.random() < split - int(split))))
        else:
            parts = int(rng.integers(2, 7))
        cuts = np.sort(rng.choice(np.arange(1, n), size=parts - 1, replace=False)) if parts > 1 \
            else np.array([], dtype=int)
        sizes = np.diff(np.concatenate([[0], cuts, [n]])).astype(int)
        for size in sizes:
            prio = float(rng.choice([1.0, 2.0, 3.0], p=[0.7, 0.2, 0.1]))
            out.append(Booking(
                f"B{len(out) + 1:05d}", int(size), u, o, d, float(ready),
                float(math.ceil((ready + 72.0) / 6.0) * 6.0), prio,
                whole=bool(u is UnitType.TRUCK and rng.random() < 0.2),
                dangerous=bool(u is not UnitType.TEU and rng.random() < 0.05)))
    return out


def write_instance(instance: CrossingInstance, directory: Path) -> tuple[Path, Path]:
    """Write ``bookings.csv`` and ``fleet.yaml`` that :func:`io.load_instance` reads back."""
    directory.mkdir(parents=True, exist_ok=True)
    bookings_path, fleet_path = directory / "bookings.csv", directory / "fleet.yaml"
    with bookings_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "units", "unit_type", "origin", "destination", "ready", "due",
                    "priority", "whole", "dangerous"])
        for b in instance.bookings:
            w.writerow([b.id, b.units, b.unit_type.value, b.origin, b.destination,
                        instance.at(b.ready).isoformat(),
                        instance.at(b.due).isoformat() if b.due is not None else "",
                        f"{b.priority:g}", "yes" if b.whole else "no",
                        "yes" if b.dangerous else "no"])

    def cap(c: Capacity) -> dict[str, int]:
        return {k: c.of(UnitType(k)) for k in ("railcar", "teu", "truck") if c.of(UnitType(k))}

    doc = {
        "start": instance.start.isoformat(),
        "horizon_h": instance.horizon_h,
        "costs": {"left_behind_h": instance.costs.left_behind_h,
                  "lateness_weight": instance.costs.lateness_weight,
                  "sailing_h": instance.costs.sailing_h},
        "ports": [{"id": p.id, "berths": p.berths, "handling_h": p.handling_h,
                   "closures": [{"start": instance.at(c.start).isoformat(),
                                 "end": instance.at(c.end).isoformat()} for c in p.closures]}
                  for p in instance.ports.values()],
        "vessels": [{"id": v.id, "name": v.name, "type": v.kind.value,
                     "capacity": cap(v.capacity), "speed_kn": v.speed_kn,
                     "available_at": v.available_at,
                     "available_from": instance.at(v.available_from).isoformat(),
                     **({"dangerous_limit": v.dangerous_limit}
                        if v.dangerous_limit is not None else {})}
                    for v in instance.vessels],
        "sailings": [{"id": s.id, "vessel": s.vessel, "from": s.origin, "to": s.destination,
                      "departure": instance.at(s.departure).isoformat(),
                      "arrival": instance.at(s.arrival).isoformat()}
                     for s in instance.sailings],
    }
    fleet_path.write_text(
        "# Generated by `midcorridor optimize generate`; read by midcorridor.crossing.io\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return bookings_path, fleet_path


KM_PER_NM_ = KM_PER_NM  # re-exported for callers converting distances
