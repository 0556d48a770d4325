"""The Caspian crossing problem of today: bookings from live cargo, the fleet where it is.

:func:`crossing_instance` turns the cargo waiting at the Caspian ports and due there within
the horizon (each shipment one booking, with its priority and due time), the data set's fleet
placed by each vessel's last known status, and posted port closures into a
:class:`~midcorridor.crossing.model.CrossingInstance` for the optimizer. In assignment mode the
sailings are the services' timetable over the horizon (one departure per headway from each end
of a line, the line's vessels in turn, from when they are free).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from midcorridor.crossing.generate import BERTHS, caspian_services
from midcorridor.crossing.model import Booking, Closure, CrossingInstance, Port, Sailing, UnitType
from midcorridor.crossing.ports import CaspianPorts
from midcorridor.errors import InputError
from midcorridor.live.state import AT_PORT
from midcorridor.network.model import Network, VesselKind
from midcorridor.network.seas import port_handling_h

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from midcorridor.crossing.model import Vessel
    from midcorridor.live.state import VesselState

BOOKING_PREFIX = "S"


@dataclass(frozen=True)
class ShipmentCargo:
    """One shipment's cargo for a crossing: ready at ``port`` (arrived or expected)."""

    shipment_id: int
    port: str
    destination: str
    unit_type: UnitType
    units: int
    ready: datetime
    due: datetime | None = None
    priority: float = 1.0


@dataclass(frozen=True)
class PortClosure:
    """A Caspian port (or every one, ``place == "caspian"``) closed from ``start`` to ``end``."""

    place: str
    start: datetime
    end: datetime


def booking_id(shipment_id: int) -> str:
    """The crossing booking id of a shipment."""
    return f"{BOOKING_PREFIX}{shipment_id}"


def shipment_of(booking: str) -> int:
    """The shipment id of a booking made by :func:`crossing_instance`."""
    return int(booking.removeprefix(BOOKING_PREFIX))


def _hours(moment: datetime, start: datetime) -> float:
    return (moment - start).total_seconds() / 3600


def _placed(vessel: Vessel, state: VesselState | None, start: datetime,
            crossing_h: Mapping[str, float], other_end: Mapping[str, Mapping[str, str]],
            stay_h: Mapping[tuple[str, str], float]) -> Vessel:
    """``vessel`` where its last known status puts it, free from then on.

    A vessel stays at a port for a call and at most one headway of its line (``stay_h`` by
    vessel id and port); one last seen arriving longer ago than
    that has sailed since with no cargo (a sailing with cargo is reported), so it is taken to
    the other end of its line, free there a typical crossing after it must have left.
    """
    if state is None or state.status == "unknown" or not state.place:
        return vessel
    since = state.since or start
    if state.status in AT_PORT:
        stay = stay_h.get((vessel.id, state.place))
        if stay is None or _hours(start, since) <= stay:
            return replace(vessel, available_at=state.place, available_from=0.0)
        since += timedelta(hours=stay)
    # at sea from ``place``: free at the other end of its line after a typical crossing
    there = other_end[vessel.id].get(state.place, vessel.available_at)
    free = max(0.0, _hours(since, start) + crossing_h[vessel.id])
    return replace(vessel, available_at=there, available_from=round(free, 3))


def _out_of_service(fleet: Sequence[Vessel], names: Iterable[str]) -> set[str]:
    """The ids of the vessels named (by id or name); an unknown one is an error."""
    known = {v.id: v for v in fleet}
    by_name = {v.name.casefold(): v.id for v in fleet}
    out: set[str] = set()
    for i, name in enumerate(names):
        vid = name if name in known else by_name.get(name.casefold())
        if vid is None:
            raise InputError(f"fleet.out_of_service[{i}]: unknown vessel {name!r}; the "
                             f"Caspian fleet is {', '.join(sorted(v.name for v in fleet))}")
        out.add(vid)
    return out


def _closed(closures: Sequence[PortClosure], caspian: set[str],
            start: datetime) -> dict[str, list[Closure]]:
    """The closures by Caspian port, in hours from ``start``; another place is an error."""
    closed: dict[str, list[Closure]] = {}
    for i, c in enumerate(closures):
        places = sorted(caspian) if c.place.casefold() == "caspian" else [c.place]
        for place in places:
            if place not in caspian:
                raise InputError(f"closures[{i}].place: {place!r} is not a Caspian port; use "
                                 f"one of {', '.join(sorted(caspian))} or 'caspian'")
            closed.setdefault(place, []).append(
                Closure(place, _hours(c.start, start), _hours(c.end, start)))
    return closed


def _bookings(cargo: Sequence[ShipmentCargo], caspian: set[str], start: datetime,
              horizon_h: float) -> list[Booking]:
    """A booking per shipment ready within the horizon between two Caspian ports, by ready
    time.
    """
    end = start + timedelta(hours=horizon_h)
    bookings = []
    for item in sorted(cargo, key=lambda x: (x.ready, x.shipment_id)):
        if item.ready > end or item.port not in caspian or item.destination not in caspian:
            continue
        ready = max(0.0, _hours(item.ready, start))
        due = None if item.due is None else max(ready, _hours(item.due, start))
        bookings.append(Booking(booking_id(item.shipment_id), item.units, item.unit_type,
                                item.port, item.destination, round(ready, 3),
                                None if due is None else round(due, 3), item.priority))
    return bookings


