"""The Caspian ferries' cycles: when each vessel of a crossing will next load at a port.

A vessel is seen only through the transport events of the cargo it carries (the event's
``vehicle``): loading at a port, sailing, arriving on the other side, discharging. Its last
:class:`Sighting` places it in its shuttle between its line's two ports: at the port, at sea
towards the other one, at the other one, or at sea on the way back. A ship stays at a port at
most one headway of its line before it sails (it sails sooner when full), and a crossing takes
the line's typical hours, so the sighting says when the ship will next be back at the port,
loading (:func:`next_calls`). The units waiting ahead of a shipment for the same crossing fill
those calls in turn; the shipment catches the first call with space left after them
(:func:`catch`).

Empty sailings leave no cargo events (only a port's call report naming the vessel alone,
where the feed has them): a ship last seen at the other port may have left it empty since.
It is taken to leave after :data:`OTHER_STAY` of a headway there, and a ship seen long
ago (:data:`STALE_CYCLES` cycles) is taken as unknown. The ports report a call's loading once,
as the ship sails (with its departure), so a ship seen at a port by the cargo it landed there
is taken to be loading there until its headway is up: whether it loaded anything, or left
empty meanwhile, is known only when it sails. Only a ship sailing to the port with cargo makes
a call that its events show (:attr:`Call.seen`); every other call rests on these assumptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from midcorridor.crossing.generate import caspian_services
from midcorridor.crossing.model import UnitType
from midcorridor.live.fleet import dataset_fleet

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from midcorridor.crossing.model import Vessel
    from midcorridor.network.model import Network

OTHER_STAY = 0.5
"""A ship at the far port of its line is taken to stay this share of the line's headway there
before it sails back (it stays at most one headway; an assumption the events cannot check,
empty sailings leaving none: a quarter, a half and three quarters gave the same coverage and
P50 gains within a point on the simulated seeds 1-2)."""

FULL_CALL_H = 6.0
"""Hours a ship the queue fills at once stays loading before it sails (assumption: about one
handling of a full call; 12 h gave the same gains on the simulated seeds 1-2)."""

STALE_CYCLES = 2.0
"""A ship last seen more than this many of its line's cycles ago (two crossings and two
headways) is taken as unknown: its events have stopped telling where it is."""

VESSEL_CODES = frozenset({"LOAD", "DEPA", "ARRI", "DISC"})
"""The transport events that place a vessel (its ``vehicle``)."""

VISITS = 3
"""Calls counted ahead per ship: a queue longer than these fill waits beyond them."""

TEU_PER_RAILCAR_SLOT = 2
"""A rail ferry, whose deck the data set gives in railcars only, takes containers on its
railcar slots, one 40-ft box (2 TEU) a slot, as the simulator loads them: a container train
at Aktau may cross on the rail ferry's call (measured on the simulated seeds 1-2: +0.4 to
+1.0 points of P50 gain at Aktau; one TEU a slot did within 0.3 points of it)."""


def deck_space(vessel: Vessel, unit: UnitType) -> int:
    """The units of ``unit`` the vessel's deck takes when it carries only that type: its
    deck's figure, or for containers on a deck given in railcars alone, its railcar slots
    (:data:`TEU_PER_RAILCAR_SLOT`).
    """
    space = vessel.capacity.of(unit)
    if space <= 0 and unit is UnitType.TEU:
        space = TEU_PER_RAILCAR_SLOT * vessel.capacity.of(UnitType.RAILCAR)
    return space


@dataclass(frozen=True)
class FerryLine:
    """A Caspian line shuttling between two ports: the hours a crossing typically takes, the
    most a ship stays at a port (the headway), and its vessels.
    """

    id: str
    ports: tuple[str, str]
    headway_h: float
    crossing_h: float
    vessels: tuple[Vessel, ...]

    def serves(self, port: str, towards: str) -> bool:
        """Whether the line sails from ``port`` to ``towards``."""
        return {port, towards} == set(self.ports)


@dataclass(frozen=True)
class Sighting:
    """A vessel's last transport event: its code, place and time, when its call at that place
    began (its first event there since it last sailed) and the units loaded in that call.
    """

    vessel: str
    code: str
    place: str
    at: datetime
    call_since: datetime
    loaded: int = 0

    @property
    def sailed(self) -> bool:
        """Whether the vessel was last seen sailing from ``place``."""
        return self.code == "DEPA"


@dataclass(frozen=True)
class Call:
    """A coming call of a vessel at a port: when it loads, the space it has for the unit type
    and when it sails at the latest.
    """

    vessel: str
    loads_at: datetime
    space: int
    sails_by: datetime
    capacity: int  # the vessel's whole deck for the unit type
    seen: bool = False  # the ship is loading at the port, or sailing to it with cargo


def ferry_lines(network: Network) -> tuple[FerryLine, ...]:
    """The data set's Caspian lines between two ports, with the vessels the service's fleet
    names (ids ``<service>-<n>``).
    """
    fleet = dataset_fleet(network)
    out = []
    for service in caspian_services(network):
        ports = (service.route[0], service.route[-1])
        d = service.departures
        headway = d.headway_h or (168.0 / len(d.weekdays) if d.weekdays else 24.0)
        crossing = service.crossing_h.typ if service.crossing_h else 22.0
        vessels = tuple(v for v in fleet if v.id.rsplit("-", 1)[0] == service.id)
        if vessels and ports[0] != ports[1]:
            out.append(FerryLine(service.id, ports, headway, crossing, vessels))
    return tuple(out)


_LOADED = re.compile(r"^\s*(\d+)\s+of\s+(\d+)\b")


def loaded_units(description: str, units: int) -> int:
    """The units of the shipment's ``units`` a loading event moved: the share N/M of them when
    its description reads "N of M ..." (counted in containers or wagons), else all of them.
    """
    found = _LOADED.match(description)
    if not found or int(found.group(2)) <= 0:
        return units
    return min(units, round(units * int(found.group(1)) / int(found.group(2))))


def update(last: Sighting | None, vessel: str, code: str, place: str, at: datetime,
           units: int) -> Sighting:
    """The vessel's sighting after one more transport event (``units`` loaded, for LOAD)."""
    same_call = (last is not None and last.place == place and not last.sailed
                 and code != "DEPA")
    since = last.call_since if same_call and last is not None else at
    loaded = (last.loaded if same_call and last is not None else 0) + (
        units if code == "LOAD" else 0)
    if code == "DEPA":
        since, loaded = at, 0
    if last is not None and at < last.at:  # late news of an earlier moment: keep the latest
        return last
    return Sighting(vessel, code, place, at, since, loaded)


