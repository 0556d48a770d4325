"""Event streams of simulated consignments, in the shape the transit service accepts.

A traced replication (see :func:`midcorridor.sim.processes.simulate_replication`) keeps each
consignment's milestones. Here they become the records an operator feed would carry:

- one ``shipment`` record per consignment: reference, owner, origin, destination, cargo (with
  ISO 6346 container numbers whose check digits are valid) and the planned legs at typical
  times, in the fields of the service's ``POST /shipments`` body;
- one ``event`` record per milestone, in the fields of ``POST /events`` (DCSA Track & Trace
  codes, place ids, train, truck and vessel ids) with the shipment's ``reference`` in place of
  its database id and the ``reporting_operator`` that would send it.

A truck (TIR) is reported as DCSA reports road transport: its number plate is the ``vehicle``
of its road moves and its trailer the equipment, numbered as ISO 6346 numbers trailers
(equipment category Z), so the trailer is the truck's ``cargo.containers`` entry and the
``equipment_reference`` of its gate, loading and discharge events.

Simulated hours are dated so that the end of the run falls on ``end`` (by default now): the
corridor as it would look today. Only consignments created after the warm-up are written.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from midcorridor.iso6346 import check_digit
from midcorridor.network.driving import road_leg_hours
from midcorridor.sim.model import (
    CONTAINER,
    TRUCK,
    WAGON,
    LandLeg,
    Line,
    SeaLeg,
    SimModel,
    TerminalStep,
    Variant,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from midcorridor.sim.result import ConsignmentTrace

# National railway undertakings that report train movements, by country code of the place.
RAILWAYS = {
    "CN": "China Railway",
    "KZ": "Kazakhstan Temir Zholy",
    "TM": "Turkmen Railways",
    "UZ": "Uzbekistan Railways",
    "KG": "Kyrgyz Railways",
    "AZ": "Azerbaijan Railways",
    "GE": "Georgian Railway",
    "TR": "TCDD Transport",
    "RU": "Russian Railways",
    "BG": "BDZ Cargo",
    "RO": "CFR Marfa",
}
# Owners of the simulated cargo (demo organizations): boxes from China belong to the shipper,
# the rest to the forwarder.
SHIPPER = "Xi'an Export Trading"
FORWARDER = "Caspian Forwarding Group"
# Container owner prefixes (BIC owner code + equipment category U) for the generated numbers.
CONTAINER_OWNERS = ("CSQU", "MSKU", "TGHU", "CAIU", "TCNU", "FCIU")
# Trailer owner prefixes (owner code + equipment category Z, trailers and chassis) of the
# simulated trucks' trailers (demo codes).
TRAILER_OWNERS = ("KTRZ", "ATLZ", "CSPZ", "TIRZ")
# The road haulier reporting the simulated trucks' road moves and gates (demo organization).
HAULIER = "Caspian TIR Carriers"
# EventCreate's event type of each milestone code.
EVENT_TYPES = {
    "ARRI": "TRANSPORT",
    "DEPA": "TRANSPORT",
    "GTIN": "EQUIPMENT",
    "GTOT": "EQUIPMENT",
    "LOAD": "EQUIPMENT",
    "DISC": "EQUIPMENT",
    "SUBM": "SHIPMENT",
    "RELS": "SHIPMENT",
}


def railway(place: str) -> str:
    """The railway reporting train movements at ``place`` (by its country code)."""
    country = place[:2]
    return RAILWAYS.get(country, f"{country} railways")


def port_operator(model: SimModel, place: str) -> str:
    """The port authority or terminal reporting at a seaport."""
    name = model.ports[place].name.split(" (")[0]
    return f"Port of {name}"


def reporting_places(model: SimModel) -> dict[str, set[str]]:
    """Every organization that reports on the model's paths, with the places it reports at:
    railways in their country, ports at themselves, shipping lines at their lines' stops, the
    road haulier along its trucks' paths.
    """
    out: dict[str, set[str]] = {}
    for stream in model.streams:
        places = {stream.origin, stream.destination}
        for variant in stream.variants:
            for step in variant.steps:
                if isinstance(step, LandLeg):
                    places.update((step.tail, step.head))
                elif isinstance(step, TerminalStep):
                    places.add(step.node_id)
                else:
                    places.update((step.origin, step.destination))
        trucks = stream.unit_kind == TRUCK
        if trucks:
            out.setdefault(HAULIER, set()).update(places)
        for place in places:
            if not trucks:
                out.setdefault(railway(place), set()).add(place)
            if place in model.ports:
                out.setdefault(port_operator(model, place), set()).add(place)
    for line in model.lines:
        out.setdefault(line.operator or "shipping line", set()).update(line.stops)
    return out


def container_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct ISO 6346 container numbers with correct check digits."""
    numbers: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        first = rng.choice(CONTAINER_OWNERS) + f"{rng.randrange(10**6):06d}"
        number = first + str(check_digit(first))
        if number not in numbers:
            numbers.add(number)
            out.append(number)
    return out


