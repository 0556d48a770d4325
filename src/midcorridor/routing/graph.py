"""The search graph: the network compiled once into flat arrays for the planner.

Every directed arc becomes one *arc variant* per service that runs along it (timetabled: wait
for the next departure, then ``Service.crossing_h``) or a single continuous variant when no
service uses it. A sea or ferry link is only travelled on a service: a crossing waits for a
sailing, and a Caspian or Black Sea link no service sails is not used; an ocean leg no service
sails gets an assumed weekly sailing (:data:`ASSUMED_SAILINGS`), noted on every option using
it. A train never sails: where a train's stops are joined only by water, its boxes change to
a ferry or feeder line at the port (:func:`rides`). Search *states* are (node, how the cargo
arrived) pairs, because terminal handling is only
paid when the mode or the vessel changes, and at each port call of a voyage: loading at the
port of origin, unloading at the destination. Each state's outgoing entries carry the extra
time before departure (handling + border/gauge dwell), the running time and the departure
schedule, so the query loops do no look-ups.

A road link no service runs on is driven by truck, and its running time is its driving hours
turned into elapsed hours by the drivers' hours rule of :mod:`midcorridor.network.driving`
(AETR: 9 h a day, an 11 h daily rest, a 45 min break after 4.5 h). The rule counts the hours
driven since the cargo came onto the road, and that *clock* belongs to a route, not to the
graph: a road arc has one variant, whose ``run_h`` is its driving from a rested start (the
least it can take), and its entries carry its driving hours so that the searches, which keep
each partial route's clock, time it from that clock
(:func:`~midcorridor.network.driving.road_leg_hours`).

Costs and CO2e are per TEU and scaled by the cargo at the end (both are linear in TEU, but
for the road: a graph is compiled per ``road_load``, the TEU paid for per TEU carried when the
last truck runs part-loaded, see :func:`~midcorridor.routing.costs.road_load`). The
single-criterion query runs on a second compilation built with the graph (the time classes of
:mod:`midcorridor.routing.timeindex`).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from midcorridor.emissions import hub_emission, link_emission
from midcorridor.emissions.chain import Emission, link_intensity, transport_emission
from midcorridor.network.driving import MAX_EXTRA_PAUSE_H, road_elapsed_hours
from midcorridor.network.geo import haversine_km
from midcorridor.network.model import Link, Mode, Network, NodeKind, Service, ServiceKind
from midcorridor.network.seas import PORT_HANDLING_DEFAULT_H, WATER_MODES
from midcorridor.routing.cargo import TONNES_PER_TEU
from midcorridor.routing.corridors import is_ocean
from midcorridor.routing.costs import Charge, Tariffs, handling_charge, link_charge
from midcorridor.routing.timeindex import TimeIndex
from midcorridor.routing.timetable import Schedule, schedule_of

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Terminal handling when the data set gives none: at a seaport one vessel call
#: (:data:`~midcorridor.network.seas.PORT_HANDLING_DEFAULT_H`, Baku's published average);
#: assumption: 8 h at rail terminals and hubs, 6 h at a border station.
DEFAULT_HANDLING_H = {
    NodeKind.SEAPORT: PORT_HANDLING_DEFAULT_H,
    NodeKind.RAIL_TERMINAL: 8.0,
    NodeKind.INLAND_HUB: 8.0,
    NodeKind.CITY: 8.0,
    NodeKind.BORDER_CROSSING: 6.0,
    NodeKind.SEA_WAYPOINT: 0.0,
}
START = 0  # context of the origin: nothing to unload
#: assumption: an ocean leg no service of the data set sails has a weekly sailing (Mondays
#: 00:00 UTC), the frequency of deep-sea container loops.
ASSUMED_SAILINGS = Schedule(168.0, (0.0,))
ASSUMED_SAILINGS_NOTE = ("{link}: no service in the data set sails it; a weekly sailing "
                         "(Mondays 00:00 UTC) is assumed, as deep-sea loops sail weekly")


#: An outgoing entry of a state: (head state, time before departure, running time, schedule
#: times, schedule period, arc, transshipment at the tail, driving hours or None).
Entry = tuple[int, float, float, tuple[float, ...] | None, float, int, int, float | None]


@dataclass(frozen=True)
class ArcVariant:
    """One way of travelling a link in one direction: continuous, or on one service."""

    tail: int
    head: int
    link: Link
    service: Service | None
    direction: int  # +1 along the service route, -1 against it; 0 continuous
    leg: int  # index of this leg in the service route
    run_h: float
    dwell_h: float
    schedule: Schedule | None
    cost: float  # USD per TEU, link tariff + border fee (+ gauge-change handling)
    co2: float  # kg CO2e WTW per TEU
    ttw: float  # kg CO2e TTW per TEU
    transshipments: int  # 1 when the link itself is a gauge change
    notes: tuple[str, ...]

    @property
    def driving(self) -> bool:
        """Whether the arc is driven by truck (a road link no service runs on)."""
        return self.service is None and self.link.mode is Mode.ROAD


class SearchGraph:
    """The compiled network: nodes by index, arc variants, states and their entries."""

    def __init__(self, network: Network, tariffs: Tariffs, road_load: float = 1.0):
        self.network = network
        self.tariffs = tariffs
        self.road_load = road_load
        self.ids: list[str] = list(network.nodes)
        self.index = {node_id: i for i, node_id in enumerate(self.ids)}
        self.arcs = _arc_variants(network, tariffs, self.index, road_load)
        self.handling_h: list[float] = []
        self.handling_assumed: list[bool] = []
        self.handling_cost: list[float] = []
        self.handling_notes: list[tuple[str, ...]] = []
        for node_id in self.ids:
            node = network.nodes[node_id]
            given = node.handling_h is not None or node.kind is NodeKind.SEAPORT
            self.handling_h.append(
                node.handling_h if node.handling_h is not None else DEFAULT_HANDLING_H[node.kind]
            )
            prov = network.provenance_of("nodes", node_id, "handling_h")
            self.handling_assumed.append(not given or (prov is not None and prov.is_assumption))
            charge = handling_charge(node_id, tariffs)
            self.handling_cost.append(charge.usd)
            self.handling_notes.append(charge.assumptions)
        self.hub_co2 = hub_emission(TONNES_PER_TEU).wtw_kg
        self.hub_ttw = hub_emission(TONNES_PER_TEU).ttw_kg
        self._build_states()
        self.time_index = TimeIndex(self)

    # -- contexts and states --------------------------------------------------------------
    def _ctx_key(self, a: int) -> tuple[object, ...]:
        arc = self.arcs[a]
        if arc.service is None:  # (by truck: the route carries its driver's clock)
            return (arc.link.mode,)
        return (arc.link.mode, arc.service.id, arc.direction, arc.leg)

    def _build_states(self) -> None:
        n = len(self.ids)
        ctx_ids: dict[tuple[object, ...], int] = {("start",): START}
        self.arc_ctx: list[int] = []
        for a in range(len(self.arcs)):
            self.arc_ctx.append(ctx_ids.setdefault(self._ctx_key(a), len(ctx_ids)))
        self.ctx_keys = list(ctx_ids)
        #: per context, whether the cargo arrived by truck (its route's clock then runs on
        #: along the next road driven), and the most the driver's rests can delay the cargo
        #: against a rested driver
        self.ctx_truck: list[bool] = [key == (Mode.ROAD,) for key in self.ctx_keys]
        self.ctx_pause_h: list[float] = [
            MAX_EXTRA_PAUSE_H if truck else 0.0 for truck in self.ctx_truck]
        self.out: list[list[int]] = [[] for _ in range(n)]
        self.state_of: dict[tuple[int, int], int] = {}
        self.state_node: list[int] = []
        self.state_ctx: list[int] = []
        for v in range(n):
            self._state(v, START)
        for a, arc in enumerate(self.arcs):
            self.out[arc.tail].append(a)
            self._state(arc.head, self.arc_ctx[a])
        #: Per state, whether the cargo is unloaded from a vessel there when it is the
        #: destination (arrived by sea or ferry), and the port call's handling time it takes.
        self.unloads: list[bool] = [
            ctx != START and self.ctx_keys[ctx][0] in WATER_MODES for ctx in self.state_ctx]
        self.discharge_h: list[float] = [
            self.handling_h[v] if unload else 0.0
            for v, unload in zip(self.state_node, self.unloads, strict=True)]
        self.node_slack: list[float] = [0.0] * n
        for v in range(n):
            dwell = max((self.arcs[a].dwell_h for a in self.out[v]), default=0.0)
            self.node_slack[v] = self.handling_h[v] + dwell
        # Entries per state: (head state, time before departure, running time, schedule
        # times, schedule period, arc, transshipment at the tail (0/1), driving hours (None
        # unless driven by truck: the running time is then the driving from a rested start,
        # and a search times it from the route's clock)).
        self.entries: list[tuple[Entry, ...]] = []
        for s in range(len(self.state_node)):
            v, ctx = self.state_node[s], self.state_ctx[s]
            row: list[Entry] = []
            for a in self.out[v]:
                arc = self.arcs[a]
                head = self.state_of[(arc.head, self.arc_ctx[a])]
                if self.rides_through(ctx, a):
                    # aboard: the train or ship stops for the border/gauge dwell, no handling
                    row.append((head, arc.dwell_h, arc.run_h, None, 0.0, a, 0, None))
                    continue
                tranship = int(self.transships(ctx, a))
                pre = arc.dwell_h + (self.handling_h[v] if tranship else 0.0)
                sched = arc.schedule
                times = sched.times if sched is not None else None
                period = sched.period if sched is not None else 0.0
                drive = arc.link.hours.typ if arc.driving else None
                row.append((head, pre, arc.run_h, times, period, a, tranship, drive))
            self.entries.append(tuple(row))

    def _state(self, v: int, ctx: int) -> int:
        key = (v, ctx)
        s = self.state_of.get(key)
        if s is None:
            s = self.state_of[key] = len(self.state_node)
            self.state_node.append(v)
            self.state_ctx.append(ctx)
        return s

    def rides_through(self, ctx: int, a: int) -> bool:
        """Whether arriving in context ``ctx`` the cargo stays aboard for arc ``a``."""
        key = self.ctx_keys[ctx]
        arc = self.arcs[a]
        return (
            arc.service is not None
            and len(key) == 4
            and key[1] == arc.service.id
            and key[2] == arc.direction
            and key[3] == arc.leg - 1
        )

    def transships(self, ctx: int, a: int) -> bool:
        """Whether taking arc ``a`` after arriving in ``ctx`` is a transshipment at the node.

        It is when the mode changes, or the cargo leaves a scheduled train or vessel or boards
        one other than by staying aboard; and at the origin when the first leg is by sea or
        ferry (the port call's handling of loading the vessel).
        """
        arc = self.arcs[a]
        if ctx == START:
            return arc.link.mode in WATER_MODES  # loading at the port of origin
        key = self.ctx_keys[ctx]
        if key[0] != arc.link.mode:
            return True
        if self.rides_through(ctx, a):
            return False
        # Getting off one train or vessel and onto another (or onto untimetabled transport).
        return len(key) == 4 or arc.service is not None


#: The mode of the links a service runs on, by kind, in order of preference.
_SERVICE_MODES = {
    ServiceKind.FERRY: (Mode.FERRY, Mode.SEA),
    ServiceKind.CONTAINER_SHIP: (Mode.SEA, Mode.FERRY),
    ServiceKind.BLOCK_TRAIN: (Mode.RAIL, Mode.ROAD, Mode.FERRY, Mode.SEA),
}


def _service_legs(network: Network, service: Service) -> list[tuple[str, str, Link | None]]:
    """The link between each two consecutive stops of a service (of its own mode where there
    is a choice; ``None`` where no link joins them).
    """
    legs: list[tuple[str, str, Link | None]] = []
    order = _SERVICE_MODES.get(ServiceKind(service.kind), tuple(Mode))
    for a, b in zip(service.route, service.route[1:], strict=False):
        links = [arc.link for arc in network.arcs_from(a) if arc.head == b]
        links.sort(key=lambda lk: order.index(lk.mode) if lk.mode in order else len(order))
        legs.append((a, b, links[0] if links else None))
    return legs


def rides(service: Service, link: Link) -> bool:
    """Whether ``service`` itself carries the cargo over ``link``: a train never sails. Where
    a train's stops are joined only by water (its published through time includes the
    crossing), the boxes leave the train at the port, wait for a sailing of a ferry or feeder
    line and pay both port calls; the train's timetable beyond the crossing is kept, as a
    train that leaves the far port when the through timetable says.
    """
    return not (
        ServiceKind(service.kind) is ServiceKind.BLOCK_TRAIN and link.mode in WATER_MODES
    )


def _service_runs(
    network: Network, service: Service
) -> Iterator[tuple[int, int, str, str, Link, float, float]]:
    """Each leg ``service`` rides, per direction: ``(direction, leg, tail, head, link, run
    hours, hours from the first departure)``; the crossing time of the service, if given, is
    shared by its legs in proportion to their hours.
    """
    legs = _service_legs(network, service)
    if not any(lk is not None and rides(service, lk) for _, _, lk in legs):
        return
    hours = [lk.hours.typ if lk is not None else 0.0 for _, _, lk in legs]
    total = sum(hours)
    if service.crossing_h is not None and total > 0:
        scale = service.crossing_h.typ / total
        hours = [h * scale for h in hours]
    elif service.crossing_h is not None:
        hours = [service.crossing_h.typ / len(legs)] * len(legs)
    directions = [(1, legs, hours)]
    if service.bidirectional:
        back = [(b, a, lk) for a, b, lk in reversed(legs)]
        directions.append((-1, back, list(reversed(hours))))
    for direction, seq, runs in directions:
        # Departure from stop i = first departure + runs of the legs before it + the
        # border/gauge dwell of the legs after the first (the vehicle stops for them).
        # A leg the service does not ride keeps its place in the timetable but has no
        # variant, so nothing stays aboard across it (``rides_through`` needs leg - 1).
        offset = 0.0
        for leg, ((tail, head, link), run) in enumerate(zip(seq, runs, strict=True)):
            if link is None:
                continue
            if leg > 0:
                offset += link.dwell.typ
            if not rides(service, link):
                offset += run
                continue
            yield direction, leg, tail, head, link, run, offset
            offset += run


def _arc_variants(network: Network, tariffs: Tariffs, index: dict[str, int],
                  road_load: float = 1.0) -> list[ArcVariant]:
    variants: list[ArcVariant] = []
    covered: set[tuple[str, str, str]] = set()
    hub = hub_emission(TONNES_PER_TEU)
    per_link: dict[int, tuple[Charge, Emission]] = {}  # both directions cost the same

    def make(tail: str, head: str, link: Link, service: Service | None, direction: int,
             leg: int, run_h: float, schedule: Schedule | None) -> ArcVariant:
        known = per_link.get(id(link))
        if known is None:
            known = per_link[id(link)] = (link_charge(network, link, tariffs),
                                         _link_co2(network, link))
        charge, co2 = known
        cost, wtw, ttw = charge.usd, co2.wtw_kg, co2.ttw_kg
        if link.mode is Mode.ROAD:  # per truck: a part-loaded last truck is paid in full
            cost, wtw, ttw = cost * road_load, wtw * road_load, ttw * road_load
        if link.gauge_change:
            cost += handling_charge(head, tariffs).usd
            wtw, ttw = wtw + hub.wtw_kg, ttw + hub.ttw_kg
        return ArcVariant(index[tail], index[head], link, service, direction, leg, run_h,
                          link.dwell.typ, schedule, cost, wtw, ttw, int(link.gauge_change),
                          charge.assumptions)

    for service in network.services:
        runs = list(_service_runs(network, service))
        if not runs:
            continue
        base = schedule_of(service.departures)
        for direction, leg, tail, head, link, run, offset in runs:
            variants.append(make(tail, head, link, service, direction, leg, run,
                                 base.shifted(offset)))
            covered.add((tail, head, link.id))
    for arc in network.arcs():
        if (arc.tail, arc.head, arc.link.id) in covered:
            continue
        if arc.link.mode is Mode.ROAD:
            # by truck: the running time from a rested start; a search that carries the
            # driver's clock times it from there
            variants.append(make(arc.tail, arc.head, arc.link, None, 0, 0,
                                 road_elapsed_hours(arc.link.hours.typ), None))
        elif arc.link.mode not in WATER_MODES:
            variants.append(make(arc.tail, arc.head, arc.link, None, 0, 0, arc.link.hours.typ,
                                 None))
        elif is_ocean(network, arc.link):
            # no service of the data set sails this ocean leg: an assumed weekly sailing from
            # a port, sailing on through the sea waypoints without stopping
            at_sea = network.nodes[arc.tail].kind is NodeKind.SEA_WAYPOINT
            variant = make(arc.tail, arc.head, arc.link, None, 0, 0, arc.link.hours.typ,
                           None if at_sea else ASSUMED_SAILINGS)
            variants.append(replace(variant, notes=(*variant.notes, ASSUMED_SAILINGS_NOTE
                                                    .format(link=arc.link.id))))
        # a Caspian or Black Sea crossing no service sails is not used
    return variants


#: The WGS 84 geodesic is at most 0.5 % longer than the 6371 km sphere's great circle (the
#: ellipsoid's radii of curvature stay within 6335-6400 km), so a link longer than the sphere
#: distance times this factor is surely longer than the geodesic x 1.005 that
#: ``emissions.distance.is_great_circle`` tests for.
_SURELY_NOT_GCD = 1.03


def _link_co2(network: Network, link: Link) -> Emission:
    """``link_emission`` per TEU, skipping the slow ellipsoid geodesic where it cannot matter.

    ``emission_distance_km`` only adjusts links whose distance is (about) the great circle; a
    link clearly longer than the spherical great circle is used as it is.
    """
    a, b = network.nodes[link.origin], network.nodes[link.destination]
    if link.distance_km > haversine_km(a.lat, a.lon, b.lat, b.lon) * _SURELY_NOT_GCD:
        return transport_emission(link_intensity(network, link), TONNES_PER_TEU,
                                  link.distance_km)
    return link_emission(network, link, TONNES_PER_TEU)


_CACHE: dict[tuple[int, int, float], SearchGraph] = {}
#: Graphs kept for part-loaded trucks (a road load other than 1), the least recently used
#: dropped first: a service planning odd TEU counts would otherwise keep one per count.
_PART_LOADS_KEPT = 4


def search_graph(network: Network, tariffs: Tariffs | None = None,
                 road_load: float = 1.0) -> SearchGraph:
    """The compiled graph of ``network``, built once per network, tariff set and road load
    (:func:`~midcorridor.routing.costs.road_load`; 1 for full trucks).
    """
    tariffs = tariffs if tariffs is not None else Tariffs()
    key = (id(network), hash(tariffs), road_load)
    graph = _CACHE.get(key)
    if (graph is None or graph.network is not network or graph.tariffs != tariffs
            or graph.road_load != road_load):
        graph = SearchGraph(network, tariffs, road_load)
        _CACHE[key] = graph
        weakref.finalize(network, _CACHE.pop, key, None)
    if road_load != 1.0:
        _CACHE[key] = _CACHE.pop(key)  # the most recently used last
        part = [k for k in _CACHE if k[2] != 1.0]
        for old in part[:-_PART_LOADS_KEPT]:
            _CACHE.pop(old, None)
    return graph


def speed_bound_kmh(graph: SearchGraph) -> float:
    """The fastest straight-line speed over any arc, for an admissible A* bound (inf if none)."""
    best = 0.0
    nodes = graph.network.nodes
    for arc in graph.arcs:
        a, b = nodes[graph.ids[arc.tail]], nodes[graph.ids[arc.head]]
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        t = arc.run_h + arc.dwell_h
        if t <= 0:
            if km > 0:
                return math.inf
            continue
        best = max(best, km / t)
    return best