def sighted(last: Sighting | None, vessel: str, code: str, place: str, at: datetime,
            description: str, units: int | None) -> Sighting:
    """The vessel's sighting after one more transport event naming it: ``units`` are those of
    the shipment the event is on (None for the vessel's own call, which loads nothing), of
    which a loading event moved the share its ``description`` tells (:func:`loaded_units`).
    """
    loaded = loaded_units(description, units) if units is not None else 0
    return update(last, vessel, code, place, at, loaded)


def next_calls(line: FerryLine, sightings: Mapping[str, Sighting], port: str,
               unit: UnitType, now: datetime) -> list[Call]:
    """The next call at ``port`` of each vessel of ``line`` that carries ``unit`` and was seen
    lately, earliest first. A vessel at the port (arrived or landing its cargo) loads now; one
    on its way back, when it arrives; one at the other port, when it leaves there (when its
    headway is up while it loads, else after a stay) and a crossing later; one sailing there,
    a crossing, a stay and a crossing later.
    """
    h, c = line.headway_h, line.crossing_h
    cycle = 2 * (c + h)
    out = []
    for vessel in line.vessels:
        space = deck_space(vessel, unit)
        seen = sightings.get(vessel.id)
        if space <= 0 or seen is None or seen.place not in line.ports:
            continue
        if (now - seen.at).total_seconds() / 3600 > STALE_CYCLES * cycle:
            continue
        since = seen.call_since
        if seen.place == port and not seen.sailed:  # at the port: loading
            out.append(Call(vessel.name, now, max(0, space - seen.loaded),
                            max(now, since + timedelta(hours=h)), space,
                            seen=seen.loaded > 0))
            continue
        if seen.place == port:  # sailed from the port: there and back
            back = seen.at + timedelta(hours=2 * c + OTHER_STAY * h)
        elif seen.sailed:  # on its way here
            back = seen.at + timedelta(hours=c)
        elif seen.code == "LOAD":  # loading at the other port until its headway is up
            back = max(now, since + timedelta(hours=h)) + timedelta(hours=c)
        else:  # arrived at the other port
            back = max(now, since + timedelta(hours=OTHER_STAY * h)) + timedelta(hours=c)
        back = max(back, now)
        out.append(Call(vessel.name, back, space, back + timedelta(hours=h), space,
                        seen=seen.sailed and seen.place != port))
    return sorted(out, key=lambda call: (call.loads_at, call.vessel))