def trailer_number(rng: random.Random) -> str:
    """An ISO 6346 trailer number (equipment category Z) with a correct check digit."""
    first = rng.choice(TRAILER_OWNERS) + f"{rng.randrange(10**6):06d}"
    return first + str(check_digit(first))


def number_plate(rng: random.Random) -> str:
    """A number plate in the style of a Kazakh, Turkish or Azerbaijani lorry."""
    letters = "ABCDEFHKLMNPRSTUXYZ"
    country = rng.choice(("KZ", "TR", "AZ"))
    if country == "KZ":  # 123 ABC 12: number, letters, region
        series = "".join(rng.choices(letters, k=3))
        return f"{rng.randrange(1000):03d} {series} {rng.randrange(1, 20):02d}"
    if country == "TR":  # 34 ABC 123: province, letters, number
        series = "".join(rng.choices(letters, k=3))
        return f"{rng.randrange(1, 82):02d} {series} {rng.randrange(1000):03d}"
    series = "".join(rng.choices(letters, k=2))  # 10-AB-123: region, letters, number
    return f"{rng.randrange(10, 99)}-{series}-{rng.randrange(1000):03d}"


@dataclass(frozen=True)
class PortStay:
    """A consignment at a seaport: from its gate-in there until it first leaves (loaded
    aboard, or gone by land), ``left_h`` None while it is still there at the end of the run;
    ``amount`` is TEU for containers, else units.
    """

    port: str
    unit_kind: str
    amount: float
    arrived_h: float
    left_h: float | None


def port_stays(model: SimModel, traces: Iterable[ConsignmentTrace]) -> list[PortStay]:
    """Where the traced consignments waited at seaports, as the transit service counts
    waiting from their events: from the gate-in at a port until the first loading, departure
    or gate-out there.
    """
    stays = []
    for trace in traces:
        amount = trace.teu if trace.unit_kind == CONTAINER else float(trace.units)
        arrived: dict[str, float] = {}
        left: dict[str, float] = {}
        for hour, code, place, _vehicle, _units in trace.milestones:
            if place not in model.ports:
                continue
            if code == "GTIN":
                arrived.setdefault(place, hour)
            elif code in ("LOAD", "DEPA", "GTOT") and place in arrived:
                left.setdefault(place, hour)
        stays += [PortStay(p, trace.unit_kind, amount, h, left.get(p)) for p, h in arrived.items()]
    return stays


@dataclass(frozen=True)
class Stop:
    """A place where a planned leg ends, and the typical hours spent there before going on."""

    place: str
    mode: str  # of the leg that ends here
    travel_h: float
    stay_h: float


def line_mode(line: Line | None) -> str:
    """``ferry`` on a line whose vessels take railcars, ``sea`` on a container line."""
    return "ferry" if line is None or any(s.railcars for s in line.ships) else "sea"


def sea_mode(model: SimModel, leg: SeaLeg) -> str:
    """The mode of a sea leg: that of the first line serving both ports."""
    line = next(
        (ln for ln in model.lines if leg.origin in ln.stops and leg.destination in ln.stops),
        None,
    )
    return line_mode(line)


def _sailing_h(model: SimModel, leg: SeaLeg) -> float:
    for line in model.lines:
        if leg.origin in line.stops and leg.destination in line.stops:
            a, b = sorted((line.stops.index(leg.origin), line.stops.index(leg.destination)))
            return sum(d.mode for d in line.sailing[a:b])
    return 24.0


