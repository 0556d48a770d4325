"""How well the ETA spread forecasts: coverage of [P10, P90] and error of P50 on event streams.

An event stream (the shipment and event records :mod:`midcorridor.sim.feed` writes, or any
feed of that shape) is replayed in event-time order. Each shipment's position and the units
waiting at every Caspian port are folded in as the events come, exactly as the service does.
At a *checkpoint* — the first actual arrival of a shipment at one of :data:`CHECKPOINTS` — the
ETA spread is computed from that state alone (the events up to that moment) and compared with
the shipment's true arrival: its last actual arrival at its destination, later in the stream.
Beside it stands the deterministic ETA, the planned arrival plus the delay so far.

Shipments whose first event falls within :data:`CENSOR_DAYS` of the end of the stream are left
out: some of them would not have arrived yet, and keeping only those that did would favour the
quick ones.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from midcorridor.live.closures import PostedClosure, in_force
from midcorridor.live.eta import (
    LEAVING_WINDOW_H,
    OBSERVED_MIN,
    OBSERVED_WINDOW_H,
    EtaSpread,
    LegTimes,
    containing,
    eta_spread,
    rest_loads,
    steps_ahead,
    whole,
)
from midcorridor.live.ferries import (
    VESSEL_CODES,
    Sighting,
    loaded_units,
    sighted,
)
from midcorridor.live.fleet import dataset_fleet, vessel_names
from midcorridor.live.position import (
    ARRIVAL_CODES,
    WATER_MODES,
    Position,
    deck_units,
    milestone_rank,
    planned_time,
    segment_key,
    standing_at,
    step_took,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

    from midcorridor.crossing.model import UnitType
    from midcorridor.live.waits import WaitInputs

CHECKPOINTS: Mapping[str, str] = {"Khorgos": "KZAKL", "Aktau": "KZAAU", "Alat": "AZALT"}
"""Where forecasts are checked: the Kazakh side of the Khorgos border (Altynkol), the port of
Aktau before the crossing and the port of Alat after it."""

CENSOR_DAYS = 45.0


@dataclass(frozen=True)
class StreamLeg:
    """A planned leg as a feed's shipment record carries it."""

    origin: str
    destination: str
    mode: str
    planned_depart: datetime
    planned_arrive: datetime


@dataclass(frozen=True)
class StepError:
    """One remaining step of a checkpoint forecast: its median hours and the hours it took."""

    segment: str
    p50_h: float
    actual_h: float | None  # None when a milestone at either end was never reported
    wait: WaitInputs | None = None  # a wait for a ferry standing at the port: what it read


@dataclass(frozen=True)
class Forecast:
    """One checkpoint of one shipment: the forecasts made there and what happened."""

    reference: str
    checkpoint: str
    at: datetime
    p10: datetime
    p50: datetime
    p90: datetime
    deterministic: datetime
    arrival: datetime
    steps: tuple[StepError, ...] = ()

    @property
    def covered(self) -> bool:
        """Whether the true arrival fell inside [P10, P90]."""
        return self.p10 <= self.arrival <= self.p90

    def error_h(self, estimate: datetime) -> float:
        """Hours between ``estimate`` and the true arrival."""
        return abs((estimate - self.arrival).total_seconds()) / 3600


@dataclass(frozen=True)
class Calibration:
    """Coverage and errors at one checkpoint."""

    checkpoint: str
    n: int
    coverage: float
    mae_p50_h: float
    mae_deterministic_h: float
    below_p10: float
    above_p90: float

    @property
    def improvement(self) -> float:
        """How much smaller the P50's error is than the deterministic ETA's (0.3 = 30%)."""
        if self.mae_deterministic_h <= 0:
            return 0.0
        return 1.0 - self.mae_p50_h / self.mae_deterministic_h


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class _Tracked:
    legs: tuple[StreamLeg, ...]
    unit_type: UnitType
    units: int
    first: datetime | None = None
    position: Position | None = None
    since: Position | None = None  # the current milestone and when it was first reached
    arrival: datetime | None = None
    reached: dict[int, datetime] = field(default_factory=dict)  # first time per milestone
    # per port: the vessels its units were loaded on there (vessel id, units, when)
    loads: dict[str, list[tuple[str, int, datetime]]] = field(default_factory=dict)