def ships_near(lines: Sequence[FerryLine], sightings: Mapping[str, Sighting], port: str,
               towards: str, unit: UnitType) -> tuple[int, int]:
    """How many ships of the lines sailing from ``port`` to ``towards`` that carry ``unit``
    were last seen at ``port`` (not sailed), and sailing to it from the other side.
    """
    at_port = coming = 0
    for line in lines:
        if not line.serves(port, towards):
            continue
        for vessel in line.vessels:
            seen = sightings.get(vessel.id)
            if seen is None or deck_space(vessel, unit) <= 0:
                continue
            if seen.place == port and not seen.sailed:
                at_port += 1
            elif seen.place != port and seen.sailed:
                coming += 1
    return at_port, coming


def sailings(lines: Sequence[FerryLine], port: str, towards: str, unit: UnitType,
             hours: float) -> float:
    """How many times the ships of the lines sailing from ``port`` to ``towards`` that carry
    ``unit`` leave ``port`` in ``hours``: once a cycle each (two crossings and two headways,
    the longest a cycle takes).
    """
    return sum(hours / (2 * (line.crossing_h + line.headway_h))
               for line in lines if line.serves(port, towards)
               for vessel in line.vessels if vessel.capacity.of(unit) > 0)


def catch(line_calls: Iterable[tuple[FerryLine, Call]], ahead: int,
          units: int = 1) -> tuple[Call, Call] | None:
    """The calls a shipment of ``units`` with ``ahead`` units before it in the queue loads on:
    the first, in the order the calls come, with space left after the units ahead have taken
    theirs, and the one its last unit finds space on (the same when one call takes it all). A
    call the queue fills sails soon and the ship comes back a cycle later (up to
    :data:`VISITS` calls per ship). None when no vessel was seen lately, or the calls counted
    do not take it all.
    """
    pending = sorted(line_calls, key=lambda lc: (lc[1].loads_at, lc[1].vessel))
    visits: dict[str, int] = {}
    left, first = ahead, None
    while pending:
        line, call = pending.pop(0)
        if first is None and call.space > left:
            first = call
        if call.space >= left + units:
            return (first or call), call
        if first is not None:
            units -= max(0, call.space - left)
        left = max(0, left - call.space)
        visits[call.vessel] = visits.get(call.vessel, 0) + 1
        if visits[call.vessel] >= VISITS:
            continue
        sails = min(call.sails_by, call.loads_at + timedelta(hours=FULL_CALL_H))
        back = sails + timedelta(hours=2 * line.crossing_h + OTHER_STAY * line.headway_h)
        nxt = Call(call.vessel, back, call.capacity, back + timedelta(hours=line.headway_h),
                   call.capacity)
        pending.append((line, nxt))
        pending.sort(key=lambda lc: (lc[1].loads_at, lc[1].vessel))
    return None


def sailing_with_space(lines: Sequence[FerryLine], sightings: Mapping[str, Sighting],
                       port: str, towards: str, unit: UnitType, ahead: int,
                       now: datetime, units: int = 1) -> tuple[Call, Call] | None:
    """The calls at ``port`` a shipment of ``units`` of ``unit`` bound for ``towards`` will
    likely load on, its first unit and its last (:func:`catch`), with ``ahead`` units of its
    type before it in the queue; None when no vessel of the lines serving the crossing was
    seen lately.
    """
    found = [(line, call) for line in lines if line.serves(port, towards)
             for call in next_calls(line, sightings, port, unit, now)]
    return catch(found, ahead, units)


def rest_loads_at(lines: Sequence[FerryLine], sightings: Mapping[str, Sighting],
                  loads: Sequence[tuple[str, int, datetime]], units: int, port: str,
                  towards: str, unit: UnitType, now: datetime) -> datetime | None:
    """When the last units of a shipment already partly loaded at ``port`` load there: the
    latest of its ``loads`` (vessel id, units, when) once they hold all ``units``, else the
    call its remaining units will likely catch (at the head of the queue). None when nothing
    was loaded there, when all went on one ship or the last ship has arrived at ``towards``,
    or when no vessel was seen lately.
    """
    if not loads:
        return None
    aboard = sum(n for _, n, _ in loads)
    if aboard >= units:
        if len({vessel for vessel, _, _ in loads}) <= 1:
            return None  # all on one ship: nothing to wait for
        vessel, _, last = max(loads, key=lambda load: load[2])
        seen = sightings.get(vessel)
        if seen is not None and seen.place == towards and seen.at >= last:
            return None  # the last ship has arrived
        return last
    found = sailing_with_space(lines, sightings, port, towards, unit, 0, now, units - aboard)
    return found[1].loads_at if found is not None else None
