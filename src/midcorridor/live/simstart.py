"""The live corridor as the simulator's starting point ("what if, from now").

Each shipment the live state knows becomes a consignment under way in the simulation model:
it follows the path of a demand stream that passes where it is (preferring a stream to the
same destination, with the same kind of unit), cargo standing at a port keeps the hours it has
already waited, and every vessel starts where its last event put it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.crossing.model import UnitType
from midcorridor.live.state import AT_PORT
from midcorridor.sim.initial import CargoAt, InitialState, VesselAt
from midcorridor.sim.model import WAGON, LandLeg, SeaLeg, SimModel, Stream, TerminalStep

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from midcorridor.live.state import VesselState, Whereabouts


@dataclass(frozen=True)
class SimStart:
    """The starting state, and the shipments left out with the reason."""

    state: InitialState
    left_out: tuple[tuple[int, str], ...] = ()


def _places(stream: Stream) -> set[str]:
    out = set()
    for v in stream.variants:
        for step in v.steps:
            if isinstance(step, SeaLeg):
                out.add(step.origin)
            elif isinstance(step, TerminalStep):
                out.add(step.node_id)
            elif isinstance(step, LandLeg):
                out.add(step.head)
    return out


def _stream_for(model: SimModel, place: str, destination: str, wagons: bool) -> Stream | None:
    fits = [s for s in model.streams if place in _places(s) and (s.unit_kind == WAGON) == wagons]
    same = [s for s in fits if s.destination == destination]
    return (same or fits)[0] if fits else None


def _units(w: Whereabouts, stream: Stream) -> int:
    if w.unit_type is UnitType.TEU:
        return max(1, math.ceil(w.units / (stream.teu_per_unit or 2.0)))
    return max(1, w.units)


def sim_start(
    model: SimModel,
    whereabouts: Iterable[Whereabouts],
    destinations: Mapping[int, str],
    vessels: Iterable[VesselState] = (),
    *,
    at: datetime,
    demand: bool = True,
) -> SimStart:
    """The simulator's initial state from the live corridor at ``at``.

    ``destinations`` gives each shipment's destination. A shipment on a leg starts at the
    leg's end, due at its next Caspian port's estimate when that is where the leg ends, else
    at once.
    """
    cargo: list[CargoAt] = []
    left_out: list[tuple[int, str]] = []
    # By shipment id: the order a database returns its rows in (SQLite's rowid, PostgreSQL's
    # heap after updates) must not decide which random draws a shipment gets.
    for w in sorted(whereabouts, key=lambda w: w.shipment_id):
        place = w.place or (w.segment[1] if w.segment else "") or w.next_port
        if not place:
            continue
        wagons = w.unit_type is not UnitType.TEU
        stream = _stream_for(model, place, destinations.get(w.shipment_id, ""), wagons)
        if stream is None:
            left_out.append((w.shipment_id, f"no simulated path passes {place}"))
            continue
        waited = (at - w.since).total_seconds() / 3600 if w.place and w.since else 0.0
        eta = 0.0
        if not w.place and w.next_port == place and w.next_port_eta is not None:
            eta = max(0.0, (w.next_port_eta - at).total_seconds() / 3600)
        cargo.append(
            CargoAt(
                str(w.shipment_id), stream.name, _units(w, stream), place, eta, max(0.0, waited)
            )
        )
    ships: list[VesselAt] = []
    for v in vessels:
        line = next((ln for ln in model.lines if any(s.name == v.name for s in ln.ships)), None)
        if line is None or v.place not in line.stops:
            continue
        if v.status in AT_PORT:
            ships.append(VesselAt(v.name, v.place))
        elif v.status == "at_sea" and v.since is not None and len(line.stops) >= 2:
            i = line.stops.index(v.place)
            j = i + 1 if i + 1 < len(line.stops) else i - 1
            sailing = line.sailing[min(i, j)].mode
            gone = (at - v.since).total_seconds() / 3600
            ships.append(VesselAt(v.name, line.stops[j], max(0.0, sailing - gone)))
    return SimStart(InitialState(tuple(cargo), tuple(ships), demand), tuple(left_out))