def _shipment(record: Mapping[str, Any], ports: Collection[str]) -> _Tracked:
    legs = tuple(StreamLeg(leg["origin"], leg["destination"], leg["mode"],
                           _time(leg["planned_depart"]), _time(leg["planned_arrive"]))
                 for leg in record["legs"])
    cargo = record.get("cargo", {})
    unit, count = deck_units(legs, float(cargo.get("teu", 0.0)), int(cargo.get("units", 1)),
                             ports)
    return _Tracked(legs, unit, count)


def replay_forecasts(
    records: Iterable[Mapping[str, Any]],
    *,
    times: LegTimes,
    ports: Collection[str],
    checkpoints: Mapping[str, str] = CHECKPOINTS,
    censor_days: float = CENSOR_DAYS,
    vessels: bool = True,
    closures: Sequence[PostedClosure] = (),
    units: Collection[UnitType] | None = None,
) -> list[Forecast]:
    """Every checkpoint forecast of the stream, made from the events up to its moment (with
    ``vessels``, the Caspian vessels' last sightings among them). ``closures`` are the port
    closures posted over the stream, each known from its start: a shipment standing at a
    port closed at its checkpoint waits for the ferry from the reopening, as the service has
    it; the stream's own ``closure`` records (port authorities' notices) count as posted too.
    With ``units``, only the forecasts of shipments whose cargo crosses as one of these
    unit types are made (every shipment's events still make the state).
    """
    shipments: dict[str, _Tracked] = {}
    events: list[Mapping[str, Any]] = []
    notices = list(closures)
    for record in records:
        if record.get("record") == "shipment":
            shipments[record["reference"]] = _shipment(record, ports)
        elif record.get("record") == "event" and record.get("classifier", "ACT") == "ACT":
            events.append(record)
        elif record.get("record") == "closure":
            notices.append(PostedClosure(-len(notices) - 1, record["place"],
                                         _time(record["start"]), _time(record["end"]),
                                         str(record.get("reason", ""))))
    events.sort(key=lambda e: (e["event_time"], e["event_id"]))
    if not events:
        return []
    replay = _Replay(times, ports, _time(events[0]["event_time"]), tuple(notices),
                     vessel_names(dataset_fleet(times.network)) if vessels else {})
    by_place = {place: name for name, place in checkpoints.items()}
    for event in events:
        ref = event.get("shipment") or ""
        s = shipments.get(ref)
        if s is None:
            if not ref:  # a vessel's own movement (a call report), laden or empty
                replay.sight(None, event, _time(event["event_time"]))
            continue
        when, code, place = _time(event["event_time"]), event["event_code"], event["location"]
        replay.sight(s, event, when)
        replay.advance(ref, s, code, place, when)
        name = by_place.get(place)
        if (name is not None and code in ARRIVAL_CODES and (ref, name) not in replay.seen
                and (units is None or s.unit_type in units)):
            replay.seen.add((ref, name))
            replay.forecast(ref, s, name, when)
    cutoff = _time(events[-1]["event_time"]) - timedelta(days=censor_days)
    return [forecast for made in replay.pending
            if (forecast := _scored(made, shipments[made.reference], cutoff)) is not None]


@dataclass(frozen=True)
class _Made:
    """A checkpoint forecast before its outcome is known: per remaining step its segment, the
    milestone it ends at and its median hours.
    """

    reference: str
    checkpoint: str
    at: datetime
    spread: EtaSpread
    deterministic: datetime
    steps: tuple[tuple[str, int, float, WaitInputs | None], ...]