def planned_stops(model: SimModel, variant: Variant, land: str = "rail") -> list[Stop]:
    """The places of a variant where events are reported, with typical times between them;
    ``land`` is the mode of its land legs (``road`` for trucks).
    """
    stops: list[Stop] = []
    travel = 0.0
    driven = 0.0  # hours driven on the road so far (drivers' hours rule)
    for step in variant.steps:
        if not (isinstance(step, LandLeg) and step.by_truck):
            driven = 0.0
        if isinstance(step, LandLeg):
            if step.by_truck:
                travel += road_leg_hours(driven, step.hours.mode)
                driven += step.hours.mode
            else:
                travel += step.hours.mode
            if step.dwell is not None:
                stops.append(Stop(step.head, land, travel, step.dwell.mode))
                travel = 0.0
        elif isinstance(step, TerminalStep):
            handling = model.terminals[step.node_id].handling.mode
            if stops and travel == 0.0 and stops[-1].place == step.node_id:
                last = stops.pop()
                stops.append(Stop(last.place, last.mode, last.travel_h, last.stay_h + handling))
            else:
                stops.append(Stop(step.node_id, land, travel, handling))
            travel = 0.0
        else:
            origin = model.ports[step.origin].handling.mode
            if travel > 0.0 or not stops or stops[-1].place != step.origin:
                stops.append(Stop(step.origin, land, travel, origin))
            else:
                last = stops.pop()
                stops.append(Stop(last.place, last.mode, last.travel_h, last.stay_h + origin))
            stops.append(
                Stop(
                    step.destination,
                    sea_mode(model, step),
                    _sailing_h(model, step),
                    model.ports[step.destination].handling.mode,
                )
            )
            travel = 0.0
    if travel > 0.0 or not stops:
        stops.append(Stop("", land, travel, 0.0))  # the destination, filled in by the caller
    return stops


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _legs(
    model: SimModel, trace: ConsignmentTrace, origin: str, destination: str, start: datetime
) -> list[dict[str, Any]]:
    legs = []
    here, t = origin, start
    land = "road" if trace.unit_kind == TRUCK else "rail"
    for stop in planned_stops(model, trace.variant, land):
        place = stop.place or destination
        if place == here:
            t += timedelta(hours=stop.travel_h + stop.stay_h)
            continue
        arrive = t + timedelta(hours=stop.travel_h)
        legs.append(
            {
                "origin": here,
                "destination": place,
                "mode": stop.mode,
                "planned_depart": _iso(t),
                "planned_arrive": _iso(arrive),
            }
        )
        here, t = place, arrive + timedelta(hours=stop.stay_h)
    if here != destination:
        legs.append(
            {
                "origin": here,
                "destination": destination,
                "mode": land,
                "planned_depart": _iso(t),
                "planned_arrive": _iso(t),
            }
        )
    return legs


def _equipment(rng: random.Random, trace: ConsignmentTrace) -> tuple[str, list[str], str]:
    """What the consignment's units are called, their equipment numbers (none for wagons)
    and, for trucks, the truck's number plate.
    """
    if trace.unit_kind == WAGON:
        return "wagons", [], ""
    if trace.unit_kind == TRUCK:
        trailers = [trailer_number(rng) for _ in range(trace.units)]
        return "trucks", trailers, number_plate(rng)
    return "containers", container_numbers(rng, trace.units), ""


def _aboard(
    model: SimModel, code: str, place: str, vessel: str, equipment: list[str]
) -> dict[str, Any]:
    """Who reports a vessel's event at ``place`` and how: the line when it sails or arrives,
    the port when it loads or discharges (naming the first unit it handles, ``equipment``).
    """
    if code in ("ARRI", "DEPA"):
        line = next((ln for ln in model.lines
                     if place in ln.stops and any(s.name == vessel for s in ln.ships)), None)
        operator = line.operator if line is not None and line.operator else "shipping line"
        return {"mode": line_mode(line), "reporting_operator": operator}
    handled = {"equipment_reference": equipment[0]} if equipment else {}
    return {"reporting_operator": port_operator(model, place), **handled}


def _event(reference: str, k: int, code: str, when: datetime, place: str) -> dict[str, Any]:
    """What every event record says: shipment, id, type and code, when and where."""
    return {
        "record": "event",
        "shipment": reference,
        "event_id": f"{reference}/{k:03d}",
        "event_type": EVENT_TYPES[code],
        "event_code": code,
        "classifier": "ACT",
        "event_time": _iso(when),
        "location": place,
    }


def _on_road(model: SimModel, code: str, place: str, plate: str, trailer: str) -> dict[str, Any]:
    """Who reports a truck's event and how: the haulier on the road, a port at its gates."""
    gate = place in model.ports and code in ("GTIN", "GTOT")
    reported = {"reporting_operator": port_operator(model, place) if gate else HAULIER}
    if code in ("ARRI", "DEPA"):
        return reported | {"vehicle": f"truck {plate}", "mode": "road"}
    return reported | {"equipment_reference": trailer, "description": f"truck {plate}"}