def _lines(network: Network) -> tuple[dict[str, float], dict[str, dict[str, str]],
                                     dict[str, float], dict[str, tuple[str, str]]]:
    """Per vessel id of the Caspian services: its typical crossing hours, the other end of
    its line from either end, the line's headway in hours and its two ends.
    """
    crossing_h: dict[str, float] = {}
    other_end: dict[str, dict[str, str]] = {}
    headway: dict[str, float] = {}
    line_of: dict[str, tuple[str, str]] = {}
    for service in caspian_services(network):
        a, b = service.route[0], service.route[-1]
        hours = service.crossing_h.typ if service.crossing_h else 22.0
        d = service.departures
        every = d.headway_h or (168.0 / len(d.weekdays) if d.weekdays else 24.0)
        fleet_ids = [f"{service.id}-{i + 1}" for i, v in enumerate(
            v for v in service.vessels if v.kind is not VesselKind.TRAIN)]
        for vid in fleet_ids:
            crossing_h[vid], other_end[vid] = hours, {a: b, b: a}
            headway[vid], line_of[vid] = every, (a, b)
    return crossing_h, other_end, headway, line_of


def crossing_instance(
    network: Network,
    cargo: Sequence[ShipmentCargo],
    *,
    fleet: Sequence[Vessel],
    vessel_states: Iterable[VesselState] = (),
    start: datetime,
    horizon_h: float,
    closures: Sequence[PortClosure] = (),
    out_of_service: Iterable[str] = (),
    sailings: bool = True,
) -> CrossingInstance:
    """The optimizer's instance for ``cargo`` ready within ``horizon_h`` hours of ``start``.

    Raises :class:`InputError` naming the request field at fault: ``horizon_days`` when no
    cargo is ready within the horizon, ``fleet.out_of_service[i]`` for an unknown vessel,
    ``closures[i].place`` for a place that is not a Caspian port, ``fleet.out_of_service``
    when no vessel is left and ``closures`` when they leave no sailing in the horizon.
    """
    ports_of = CaspianPorts(network)
    caspian = {n.id for n in ports_of.all()}
    out = _out_of_service(fleet, out_of_service)
    closed = _closed(closures, caspian, start)
    bookings = _bookings(cargo, caspian, start, horizon_h)
    if not bookings:
        raise InputError(f"horizon_days: no cargo is waiting at a Caspian port or due there "
                         f"within {horizon_h / 24:g} days of {start:%Y-%m-%d %H:%M} UTC")
    states = {s.id: s for s in vessel_states}
    crossing_h, other_end, headway, line_of = _lines(network)
    stay_h = {(vid, p): port_handling_h(network.nodes[p]) + every
              for vid, every in headway.items() for p in line_of[vid] if p in network.nodes}
    vessels = [_placed(v, states.get(v.id), start, crossing_h, other_end, stay_h)
               for v in fleet if v.id not in out and v.id in crossing_h]
    if not vessels:
        raise InputError("fleet.out_of_service: every vessel of the Caspian fleet is out of "
                         "service, so no plan can carry any cargo; leave at least one in")
    used = sorted({p for v in vessels for p in (v.available_at, *line_of[v.id])}
                  | {b.origin for b in bookings} | {b.destination for b in bookings})
    ports = {p: Port(p, ports_of.name(p), BERTHS.get(p, 2), port_handling_h(network.nodes[p]),
                     tuple(closed.get(p, ()))) for p in used}
    instance = CrossingInstance(start, horizon_h, tuple(bookings), tuple(vessels), ports,
                                distances_nm=ports_of.distances_nm(used))
    if not sailings:
        return instance
    timetable = _timetable(instance, line_of, headway, crossing_h)
    if not timetable:
        raise InputError(
            "closures: the closures leave no sailing within the horizon "
            f"({horizon_h / 24:g} days), so no plan can carry any cargo; shorten them or "
            "lengthen horizon_days")
    return replace(instance, sailings=tuple(timetable))


def _timetable(instance: CrossingInstance, line_of: Mapping[str, tuple[str, str]],
               headway: Mapping[str, float], crossing_h: Mapping[str, float]) -> list[Sailing]:
    """Each vessel shuttles on its line: leaves where it is free after one port call, crosses,
    and leaves again one headway later (but not before its next call is done).
    """
    out: list[Sailing] = []
    for v in instance.vessels:
        a, b = line_of[v.id]
        here = v.available_at if v.available_at in (a, b) else a
        t = v.available_from + instance.ports[here].handling_h
        k = 0
        while t < instance.horizon_h:
            there = b if here == a else a
            arrive = t + crossing_h[v.id]
            if not (instance.ports[here].closed_at(t) or instance.ports[there].closed_at(arrive)):
                out.append(Sailing(f"{v.id}-{k + 1}", v.id, here, there, round(t, 3),
                                   round(arrive, 3), v.capacity, v.dangerous_limit))
                k += 1
                here = there
                t = max(t + headway[v.id], arrive + instance.ports[there].handling_h)
            else:
                t += 6.0  # wait out the closure
    return sorted(out, key=lambda s: (s.departure, s.id))