@dataclass
class _Replay:
    """What the events up to a moment tell, folded in as they come."""

    times: LegTimes
    ports: Collection[str]
    first_time: datetime
    closures: tuple[PostedClosure, ...]
    names: Mapping[str, str]  # how events name the vessels -> vessel id
    # units standing at each Caspian port: reference -> (since, unit type, units, crossing:
    # the port its next leg sails to, "" when that leg is not by water)
    waiting: dict[str, dict[str, tuple[datetime, UnitType, int, str]]] = field(
        default_factory=dict)
    # units that left each port lately by water: (port, port sailed to, unit type) -> (time,
    # units), oldest first
    left: dict[tuple[str, str, UnitType], deque[tuple[datetime, int]]] = field(
        default_factory=dict)
    # durations observed at each segment: segment -> (when it ended, hours), oldest first
    observed: dict[str, deque[tuple[datetime, float]]] = field(default_factory=dict)
    sightings: dict[str, Sighting] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (reference, checkpoint) done
    pending: list[_Made] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.waiting = {port: {} for port in self.ports}

    def sight(self, s: _Tracked | None, event: Mapping[str, Any], when: datetime) -> None:
        """A transport event naming a Caspian vessel places it (and a load, the shipment's
        units aboard it); ``s`` is None for the vessel's own movements.
        """
        code, place = event["event_code"], event["location"]
        vessel = self.names.get(str(event.get("vehicle", "")).casefold())
        if vessel is None or code not in VESSEL_CODES:
            return
        description = str(event.get("description", ""))
        self.sightings[vessel] = sighted(self.sightings.get(vessel), vessel, code, place, when,
                                         description, s.units if s is not None else None)
        if code == "LOAD" and s is not None:
            s.loads.setdefault(place, []).append((vessel, loaded_units(description, s.units),
                                                  when))

    def advance(self, ref: str, s: _Tracked, code: str, place: str, when: datetime) -> None:
        """The shipment's milestones after one more event, the durations it took and the
        queues it stands in or leaves.
        """
        if s.first is None:
            s.first = when
        if code in ARRIVAL_CODES and place == s.legs[-1].destination:
            s.arrival = when if s.arrival is None else max(s.arrival, when)
        rank = milestone_rank(s.legs, code, place)
        if rank is None:
            return
        here = Position(rank, when)
        if rank not in s.reached or when < s.reached[rank]:
            s.reached[rank] = when
        if s.since is not None and rank == s.since.rank and when < s.since.at:
            s.since = here
        if s.position is not None and here <= s.position:
            return
        took = step_took(s.legs, s.since, here)
        if took is not None:
            segments = [took[0], whole(took[0])] if _crossed_whole(s, rank) else [took[0]]
            for segment in segments:
                for key in (segment, f"{segment}|{s.unit_type.value}"):
                    self.observed.setdefault(key, deque()).append((when, took[1]))
        if s.position is None or rank > s.position.rank:
            s.since = here
        for port, queue in self.waiting.items():
            stood = queue.pop(ref, None)
            if stood is not None and stood[3]:
                self.left.setdefault((port, stood[3], s.unit_type), deque()).append(
                    (when, s.units))
        s.position = here
        if rank % 2 == 1 and rank < 2 * len(s.legs) - 1:
            stand = standing_at(s.legs, rank)
            if stand in self.waiting:
                self.waiting[stand][ref] = (when, s.unit_type, s.units,
                                            _crossing(s.legs[rank // 2 + 1]))

    def forecast(self, ref: str, s: _Tracked, name: str, when: datetime) -> None:
        """The shipment's ETA spread at checkpoint ``name``, from the events so far."""
        if s.position is None:
            return
        ahead = _queue_ahead(ref, s, self.waiting)
        towards = {leg.origin: leg.destination for leg in s.legs if leg.origin in ahead}
        known_h = max(1.0, (when - self.first_time).total_seconds() / 3600)
        pace = {port: leaving_per_h(self.left.get((port, towards[port], s.unit_type), ()),
                                    when, known_h)
                for port in ahead}
        rank = s.position.rank
        start, steps = steps_ahead(
            s.legs, s.position, now=when, times=self.times, unit_type=s.unit_type,
            units=s.units, ports=self.ports, queue_ahead=ahead, leaving_per_h=pace,
            observed=_recent(self.observed, when, s.unit_type), sightings=self.sightings,
            closed_until=self._closed(s, when),
            rest_loads=rest_loads(s.legs, rank, self.ports, times=self.times,
                                  sightings=lambda: self.sightings, loads=s.loads.get,
                                  units=s.units, unit_type=s.unit_type, now=when))
        delay = s.position.at - planned_time(s.legs, s.position.rank)
        spread = containing(eta_spread(start, steps), s.legs[-1].planned_arrive + delay)
        predicted = tuple((_step_name(s.legs, step.until), step.until, seg.p50_h, step.wait)
                          for step, seg in zip(steps, spread.segments, strict=False))
        self.pending.append(_Made(ref, name, when, spread, s.legs[-1].planned_arrive + delay,
                                  predicted))

    def _closed(self, s: _Tracked, when: datetime) -> dict[str, datetime] | None:
        """When the Caspian port the shipment stands at reopens, if a closure holds there."""
        if not self.closures or s.position is None or s.position.rank % 2 == 0:
            return None
        port = standing_at(s.legs, s.position.rank)
        closure = in_force(self.closures, port, when) if port in self.waiting else None
        return {port: closure.end} if closure is not None else None


def _scored(made: _Made, s: _Tracked, cutoff: datetime) -> Forecast | None:
    """The forecast beside what happened: None for a shipment that never arrived or began
    after ``cutoff``.
    """
    if s.arrival is None or s.first is None or s.first > cutoff:
        return None
    errors = []
    for k, (segment, until, p50_h, wait) in enumerate(made.steps):
        end, begin = s.reached.get(until), made.at if k == 0 else s.reached.get(until - 1)
        hours = (end - begin).total_seconds() / 3600 if end and begin else None
        errors.append(StepError(segment, p50_h, hours, wait))
    spread = made.spread
    return Forecast(made.reference, made.checkpoint, made.at, spread.p10, spread.p50,
                    spread.p90, made.deterministic, s.arrival, tuple(errors))


def _crossed_whole(s: _Tracked, rank: int) -> bool:
    """Whether a shipment leaving milestone ``rank - 1`` for ``rank`` ends a stay after a
    crossing whose units all went on one ship.
    """
    if rank % 2 or rank < 2:
        return False
    crossed = s.legs[rank // 2 - 1]
    if crossed.mode not in WATER_MODES:
        return False
    return len({vessel for vessel, _, _ in s.loads.get(crossed.origin, ())}) <= 1


def _step_name(legs: Sequence[StreamLeg], until: int) -> str:
    """The segment a step ending at milestone ``until`` covers (a dwell or a leg)."""
    leg = legs[until // 2]
    return segment_key(leg, dwell=until % 2 == 0)


def leaving_per_h(departures: Iterable[tuple[datetime, int]], now: datetime,
                  known_h: float) -> float:
    """Units an hour that left over the last :data:`LEAVING_WINDOW_H` hours before ``now``
    (or the ``known_h`` hours there is history for, when fewer); drops older entries of a
    deque as it goes.
    """
    window = min(LEAVING_WINDOW_H, known_h)
    since = now - timedelta(hours=window)
    if isinstance(departures, deque):
        while departures and departures[0][0] < since:
            departures.popleft()
    total = sum(units for at, units in departures if since <= at <= now)
    return total / window if window > 0 else 0.0


def _recent(observed: Mapping[str, deque[tuple[datetime, float]]], now: datetime,
            unit: UnitType) -> dict[str, list[float]]:
    """The durations observed lately per segment (over :data:`OBSERVED_WINDOW_H`, or the
    latest :data:`OBSERVED_MIN` when it holds fewer): those of shipments of ``unit``'s type
    where there are enough of them, else those of all shipments. Drops from the deques what
    can no longer count.
    """
    since = now - timedelta(hours=OBSERVED_WINDOW_H)
    out: dict[str, list[float]] = {}
    typed: dict[str, list[float]] = {}
    for key, durations in observed.items():
        while len(durations) > OBSERVED_MIN and durations[0][0] < since:
            durations.popleft()
        segment, _, kind = key.partition("|")
        recent = [h for at, h in durations if at >= since]
        hours = recent if len(recent) >= OBSERVED_MIN else [h for _, h in durations]
        if not kind:
            out.setdefault(segment, hours)
        elif kind == unit.value:
            typed[segment] = hours
    for segment, hours in typed.items():
        if len(hours) >= OBSERVED_MIN:
            out[segment] = hours
    return out


def _crossing(leg: StreamLeg) -> str:
    """The port a leg sails to, or "" when it is not a crossing by water."""
    return leg.destination if leg.mode in WATER_MODES else ""


def _queue_ahead(ref: str, s: _Tracked,
                 waiting: Mapping[str, Mapping[str, tuple[datetime, UnitType, int, str]]]
                 ) -> dict[str, int]:
    """Per Caspian port the shipment sails from, the units of its type waiting there before
    it for the same crossing (all of them when it is not there yet).
    """
    out = {}
    for leg in s.legs:
        queue = waiting.get(leg.origin)
        towards = _crossing(leg)
        if queue is None or not towards:
            continue
        mine = queue.get(ref)
        out[leg.origin] = sum(
            units for other, (since, unit, units, bound) in queue.items()
            if other != ref and unit is s.unit_type and bound == towards
            and (mine is None or (since, other) < (mine[0], ref)))
    return out


def wait_rows(forecasts: Iterable[Forecast]) -> list[tuple[WaitInputs, float]]:
    """What each wait for a ferry, or stay after a crossing, at a checkpoint read and the
    hours it took (from the checkpoint, the moment the shipment arrived at the port): the rows
    a fitted wait or stay (:mod:`midcorridor.live.waits`) is fitted on.
    """
    return [(step.wait, step.actual_h) for f in forecasts for step in f.steps[:1]
            if step.wait is not None and step.actual_h is not None]


def calibration(forecasts: Sequence[Forecast],
                checkpoints: Iterable[str] = CHECKPOINTS) -> list[Calibration]:
    """Coverage of [P10, P90] and mean absolute errors per checkpoint (those with forecasts)."""
    out = []
    for name in checkpoints:
        rows = [f for f in forecasts if f.checkpoint == name]
        if not rows:
            continue
        n = len(rows)
        out.append(Calibration(
            name, n,
            coverage=sum(f.covered for f in rows) / n,
            mae_p50_h=sum(f.error_h(f.p50) for f in rows) / n,
            mae_deterministic_h=sum(f.error_h(f.deterministic) for f in rows) / n,
            below_p10=sum(f.arrival < f.p10 for f in rows) / n,
            above_p90=sum(f.arrival > f.p90 for f in rows) / n))
    return out


def conformal_scale(forecasts: Sequence[Forecast], coverage: float = 0.8) -> float:
    """The factor by which every forecast's distances from its P50 to its P10 and to its P90
    must be scaled for ``coverage`` of ``forecasts`` to hold their true arrival (split
    conformal): of each forecast, the arrival's distance from the P50 over the P10's (arrival
    earlier) or the P90's (later) distance from it, and of these the
    ceil((n + 1) * coverage)-th smallest (the largest where that passes n). 1 when there are
    no forecasts.
    """
    if not forecasts:
        return 1.0
    ratios = []
    for f in forecasts:
        off = (f.arrival - f.p50).total_seconds()
        side = (f.p90 - f.p50 if off >= 0 else f.p50 - f.p10).total_seconds()
        ratios.append(abs(off) / side if side > 0 else (0.0 if off == 0 else math.inf))
    ratios.sort()
    rank = min(len(ratios), math.ceil((len(ratios) + 1) * coverage))
    return ratios[rank - 1]


@dataclass(frozen=True)
class SegmentShare:
    """How much one segment contributes to the P50's error at one checkpoint."""

    checkpoint: str
    segment: str
    n: int
    bias_h: float  # mean of (median predicted - actual) hours
    mae_h: float
    share: float  # its part of the variance of the P50's error (the parts sum to about 1)


def breakdown(forecasts: Sequence[Forecast],
              checkpoints: Iterable[str] = CHECKPOINTS) -> list[SegmentShare]:
    """Per checkpoint, each remaining segment's error and its share of the P50's error
    variance (covariance of the segment's error with the total, over the total's variance),
    largest share first. Forecasts with a step whose actual hours are unknown are left out.
    """
    out: list[SegmentShare] = []
    for name in checkpoints:
        rows = [f for f in forecasts if f.checkpoint == name
                and all(t.actual_h is not None for t in f.steps)]
        if len(rows) < 2:
            continue
        total = [sum(t.p50_h - (t.actual_h or 0.0) for t in f.steps) for f in rows]
        mean_total = sum(total) / len(total)
        var = sum((e - mean_total) ** 2 for e in total) / len(total) or 1.0
        per: dict[str, list[tuple[float, float]]] = {}
        for f, e in zip(rows, total, strict=True):
            for t in f.steps:
                per.setdefault(t.segment, []).append((t.p50_h - (t.actual_h or 0.0), e))
        shares = []
        for segment, pairs in per.items():
            n = len(pairs)
            # a forecast without the segment counts zero error there; the total's deviations
            # sum to zero, so the covariance needs only the forecasts that have it
            cov = sum(x * (e - mean_total) for x, e in pairs)
            shares.append(SegmentShare(name, segment, n, sum(x for x, _ in pairs) / n,
                                       sum(abs(x) for x, _ in pairs) / n,
                                       cov / len(rows) / var))
        out.extend(sorted(shares, key=lambda s: -s.share))
    return out


@dataclass(frozen=True)
class Ceiling:
    """What the P50 could gain at one checkpoint if some segments' hours were known exactly."""

    checkpoint: str
    n: int
    gain: float  # the steps' medians summed, against the deterministic ETA (0.3 = 30% better)
    gain_known: float  # the same with the known segments' actual hours instead of medians


def ceiling(forecasts: Sequence[Forecast], known: Callable[[str], bool],
            checkpoints: Iterable[str] = CHECKPOINTS) -> list[Ceiling]:
    """Per checkpoint, how much better than the deterministic ETA the sum of the steps'
    medians is, and would be if the segments ``known`` picks took exactly their actual hours
    (a bound on what forecasting those segments better can win). Forecasts with a step whose
    actual hours are unknown are left out.
    """
    out = []
    for name in checkpoints:
        rows = [f for f in forecasts if f.checkpoint == name
                and all(t.actual_h is not None for t in f.steps)]
        if not rows:
            continue
        deterministic = sum(f.error_h(f.deterministic) for f in rows)
        if deterministic <= 0:
            continue

        def error(f: Forecast, *, oracle: bool) -> float:
            hours = sum(t.actual_h if oracle and known(t.segment) else t.p50_h
                        for t in f.steps if t.actual_h is not None)
            return abs(f.at + timedelta(hours=hours) - f.arrival).total_seconds() / 3600

        out.append(Ceiling(name, len(rows),
                           1 - sum(error(f, oracle=False) for f in rows) / deterministic,
                           1 - sum(error(f, oracle=True) for f in rows) / deterministic))
    return out


def ferry_wait(ports: Collection[str]) -> Callable[[str], bool]:
    """Whether a segment is the wait at a Caspian port for a crossing to another one."""
    def pick(segment: str) -> bool:
        words = segment.split()
        return len(words) == 4 and words[0] == "at" and words[1] in ports and words[3] in ports
    return pick