def _by_rail(
    model: SimModel, code: str, place: str, train: str, first: list[str], what: str
) -> dict[str, Any]:
    """Who reports a train's event and how: the railway on the line, the port or the railway
    at the gate of a port or terminal (naming the ``first`` unit, if numbered, and ``what``).
    """
    if code in ("ARRI", "DEPA"):
        return {"reporting_operator": railway(place), "vehicle": f"train {train}", "mode": "rail"}
    operator = port_operator(model, place) if place in model.ports else railway(place)
    handled = {"equipment_reference": first[0]} if first else {}
    return {"reporting_operator": operator, **handled, "description": what}


def consignment_records(
    model: SimModel,
    trace: ConsignmentTrace,
    *,
    start: datetime,
    reference: str,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """The shipment record of one consignment followed by its event records.

    ``start`` is the date of simulated hour 0.
    """
    stream = model.streams_by_name[trace.stream]
    kind, equipment, plate = _equipment(random.Random(f"{reference}/{seed}"), trace)
    trucks = trace.unit_kind == TRUCK
    owner = SHIPPER if stream.origin.startswith("CN") and kind == "containers" else FORWARDER
    created = start + timedelta(hours=trace.created_h)
    records: list[dict[str, Any]] = [{
        "record": "shipment",
        "reference": reference,
        "owner": owner,
        "origin": stream.origin,
        "destination": stream.destination,
        "cargo": {"units": trace.units, "teu": trace.teu, "containers": equipment},
        "legs": _legs(model, trace, stream.origin, stream.destination, created),
    }]
    segment = 1
    loaded = discharged = 0  # units of the consignment loaded and discharged so far
    train = f"{stream.origin[:2]}-{1000 + trace.id}/{segment}"
    for k, (hour, code, place, vehicle, units) in enumerate(trace.milestones):
        event = _event(reference, k, code, start + timedelta(hours=hour), place)
        at_port = place in model.ports
        if code in ("SUBM", "RELS"):
            done = "lodged" if code == "SUBM" else "released"
            event |= {"document_type": "CUS", "reporting_operator": owner,
                      "description": f"customs declaration {done}"}
        elif vehicle:  # aboard a vessel: loading, sailing, arriving, discharging
            first = loaded if code == "LOAD" else discharged
            if code == "LOAD":
                loaded += units
            elif code == "DISC":
                discharged += units
            event |= {"vehicle": vehicle, "description": f"{units} of {trace.units} {kind}"}
            event |= _aboard(model, code, place, vehicle, equipment[first:first + 1] or
                             equipment[-1:])
        elif trucks:
            event |= _on_road(model, code, place, plate, equipment[0])
        else:
            if code == "GTOT" and at_port:
                segment += 1
                train = f"{place[:2]}-{1000 + trace.id}/{segment}"
            event |= _by_rail(model, code, place, train, equipment[:1], f"{trace.units} {kind}")
        records.append(event)
    return records


CLOSURE_CAUSES = {
    "storm": "storm: the port is closed to shipping",
    "closure": "the port is closed to shipping",
}
"""The reason a port authority's notice gives, by the cause of the simulated closure."""


def closure_records(
    model: SimModel,
    closures: Iterable[tuple[str, float, float, str]],
    *,
    start: datetime,
    prefix: str,
) -> list[dict[str, Any]]:
    """The notices of the Caspian ports' closures that end after the warm-up, as each port's
    authority posts them when the port closes (``start`` is the date of simulated hour 0):
    ``place``, ``start``, ``end`` (when it expects to reopen: the simulated reopening) and
    ``reason``, the fields of ``POST /crossing/closures``, with a ``notice_id`` and the
    ``reporting_operator``.
    """
    out: list[dict[str, Any]] = []
    for port, from_h, until_h, cause in sorted(closures, key=lambda c: (c[1], c[0])):
        if port not in model.ports or not model.ports[port].caspian or until_h <= model.warmup_h:
            continue
        notice = f"{prefix}-C{len(out) + 1:04d}"
        out.append({
            "record": "closure",
            "notice_id": notice,
            "place": port,
            "start": _iso(start + timedelta(hours=from_h)),
            "end": _iso(start + timedelta(hours=until_h)),
            "reason": f"{CLOSURE_CAUSES.get(cause, CLOSURE_CAUSES['closure'])} (notice {notice})",
            "reporting_operator": port_operator(model, port),
        })
    return out


MOVEMENTS = {"ARRI": ("ARRI", "arrived, at anchorage", "anchorage"),
             "BRTH": ("ARRI", "at berth", "berth"), "DEPA": ("DEPA", "sailed", None)}
"""How a vessel call report gives each of the simulator's ship movements: the DCSA transport
event code, its description and where the vessel arrived (the service's ``facility``: at
anchorage, at the berth)."""


def movement_records(
    model: SimModel,
    movements: Iterable[tuple[str, str, str, float]],
    *,
    start: datetime,
    prefix: str,
) -> list[dict[str, Any]]:
    """The Caspian vessels' own movements after the warm-up, laden or empty, as the ports'
    vessel call reports give them (``start`` is the date of simulated hour 0): transport
    events with the vessel as ``vehicle`` and no shipment, for its arrival at anchorage, its
    berthing (with the ``facility`` it arrived at) and its sailing.
    """
    out: list[dict[str, Any]] = []
    line_at = {(s.name, stop): ln for ln in reversed(model.lines)
               for s in ln.ships for stop in ln.stops}  # the first line calling there wins
    for vessel, move, port, hour in movements:
        place = model.ports.get(port)
        if place is None or not place.caspian or hour < model.warmup_h or move not in MOVEMENTS:
            continue
        code, what, facility = MOVEMENTS[move]
        line = line_at.get((vessel, port))
        out.append(_event("", 0, code, start + timedelta(hours=hour), port) | {
            "shipment": "", "event_id": f"{prefix}-V{len(out) + 1:06d}", "vehicle": vessel,
            "mode": line_mode(line), "reporting_operator": port_operator(model, port),
            "description": f"{vessel} {what}"} | ({"facility": facility} if facility else {}))
    return out


def event_stream(
    model: SimModel,
    traces: Iterable[ConsignmentTrace],
    *,
    end: datetime | None = None,
    seed: int = 0,
    prefix: str | None = None,
    trucks: bool = True,
    closures: Iterable[tuple[str, float, float, str]] = (),
    movements: Iterable[tuple[str, str, str, float]] = (),
) -> Iterator[dict[str, Any]]:
    """Shipment and event records of the consignments created after the warm-up.

    The single trucks on the Ro-Ro decks are among them (one shipment each, many times the
    number of trains and wagon groups: they share the decks of the Kuryk and Alat ferries
    with the wagons); ``trucks=False`` leaves them out. The run's last hour is dated ``end``
    (default: now, to the minute).
    Shipment references are ``PREFIX-NNNNNN`` with the prefix
    ``SIM-<experiment>-<end date>-<seed>`` by default. ``closures`` (a replication's
    :attr:`~midcorridor.sim.result.ReplicationResult.closures`) become the ports' closure
    notices (:func:`closure_records`), written after the shipments. ``movements`` (a traced
    replication's :attr:`~midcorridor.sim.result.ReplicationResult.movements`) become the
    vessels' own call reports (:func:`movement_records`).
    """
    end = (end or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    start = end - timedelta(hours=model.horizon_h)
    name = "".join(ch if ch.isalnum() else "-" for ch in model.name)[:40]
    prefix = prefix or f"SIM-{name}-{end:%Y%m%d%H%M}-{seed}"
    for trace in traces:
        if trace.created_h < model.warmup_h or (trace.unit_kind == TRUCK and not trucks):
            continue
        yield from consignment_records(
            model, trace, start=start, reference=f"{prefix}-{trace.id:06d}", seed=seed
        )
    yield from closure_records(model, closures, start=start, prefix=prefix)
    yield from movement_records(model, movements, start=start, prefix=prefix)


def write_events(path: Path, records: Iterable[dict[str, Any]]) -> tuple[int, int, int]:
    """Write shipment records first, then closure notices by start, then events in event-time
    order, one JSON object a line.

    Returns the numbers of shipments, closure notices and events written.
    """
    shipments: list[dict[str, Any]] = []
    closures: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for record in records:
        kind = record["record"]
        (shipments if kind == "shipment" else closures if kind == "closure" else events
         ).append(record)
    closures.sort(key=lambda c: (c["start"], c["notice_id"]))
    events.sort(key=lambda e: (e["event_time"], e["event_id"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in (*shipments, *closures, *events):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return len(shipments), len(closures), len(events)
