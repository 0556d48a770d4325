"""Compile a network and an experiment into a :class:`SimModel`.

Calibration comes from the data set, link by link: running times and dwell from
``Link.hours``/``Link.dwell``, terminal handling from ``Node.handling_h`` and capacity, sailings
from ``services.yaml`` (fleet, crossing time, headway). Defaults used where the data set is
silent are named here with their source.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from midcorridor.errors import InputError, NoRouteError
from midcorridor.network.model import Mode, NodeKind, ServiceKind
from midcorridor.network.places import find_place
from midcorridor.network.seas import on_caspian, port_handling_h
from midcorridor.routing.plan import fastest_path
from midcorridor.sim.experiment import ExperimentSpec, PortChange, StreamSpec, TerminalChange
from midcorridor.sim.model import (
    CONTAINER,
    TRUCK,
    WAGON,
    Dist,
    LandLeg,
    Line,
    SeaLeg,
    Ship,
    SimModel,
    SimPort,
    Step,
    Storms,
    Stream,
    Terminal,
    TerminalStep,
    Variant,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from midcorridor.network.model import Arc, Link, Network, Node, Service

# Spread of a vessel call around its typical handling time: 0.6x..1.5x puts Baku's 20.1 h
# average under the 30 h protocol maximum (assumption).
HANDLING_SPREAD = (0.6, 1.5)
# Berths per port when the experiment does not say: Aktau has 3 dry-cargo berths (Astana Times,
# 2024-09-26), Alat 3 container berths (Trend, 2025-06-03); Kuryk 2 rail piers (sea-news.az,
# 2019-12-18). Elsewhere 2 (assumption).
DEFAULT_BERTHS = 2
# A block train carries ~100 TEU (news.az, 2024-09-20: 300 trains ~ 30,000 TEU): used to turn
# a terminal capacity in TEU per day into trains handled at once.
TEU_PER_TRAIN = 100.0
SEA_MODES = (Mode.SEA, Mode.FERRY)
# A ferry call (Ro-Ro lines): rail ferry turnaround 6-8 h single-deck, 10-12 h two-deck at Kuryk
# (Astana Times, 2021-08, S014); taken at every ferry berth (assumption: the same linkspan work)
# unless the scenario sets the port's handling time, which then holds for every call.
FERRY_TURNAROUND = Dist(6.0, 8.0, 12.0)
# The paths are the planner's fastest routes for a departure on a Monday at 00:00 UTC (the
# timetables repeat weekly; 2024 is the baseline's year).
ROUTE_DEPARTURE = datetime(2024, 1, 1, tzinfo=UTC)


def _spread(low: float, typ: float, high: float) -> Dist:
    return Dist(low, typ, high)


def _handling(hours: float) -> Dist:
    return Dist(hours * HANDLING_SPREAD[0], hours, hours * HANDLING_SPREAD[1])


def _lines(network: Network, spec: ExperimentSpec) -> tuple[Line, ...]:
    removed = set(spec.remove_ships)
    lines = []
    known = {s.id for s in network.services}
    for added in spec.add_ships:
        if added.line not in known:
            raise InputError(
                f"{spec.source}: fleet.add: unknown line {added.line!r}; "
                f"lines in the data set: {', '.join(sorted(known))}"
            )
    for service in network.services:
        if service.kind is ServiceKind.BLOCK_TRAIN:
            continue
        route = service.route
        stops = tuple(s for s in route if network.node(s).kind is not NodeKind.SEA_WAYPOINT)
        sailing = []
        positions = [route.index(s) for s in stops]
        for a, b in zip(positions, positions[1:], strict=False):
            if len(route) == 2 and service.crossing_h is not None:
                c = service.crossing_h
                sailing.append(_spread(c.min, c.typ, c.max))
                continue
            low = typ = high = 0.0
            for u, v in zip(route[a:b], route[a + 1 : b + 1], strict=False):
                link = next((arc.link for arc in network.arcs_from(u) if arc.head == v), None)
                if link is None:
                    raise InputError(f"service {service.id}: no link between {u} and {v}")
                low, typ, high = low + link.hours.min, typ + link.hours.typ, high + link.hours.max
            sailing.append(_spread(low, typ, high))
        dep = service.departures
        headway = dep.headway_h or (168.0 / len(dep.weekdays) if dep.weekdays else 84.0)
        line_change = spec.lines.get(service.id)
        if line_change is not None and line_change.headway_h is not None:
            headway = line_change.headway_h
        ships = [
            Ship.on_deck(v.name, v.deck)
            for v in service.vessels
            if v.name not in removed
        ]
        if not service.vessels:  # a scheduled line without fleet data: one roomy sailing
            ships = [Ship(f"{service.id} sailing", 100_000, 100_000)]
        ships += [
            a.ship()
            for a in spec.add_ships
            if a.line == service.id
        ]
        if ships and len(stops) >= 2:
            lines.append(
                Line(
                    service.id,
                    service.name,
                    stops,
                    tuple(sailing),
                    headway,
                    tuple(ships),
                    service.operator,
                    service.kind is ServiceKind.FERRY,
                )
            )
    return tuple(lines)


def _carries(ship: Ship, unit: str) -> bool:
    """Whether ``ship`` has deck room for ``unit`` (a wagon or truck needs its own slot)."""
    return bool(ship.railcars if unit == WAGON else ship.trucks if unit == TRUCK else ship.slots)


def _served(lines: tuple[Line, ...], a: str, b: str, unit: str = CONTAINER) -> bool:
    return any(
        a in ln.stops and b in ln.stops and any(_carries(s, unit) for s in ln.ships)
        for ln in lines
    )


def _allowed(lines: tuple[Line, ...], unit: str) -> Callable[[Link, Service | None], bool]:
    """Which links (on which service) a path for ``unit`` may take."""
    carriers = {ln.id for ln in lines if any(_carries(ship, unit) for ship in ln.ships)}

    def allowed(link: Link, service: Service | None) -> bool:
        if link.mode not in SEA_MODES:
            # trucks keep to roads; containers ride block trains, wagons are wagons
            return (link.mode is Mode.ROAD) == (unit == TRUCK)
        # containers may cross on any sailing; wagons and trucks on a line with deck room
        return unit == CONTAINER or (service is not None and service.id in carriers)

    return allowed


def _steps(
    network: Network,
    arcs: list[Arc],
    lines: tuple[Line, ...],
    unit: str,
    spec: ExperimentSpec,
    places: dict[str, str],
    names: dict[str, str],
) -> tuple[Step, ...]:
    steps: list[Step] = []
    sea_ends: set[str] = set()
    i = 0
    while i < len(arcs):
        arc = arcs[i]
        if arc.link.mode in SEA_MODES:
            j = i
            while (
                network.node(arcs[j].head).kind is NodeKind.SEA_WAYPOINT
                and j + 1 < len(arcs)
                and arcs[j + 1].link.mode in SEA_MODES
            ):
                j += 1
            a, b = arc.tail, arcs[j].head
            if _served(lines, a, b, unit):
                steps.append(SeaLeg(a, b))
                sea_ends.update((a, b))
                places[a] = "port"
                i = j + 1
                continue
        link = arc.link
        dwell = None
        place = ""
        if link.dwell.max > 0:
            at = spec.dwell_places
            factor = spec.dwell_scale * at.get(link.id, at.get(arc.head, at.get(arc.tail, 1.0)))
            dwell = _spread(link.dwell.min, link.dwell.typ, link.dwell.max).scaled(factor)
            place = link.id
            places[place] = "gauge" if link.gauge_change else "border" if link.border else "dwell"
            names[place] = f"{network.node(link.origin).name}-{network.node(link.destination).name}"
        steps.append(
            LandLeg(
                link.id,
                arc.tail,
                arc.head,
                _spread(link.hours.min, link.hours.typ, link.hours.max),
                dwell,
                place,
                by_truck=link.mode is Mode.ROAD,
            )
        )
        i += 1
    # Terminal handling at every node passed (not the origin) that has a handling time,
    # unless vessels handle the cargo there.
    out: list[Step] = []
    for step in steps:
        out.append(step)
        head = step.head if isinstance(step, LandLeg) else None
        if head and head not in sea_ends and network.node(head).handling_h:
            out.append(TerminalStep(head))
    return tuple(out)


def _terminal(node: Node, spec: ExperimentSpec, teu_per_consignment: float) -> Terminal:
    change = spec.terminals.get(node.id, TerminalChange())
    hours = change.handling_h if change.handling_h is not None else node.handling_h or 0.0
    servers: int | None = None
    cap = node.capacity
    if cap is not None and hours > 0:
        per_day = {
            "trains_per_day": cap.value,
            "teu_per_day": cap.value / teu_per_consignment,
            "teu_per_year": cap.value / 365.0 / teu_per_consignment,
            "wagons_per_day": cap.value / 50.0,
        }.get(cap.unit)
        if per_day is not None:
            servers = max(1, math.ceil(per_day * hours / 24.0))
    if change.servers is not None:
        servers = change.servers
    return Terminal(node.id, node.name, _handling(hours), servers)


def _stream(
    network: Network, s: StreamSpec, spec: ExperimentSpec, lines: tuple[Line, ...],
    places: dict[str, str], names: dict[str, str], terminals: dict[str, Terminal],
) -> Stream:
    """The stream ``s`` with a route variant per ``via`` list; its terminals join
    ``terminals`` and its places ``places`` and ``names``.
    """
    origin = find_place(network, s.origin).id
    destination = find_place(network, s.destination).id
    teu = s.units_per_consignment * s.teu_per_unit or TEU_PER_TRAIN

    variants = []
    for via, share in s.variants:
        try:
            arcs = fastest_path(network, origin, destination, depart=ROUTE_DEPARTURE,
                                via=via, allowed=_allowed(lines, s.unit))
        except NoRouteError as e:
            raise NoRouteError(f"{spec.source}: stream {s.name}: {e}") from None
        steps = _steps(network, list(arcs), lines, s.unit, spec, places, names)
        for step in steps:
            if isinstance(step, TerminalStep) and step.node_id not in terminals:
                terminals[step.node_id] = _terminal(network.node(step.node_id), spec, teu)
                places[step.node_id] = "terminal"
        sea = [
            f"{network.node(x.origin).name}-{network.node(x.destination).name}"
            for x in steps
            if isinstance(x, SeaLeg)
        ]
        label = f"{s.name} via {', '.join(sea)}" if sea else f"{s.name} by land"
        variants.append(Variant(label, steps, share))
    per_year = (
        s.units_per_year if s.units_per_year is not None else s.teu_per_year / s.teu_per_unit
    )
    return Stream(
        s.name,
        origin,
        destination,
        per_year,
        s.units_per_consignment,
        s.unit,
        s.teu_per_unit,
        tuple(variants),
        s.seasonality,
        s.peak_day,
    )


def _ports(
    network: Network, lines: tuple[Line, ...], changes: dict[str, PortChange], source: str
) -> dict[str, SimPort]:
    """The ports the ``lines`` call at, with the experiment's ``changes``; a change to a port
    no line calls at is an error.
    """
    ports: dict[str, SimPort] = {}
    for line in lines:
        for stop in line.stops:
            node = network.node(stop)
            change = changes.get(stop, PortChange())
            hours = change.handling_h if change.handling_h is not None else port_handling_h(node)
            ports[stop] = SimPort(
                stop,
                node.name,
                change.berths if change.berths is not None else DEFAULT_BERTHS,
                _handling(hours),
                on_caspian(node),
                change.ferry_berths or 0,
                FERRY_TURNAROUND if change.handling_h is None else None,
            )
    for place in changes:
        if place not in ports:
            raise InputError(
                f"{source}: ports.{place}: no sailing line calls there; "
                f"ports: {', '.join(sorted(ports))}"
            )
    return ports


def build_model(network: Network, spec: ExperimentSpec) -> SimModel:
    """The simulation model of ``spec`` on ``network`` (its data-set scenarios switched on)."""
    if spec.network_scenarios:
        network = network.with_scenarios(spec.network_scenarios)
    resolved = {
        key: find_place(network, key).id
        for key in (*spec.ports, *spec.terminals, *spec.dwell_places)
        if key not in {lk.id for lk in network.links}
    }
    spec_ports = {resolved.get(k, k): v for k, v in spec.ports.items()}
    spec_terminals = {resolved.get(k, k): v for k, v in spec.terminals.items()}
    spec = _replace_overrides(spec, spec_terminals, resolved)
    lines = _lines(network, spec)
    places: dict[str, str] = {}
    names: dict[str, str] = {}
    terminals: dict[str, Terminal] = {}
    streams = [_stream(network, s, spec, lines, places, names, terminals) for s in spec.streams]
    legs = {
        (x.origin, x.destination)
        for s in streams
        for v in s.variants
        for x in v.steps
        if isinstance(x, SeaLeg)
    }
    lines = tuple(ln for ln in lines if any(a in ln.stops and b in ln.stops for a, b in legs))
    ports = _ports(network, lines, spec_ports, spec.source)
    if spec.storm_ports is None:
        storm_ports = tuple(p for p in ports if ports[p].caspian)
    else:
        storm_ports = tuple(find_place(network, p).id for p in spec.storm_ports)
    low, typ, high = spec.storm_days
    return SimModel(
        name=spec.name,
        horizon_h=spec.horizon_days * 24.0,
        warmup_h=spec.warmup_days * 24.0,
        streams=tuple(streams),
        terminals=terminals,
        ports=ports,
        lines=lines,
        storms=Storms(storm_ports, spec.storms_per_year, Dist(low * 24, typ * 24, high * 24)),
        growth=spec.growth,
        places={**places, **{p: "port" for p in ports}},
        place_names={**names, **{p: network.node(p).name for p in (*ports, *terminals)}},
    )


def _replace_overrides(
    spec: ExperimentSpec, terminals: dict[str, TerminalChange], resolved: dict[str, str]
) -> ExperimentSpec:
    import dataclasses

    dwell = {resolved.get(k, k): v for k, v in spec.dwell_places.items()}
    return dataclasses.replace(spec, terminals=terminals, dwell_places=dwell)
