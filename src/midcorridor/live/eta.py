"""ETA with honest uncertainty: P10, P50, P90 of the arrival and hours per remaining segment.

The remaining route after a shipment's position is a chain of steps: the rest of the step it
is in, then dwell and travel of every leg ahead. Each step's duration is triangular between
the data set's minimum, typical and maximum (link hours; border and gauge dwell of the link);
where the data set has nothing, the planned duration is typical and the spread an assumption
(:data:`PLANNED_SPREAD`). Before a Caspian crossing the shipment waits for a ferry: behind the
units already waiting at the port, about one sailing per headway with the fleet's deck
capacity, or until the sailing a published plan gives it. A storm closing the port can add
days, more likely in winter (:func:`storm_rate_per_h`). The step the shipment is in is
conditioned on the time it has already spent there.

The chain is evaluated on a fixed Latin hypercube sample (:data:`SAMPLES` draws, the same
every time), so the result depends only on the inputs and is cheap enough to recompute on
every event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from midcorridor.crossing.model import UnitType
from midcorridor.live.ferries import (
    Call,
    FerryLine,
    Sighting,
    ferry_lines,
    rest_loads_at,
    sailing_with_space,
    sailings,
    ships_near,
)
from midcorridor.live.position import WATER_MODES, PlannedLeg, Position, segment_key
from midcorridor.live.waits import FEATURES, STAY, WAIT, WaitFit, WaitInputs, packaged_fit
from midcorridor.network.driving import road_elapsed_hours
from midcorridor.network.model import Link, Mode, Network, Spread, VesselKind

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence

SAMPLES = 256
_MAX_STEPS = 64
_RNG = np.random.default_rng(20260302)
# One fixed stratified sample per step (and one per storm draw): column j is step j.
_STRATA = (np.argsort(_RNG.random((SAMPLES, 2 * _MAX_STEPS)), axis=0) + 0.5) / SAMPLES

_Q_INDEX = np.round(np.array([0.1, 0.5, 0.9]) * (SAMPLES - 1)).astype(int)

PLANNED_SPREAD = (0.9, 1.2, 1.7)
"""Where the data set gives no spread, a leg takes 0.9 to 1.7 times (typically 1.2 times) its
planned hours: rail schedules slip more than they gain, no published distribution was found,
and the factors are calibrated against simulated event streams (docs/service.md,
"Calibration of the spread")."""

PLANNED_DWELL_SPREAD = (0.5, 1.0, 3.0)
"""The same for a dwell between two legs where the data set has none: terminals and border
stations hold trains for far longer than planned now and then (calibrated likewise)."""

BERTH_H = Spread(0.0, 12.0, 30.0)
"""Hours between loading onto a vessel and its sailing, added to every crossing: loading a
ferry takes most of a day (assumption, calibrated likewise)."""

PACE_FLOOR = 0.25
"""The pace observed lately is taken to be at least this share of the capacity the crossing's
lines offer (units per sailing over the headway): a pace that stalled for a while, after a
closure or a quiet week, does not make the queue look endless (fitted on seeds 1-2: 0.25 and
0.5 did alike, 1.0 worse at Aktau; without a floor the storms' Alat gain fell to 7%)."""

LANDING_H = Spread(0.0, 10.0, 40.0)
"""Hours the last units of a shipment split over several ships land after the quickest
crossing from their loading (berth and sea; first fitted at 0, 20 and 60 h on seeds 1-2,
refitted there at 0, 10 and 40 h: the wagon groups for Baku split over two ships were
predicted to stay 49-53 h at Alat and stayed 42-45 h on average, 35 h in the median; the P50
gained 0-4 points at Alat and 0-1 at Aktau, coverage within a point; 8, 12 and 15 h typical,
or 30 and 60 h at most, did within a point of it)."""

CONTAINER_BERTH_H = Spread(0.0, 8.0, 24.0)
"""Hours a container shipment's wait for a ferry lasts beyond its turn in the queue: the ports
report the loading as the ship sails, so the wait runs to the sailing and holds the cargo
ship's handling and filling at the berth (fitted on the simulated seeds 1-2 once the loading
was reported at sailing: the container trains' wait at Aktau was predicted 12 h short; 6, 10
and 12 h typical, 20-30 h at most, did within a point of it; the railcars and trucks, on Ro-Ro
ferries that berth shortly, lost P50 gain at Alat with it)."""

TIMETABLE_SPREAD = (0.0, 1.0, 1.5)
"""Without a pace observed lately, the wait lies between none and 1.5 times the sailings
that fill before ours, typically that (assumption)."""

QUEUE_SPREAD = (0.0, 0.1, 1.0)
"""The wait for a ferry lies between these factors (least, typical, most) of the time the units
ahead for the same crossing need to leave at the pace observed lately, plus up to half a
headway: ships load several trains at once, so most waits are far shorter than the queue's
share of the pace (refitted on seeds 1-2 once the queue counted only the same crossing:
typically 0.1 and at most 1.0 beat 0.25 and 1.2 by 1-5 points of P50 gain at Aktau and Alat,
coverage unchanged)."""

ESTIMATE_SPREAD = (0.85, 1.0, 1.3)
"""An operator's estimate of a milestone ahead (an EST event) is taken to be reached after
0.85 to 1.3 times (typically exactly) the hours the estimate gives from the last actual
milestone: estimates slip more often than they gain (assumption)."""

OVERDUE_SPREAD = (0.0, 0.1, 0.5)
"""A step already past its slowest time is taken to need 0 to 0.5 (typically 0.1) of its
typical hours more (assumption)."""

STORMS_PER_YEAR = 3.0
"""About three multi-day stoppages of Caspian navigation a year: ~5 days in May 2022
(sea-news.az, 2022-05-09), 5 days in February 2025 (Azernews, 2025-02-10), ~7 days at Aktau in
December (minval.biz); the frequency is an assumption from these, as in the simulator."""

WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})
WINTER_FACTOR = 1.5
"""Storms are taken 1.5 times as frequent from November to March and correspondingly rarer
from April to October (assumption: two of the three reported stoppages fell in winter)."""

STORM_DELAY_H = Spread(24.0, 60.0, 168.0)
"""Hours a closure that begins while a shipment waits or sails adds to its crossing: the part
of a 2-7 day closure (typically 5) after that moment (assumption: about half on average)."""

OBSERVED_MIN = 12
"""A leg or a dwell takes its spread from the durations other shipments were observed to take
there lately once there are this many of them (else from the data set or the plan)."""

OBSERVED_WINDOW_H = 60 * 24.0
"""Observed durations older than this many hours are forgotten (calibrated: two months did
better than two weeks or one month), unless these hours hold fewer than :data:`OBSERVED_MIN`:
then the latest that many count, however old (calibrated: a segment few shipments take, such
as a dwell on the way east, did better on its own past than on the plan)."""

STEP_CORRELATION = 0.0
"""Steps are not independent (a congested or stormy week slows several at once): the sum's
distance from its median is stretched as if each pair of steps correlated this much, and by
:data:`SPREAD_WIDEN` more (refitted on seeds 1-2 with the stays after split crossings: 0.03
and 1.25 kept Khorgos as it was and brought Aktau and Alat from 70-75% into 76-82%; 0.09 with
no extra stretch, 0.12, and a longer late tail alone did not. Refitted again once a shipment
before its crossing took the stays of all shipments after it: 0 and 1.3 brought the
baseline's Khorgos from 87% to 86% on both seeds, the rest within a point; 0.01 and 1.28, and
0 and 1.35, did not)."""

SPREAD_WIDEN = 1.3

LATE_TAIL = 1.0
"""The total's distance from its median to its P90 is stretched by this much more than the
distance to its P10 (first fitted at 1.15 on seeds 1 and 2 of the simulated baseline and
storms, when about 14% of arrivals fell beyond the P90 and 9% before the P10; refitted on the
same seeds at 1.0 once a shipment before its crossing took the stays of all shipments after
it, which put 5-12% beyond the P90 and 8-11% before the P10 at 1.15, tried 1.15 with a
stretch of 1.1 and 1.15)."""

FITTED_SPREAD = {WAIT: 0.84, STAY: 1.01}
"""The total's distance from its median, where a fitted wait or stay is among its steps, is
scaled by the factor of that step's kind after the stretch: the split-conformal factor of the
fit seeds, the one that makes [P10, P90] of such forecasts at the calibration's checkpoints on
the years the waits were fitted on (baseline and storms, seeds 1-2) hold 80% of the true
arrivals (:func:`midcorridor.live.calibration.conformal_scale`; ``python -m
benchmarks.fit_waits --spread`` measures it: the packaged factor times the conformal scale of
forecasts made with it). Measured with the factors at 1, all at Aktau: 0.837 over the 1,434
forecasts waiting for the ferry to Alat, 1.013 over the 566 staying after the crossing from
Alat. Each fitted step covers 80% of its own rows (the ETA's P10-P90 of its quantiles:
78-82%), but the totals holding a fitted wait, with the rules' steps after it, covered 83-90%;
one factor for both kinds (0.880) left the stays at 68-79%."""

LEAVING_WINDOW_H = 14 * 24.0
"""The pace at which units leave a Caspian port is taken over this many past hours
(assumption: two weeks hold a dozen sailings or more from each Kazakh port)."""

FEW_SAILINGS = 6.0
"""A crossing whose ships leave a port fewer times than this in the pace's window
(:data:`LEAVING_WINDOW_H`, once a cycle each) is sailed by few ships: a shipment waiting there
first waits for one of them to come back, which neither the queue nor its lumpy pace tells.
Its wait is until the call its ship's events show (a ship loading there with space, or sailing
there with cargo), give or take half a headway, else the waits observed lately on that
crossing for its unit type (fitted on seeds 1-2: on the Aktau-Alat rail ferries, two ships and
about three sailings in two weeks, the railcars' wait went from 33 to 24 h mean error; the
Kuryk-Alat ferries, five ships and eight sailings, and the container feeders did as well or
better on the pace; any threshold between 3 and 8 splits them alike)."""

DEFAULT_FERRY = (50, 24.0)
"""Units per sailing and headway in hours where no data-set service carries the unit type from
a port (assumption: one Ro-Pax deck a day)."""


@dataclass(frozen=True)
class PlannedSailing:
    """The sailing a published crossing plan puts a shipment on."""

    sailing: str
    vessel: str
    departure: datetime
    arrival: datetime
    plan_id: int = 0


@dataclass(frozen=True)
class SegmentEta:
    """Expected hours of one remaining step and why."""

    segment: str
    p50_h: float
    p90_h: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        """The estimate as JSON-ready values."""
        return {"segment": self.segment, "p50_h": self.p50_h, "p90_h": self.p90_h,
                "reason": self.reason}


@dataclass(frozen=True)
class EtaSpread:
    """The arrival's P10, P50 and P90 and the remaining steps."""

    p10: datetime
    p50: datetime
    p90: datetime
    segments: tuple[SegmentEta, ...] = ()


@dataclass(frozen=True)
class _Step:
    segment: str
    spread: Spread
    reason: str
    elapsed_h: float = 0.0
    depart_at: datetime | None = None  # a planned sailing: the step ends no earlier
    headway_h: float = 24.0
    storm_p: float = 0.0
    observed: tuple[float, ...] = ()  # sorted durations observed lately (hours), if enough
    until: int = -1  # the milestone (rank) the step ends at
    not_before: datetime | None = None  # a stay that begins no earlier than this
    last_loads_at: datetime | None = None  # a wait for a ferry: when the last units load
    wait: WaitInputs | None = None  # a wait for a ferry standing at the port: what it read
    fitted: bool = False  # its hours are those of the fitted model of what it read


def storm_rate_per_h(month: int) -> float:
    """Storm onsets per hour in ``month`` (1-12)."""
    winter = len(WINTER_MONTHS)
    summer_factor = (12 - WINTER_FACTOR * winter) / (12 - winter)
    factor = WINTER_FACTOR if month in WINTER_MONTHS else summer_factor
    return STORMS_PER_YEAR / 8760.0 * factor


def triangular_quantile(spread: Spread, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution (min, typ, max) at ``u``."""
    a, c, b = spread.min, spread.typ, spread.max
    if b - a <= 1e-12:
        return np.full_like(u, a)
    f = (c - a) / (b - a)
    low = a + np.sqrt(u * (b - a) * (c - a))
    high = b - np.sqrt((1 - u) * (b - a) * (b - c))
    return np.where(u < f, low, high)


def triangular_cdf(spread: Spread, x: float) -> float:
    """The probability that a triangular ``spread`` is at most ``x``."""
    a, c, b = spread.min, spread.typ, spread.max
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1 - (b - x) ** 2 / ((b - a) * (b - c))


def _overdue(spread: Spread, u: np.ndarray) -> np.ndarray:
    lo, typ, hi = (f * max(spread.typ, 1.0) for f in OVERDUE_SPREAD)
    return triangular_quantile(Spread(lo, typ, hi), u)


_TABLE_LIMIT = 4096
_tables: dict[tuple[object, ...], np.ndarray] = {}
_tables_of: list[np.ndarray] = []  # the strata the tables were drawn from


def _table(key: tuple[object, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
    """A per-step sample that depends only on ``key``, computed once and kept (read-only)
    while the strata stay the same.
    """
    if not _tables_of or _tables_of[0] is not _STRATA:
        _tables.clear()
        _tables_of[:] = [_STRATA]
    found = _tables.get(key)
    if found is None:
        if len(_tables) >= _TABLE_LIMIT:
            _tables.clear()
        found = make()
        found.flags.writeable = False
        _tables[key] = found
    return found


def _fresh_draws(spread: Spread, column: int) -> np.ndarray:
    """The sample of a step not yet begun (column ``column`` of the strata): it depends on
    the spread alone, so it is drawn once per spread and column.
    """
    return _table((spread, column), lambda: triangular_quantile(spread, _STRATA[:, column]))


def _fresh_observed_draws(observed: tuple[float, ...], column: int) -> np.ndarray:
    """The same for a step whose spread is the durations ``observed`` lately."""
    return _table((observed, column),
                  lambda: np.quantile(np.asarray(observed), _STRATA[:, column]))


def _storm_draws(column: int) -> np.ndarray:
    """The hours a storm adds at step ``column``, should it hit (one draw per sample)."""
    return _table(("storm", column), lambda: triangular_quantile(
        STORM_DELAY_H, _STRATA[:, (column + 7) % _MAX_STEPS]))


def _remaining_observed(observed: tuple[float, ...], elapsed: float,
                        u: np.ndarray) -> np.ndarray:
    """Hours left of a step already ``elapsed`` hours long, from observed durations."""
    values = np.asarray(observed)
    if elapsed <= 0:
        return np.quantile(values, u)
    done = float(np.searchsorted(values, elapsed, side="right")) / len(values)
    if done >= 1.0 - 1e-9:
        typ = float(np.median(values))
        return _overdue(Spread(typ, typ, typ), u)
    return np.maximum(0.0, np.quantile(values, done + u * (1 - done)) - elapsed)


def _remaining(spread: Spread, elapsed: float, u: np.ndarray) -> np.ndarray:
    """Hours left of a step already ``elapsed`` hours long (conditioned on not being over)."""
    if elapsed <= 0:
        return triangular_quantile(spread, u)
    done = triangular_cdf(spread, elapsed)
    if done >= 1.0 - 1e-9:
        return _overdue(spread, u)
    return triangular_quantile(spread, done + u * (1 - done)) - elapsed


@dataclass(frozen=True)
class Ferry:
    """Sailings from a port for one unit type: units per sailing and hours between sailings."""

    units_per_sailing: int
    headway_h: float
    crossing: Spread


class LegTimes:
    """The data set's durations: link hours and dwell, ferries per port and unit type, and
    the fitted waits for a ferry (``waits``: those fitted on the simulated years unless
    given; :data:`~midcorridor.live.waits.NO_FIT` keeps the rules alone).
    """

    def __init__(self, network: Network, waits: WaitFit | None = None):
        self.network = network
        self.waits = packaged_fit() if waits is None else waits

    @cached_property
    def _links(self) -> dict[tuple[str, str, str], Link]:
        out: dict[tuple[str, str, str], Link] = {}
        for link in self.network.links:
            out.setdefault((link.origin, link.destination, link.mode.value), link)
            if link.bidirectional:
                out.setdefault((link.destination, link.origin, link.mode.value), link)
        return out

    def link(self, leg: PlannedLeg, link_id: str | None = None) -> Link | None:
        """The link a leg travels: ``link_id`` if given, else one between its ends."""
        if link_id:
            try:
                return self.network.link(link_id)
            except KeyError:
                pass
        mode = "ferry" if leg.mode == "sea" else leg.mode
        return (self._links.get((leg.origin, leg.destination, leg.mode))
                or self._links.get((leg.origin, leg.destination, mode)))

    @cached_property
    def _ferries(self) -> dict[tuple[str, str, UnitType], Ferry]:
        """Per crossing (port, port sailed to, unit type), and per port alone under the key
        ``(port, "", unit type)``: the sailings of the lines calling at both.
        """
        from midcorridor.crossing.generate import caspian_services

        sailings: dict[tuple[str, str, UnitType], list[tuple[float, float, Spread]]] = {}
        for service in caspian_services(self.network):
            fleet = [v for v in service.vessels if v.kind is not VesselKind.TRAIN]
            if not fleet:
                continue
            d = service.departures
            headway = d.headway_h or (168.0 / len(d.weekdays) if d.weekdays else 24.0)
            crossing = service.crossing_h or Spread(20.0, 22.0, 24.0)
            calls = set(service.route)
            for unit in UnitType:
                per = [v.deck.of(unit) for v in fleet]
                if not any(per):
                    continue
                mean = sum(per) / len(per)
                for port in {service.route[0], service.route[-1]}:
                    for towards in ("", *sorted(calls - {port})):
                        sailings.setdefault((port, towards, unit), []).append(
                            (24.0 / headway, mean, crossing))
        out = {}
        for key, lines in sailings.items():
            per_day = sum(rate for rate, _, _ in lines)
            units = sum(rate * cap for rate, cap, _ in lines) / per_day
            crossing = max((c for _, _, c in lines), key=lambda c: c.typ)
            out[key] = Ferry(max(1, round(units)), 24.0 / per_day, crossing)
        return out

    def ferry(self, port: str, unit: UnitType, towards: str = "") -> Ferry:
        """The ferry times from ``port`` to ``towards`` (any port when empty) for ``unit``;
        those of all the port's lines where none sails to ``towards``, a default where the
        data has none.
        """
        found = self._ferries.get((port, towards, unit)) or self._ferries.get((port, "", unit))
        if found is None:
            return Ferry(DEFAULT_FERRY[0], DEFAULT_FERRY[1], Spread(18.0, 22.0, 30.0))
        return found

    @cached_property
    def lines(self) -> tuple[FerryLine, ...]:
        """The Caspian lines between two ports and their vessels."""
        return ferry_lines(self.network)

    def name(self, place: str) -> str:
        """The name of a place, or its id when the network does not know it."""
        node = self.network.nodes.get(place)
        return node.name if node is not None else place


def _planned_spread(hours: float, factors: tuple[float, float, float]) -> Spread:
    hours = max(0.0, hours)
    lo, typ, hi = sorted(factors)
    return Spread(hours * lo, hours * typ, hours * hi)


def _travel(times: LegTimes, leg: PlannedLeg, link_id: str | None) -> tuple[Spread, str]:
    planned = (leg.planned_arrive - leg.planned_depart).total_seconds() / 3600
    link = times.link(leg, link_id)
    what = f"{leg.mode} {times.name(leg.origin)} to {times.name(leg.destination)}"
    berth = BERTH_H if leg.mode in WATER_MODES else Spread(0.0, 0.0, 0.0)
    if link is not None and link.hours.max > 0 and link.mode is Mode.ROAD:
        # driving hours of the data set, with one driver's breaks and daily rests
        d = link.hours
        h = Spread(road_elapsed_hours(d.min), road_elapsed_hours(d.typ), road_elapsed_hours(d.max))
        reason = (f"{what}: {d.min:.0f}-{d.max:.0f} h driving, typically {d.typ:.0f} h (data "
                  f"set), {h.typ:.0f} h with the driver's breaks and rests")
    elif link is not None and link.hours.max > 0:
        h = link.hours
        reason = f"{what}: {h.min:.0f}-{h.max:.0f} h, typically {h.typ:.0f} h (data set)"
    else:
        h = _planned_spread(planned, PLANNED_SPREAD)
        reason = f"{what}: {planned:.0f} h planned"
    if berth.max > 0:
        h = Spread(h.min + berth.min, h.typ + berth.typ, h.max + berth.max)
        reason += f", and {berth.typ:.0f} h typically from loading to sailing"
    return h, reason


def _dwell(times: LegTimes, before: PlannedLeg, leg: PlannedLeg,
           link_id: str | None) -> tuple[Spread, str]:
    planned = max(0.0, (leg.planned_depart - before.planned_arrive).total_seconds() / 3600)
    link = times.link(leg, link_id)
    place = times.name(leg.origin)
    if link is not None and link.dwell.max > 0:
        d = link.dwell
        kind = ("border and gauge change" if link.border and link.gauge_change
                else "border" if link.border else "gauge change" if link.gauge_change
                else "dwell")
        return d, f"{kind} at {place}: {d.min:.0f}-{d.max:.0f} h, typically {d.typ:.0f} h " \
                  "(data set)"
    return (_planned_spread(planned, PLANNED_DWELL_SPREAD),
            f"dwell at {place}: {planned:.0f} h planned")


def _weekday(moment: datetime) -> str:
    return moment.strftime("%a %d %b %H:%M")


def steps_ahead(
    legs: Sequence[PlannedLeg],
    position: Position | None,
    *,
    now: datetime,
    times: LegTimes,
    unit_type: UnitType,
    units: int,
    ports: Collection[str],
    queue_ahead: Mapping[str, int],
    sailing: PlannedSailing | None = None,
    link_ids: Sequence[str | None] = (),
    leaving_per_h: Mapping[str, float] | None = None,
    observed: Mapping[str, Sequence[float]] | None = None,
    closed_until: Mapping[str, datetime] | None = None,
    estimated: Position | None = None,
    sightings: Mapping[str, Sighting] | None = None,
    rest_loads: Mapping[str, datetime] | None = None,
) -> tuple[datetime, list[_Step]]:
    """The start time and the steps still ahead of a shipment.

    ``queue_ahead`` gives per Caspian port the units of the shipment's type waiting ahead of
    it for the same crossing (bound by water for the port its own leg sails to: cargo waiting
    there for a train or for another crossing is not ahead of it); ``leaving_per_h``, where
    known, the pace at which units of its type have lately left each port on that crossing
    (units an hour, from the events), which then sets the wait instead of the timetable of
    the lines sailing it. ``observed`` gives per segment (named by
    :func:`~midcorridor.live.position.segment_key`) the durations other shipments took there
    lately; with
    at least :data:`OBSERVED_MIN` of them they replace the data set's spread. ``estimated``, an
    operator's estimate of reaching a milestone beyond ``position``, replaces the steps up to
    that milestone by one step ending about then (:data:`ESTIMATE_SPREAD`).
    ``closed_until`` gives, per Caspian port closed now (a posted closure), when it reopens:
    a shipment waiting there starts its wait for a ferry then. ``sightings`` gives per vessel
    id its last transport event: a shipment waiting at a port then waits for the call of the
    crossing's vessels it will likely catch behind the units ahead
    (:func:`~midcorridor.live.ferries.sailing_with_space`), when a vessel was seen lately;
    where its units will not all fit on that call, it stays at the far port until the last
    of them have crossed too. ``rest_loads`` gives, per port of a crossing the shipment has
    begun, when its last units load there (:func:`~midcorridor.live.ferries.rest_loads_at`),
    to the same effect. A wait for a ferry, or a stay after a crossing, at a port the
    shipment stands at takes its hours from the fitted model of it (``times.waits``), where
    there is one.
    """
    rank = position.rank if position is not None else -1
    start = position.at if position is not None else max(legs[0].planned_depart, now)
    ahead = _Ahead(legs, rank, now, max(0.0, (now - start).total_seconds() / 3600), times,
                   unit_type, units, ports, queue_ahead, sailing,
                   tuple(link_ids) + (None,) * (len(legs) - len(link_ids)),
                   leaving_per_h or {}, observed or {}, closed_until or {}, sightings or {},
                   dict(rest_loads or {}))
    steps: list[_Step] = []
    for i, leg in enumerate(legs):
        if 2 * i + 1 <= rank:
            continue
        if i > 0 and 2 * i - 1 >= rank:  # the dwell before leg i is still ahead (or current)
            if leg.mode in WATER_MODES and leg.origin in ports:
                steps.append(_ferry_wait(ahead, i))
            else:
                steps.append(_stay(ahead, i))
        steps.append(_leg_step(ahead, i))
    if estimated is not None and estimated.rank > rank and estimated.rank < 2 * len(legs):
        steps = [_estimated_step(times, legs, rank, start, estimated, ahead.elapsed),
                 *(step for step in steps if step.until > estimated.rank)]
    return start, steps


@dataclass
class _Ahead:
    """What :func:`steps_ahead` makes the steps from; ``loads_at`` gains, per port of a
    crossing ahead, when the shipment's last units load there, as the waits are made.
    """

    legs: Sequence[PlannedLeg]
    rank: int
    now: datetime
    elapsed: float  # hours spent at the current milestone
    times: LegTimes
    unit_type: UnitType
    units: int
    ports: Collection[str]
    queue_ahead: Mapping[str, int]
    sailing: PlannedSailing | None
    ids: Sequence[str | None]
    leaving_per_h: Mapping[str, float]
    seen: Mapping[str, Sequence[float]]
    closed_until: Mapping[str, datetime]
    sightings: Mapping[str, Sighting]
    loads_at: dict[str, datetime]

    def current(self, milestone: int) -> float:
        """Hours spent in the step after ``milestone``: 0 unless it is the current one."""
        return self.elapsed if milestone == self.rank else 0.0

    def closed_h(self, port: str) -> float:
        """Hours until ``port`` reopens, when it is closed now."""
        shut = self.closed_until.get(port)
        return max(0.0, (shut - self.now).total_seconds() / 3600) if shut is not None else 0.0


def _ferry_wait(ahead: _Ahead, i: int) -> _Step:
    """The wait for the ferry before leg ``i``, a Caspian crossing."""
    legs, now, times, seen = ahead.legs, ahead.now, ahead.times, ahead.seen
    leg = legs[i]
    standing = 2 * i - 1 == ahead.rank
    key = segment_key(leg, dwell=True)
    step = _queue_step(times, legs[i - 1], leg, ahead.unit_type, ahead.units,
                       ahead.queue_ahead.get(leg.origin, 0), ahead.sailing, now,
                       ahead.current(2 * i - 1), ahead.leaving_per_h.get(leg.origin, 0.0),
                       ahead.sightings if standing else None,
                       seen.get(key, ()) if standing else (), standing=standing,
                       closed_h=ahead.closed_h(leg.origin) if standing else 0.0)
    if 2 * i - 1 > ahead.rank and ahead.sailing is None:
        # not there yet: today's queue will have moved on by then; the waits seen lately
        # say more
        step = _observed(step, seen, key, f"waiting for the ferry at {times.name(leg.origin)}")
    reopens = ahead.closed_until.get(leg.origin)
    if standing and reopens is not None and reopens > now:
        step = _closed(step, reopens, now)
    step = _with_fit(step, times)
    if step.last_loads_at is not None:
        ahead.loads_at[leg.origin] = step.last_loads_at
    return replace(step, until=2 * i)


def _stay(ahead: _Ahead, i: int) -> _Step:
    """The dwell before leg ``i`` (not a Caspian crossing): at a border, a terminal, or at a
    port after a crossing, where a shipment split over several ships stays until its last
    units have landed.
    """
    legs, times, seen, now = ahead.legs, ahead.times, ahead.seen, ahead.now
    leg, crossed = legs[i], legs[i - 1]
    spread, reason = _dwell(times, crossed, leg, ahead.ids[i])
    key = segment_key(leg, dwell=True)
    if (crossed.mode in WATER_MODES and ahead.rank >= 2 * (i - 1)
            and len(seen.get(whole(key), ())) >= OBSERVED_MIN):
        key = whole(key)  # its loads have begun: any split is in ``loads_at``
    step = _observed(_Step(f"at {leg.origin}", spread, reason, ahead.current(2 * i - 1),
                           until=2 * i),
                     seen, key, f"at {times.name(leg.origin)}")
    if crossed.mode not in WATER_MODES:
        return step
    lands = None
    if crossed.origin in ahead.loads_at:
        sail = _travel(times, crossed, ahead.ids[i - 1])[0].min
        lands = ahead.loads_at[crossed.origin] + timedelta(hours=sail)
        typical = lands + timedelta(hours=LANDING_H.typ)
        if typical > now:
            step = replace(step, not_before=lands,
                           reason=f"{step.reason}; the last units cross on a later ship, "
                                  f"landing about {_weekday(typical)}")
    if 2 * i - 1 == ahead.rank and crossed.origin in ahead.ports and leg.origin in ahead.ports:
        step = _with_fit(replace(step, wait=_stay_inputs(ahead, i, step, lands)), times)
    return step


def _stay_inputs(ahead: _Ahead, i: int, step: _Step, lands: datetime | None) -> WaitInputs:
    """What a fitted stay at the port after the crossing before leg ``i`` reads
    (:data:`~midcorridor.live.waits.STAY`) for a shipment standing there.
    """
    leg, crossed, now = ahead.legs[i], ahead.legs[i - 1], ahead.now
    at_port, coming = ships_near(ahead.times.lines, ahead.sightings, leg.origin, crossed.origin,
                                 ahead.unit_type)
    landing_h = max(0.0, (lands - now).total_seconds() / 3600) if lands is not None else 0.0
    values = dict.fromkeys(FEATURES, 0.0)
    values.update(const=1.0, rule_h=_median(step), last_call_h=landing_h, at_port=at_port,
                  coming=coming, winter=float(now.month in WINTER_MONTHS),
                  closed_h=ahead.closed_h(leg.origin))
    return WaitInputs(leg.origin, leg.destination, ahead.unit_type.value,
                      tuple(float(values[name]) for name in FEATURES), STAY)


def _median(step: _Step) -> float:
    """The median of a step's duration by the rules (the observed ones, else its spread)."""
    if step.observed:
        return float(np.median(step.observed))
    return float(triangular_quantile(step.spread, np.array([0.5]))[0])


def _leg_step(ahead: _Ahead, i: int) -> _Step:
    """Leg ``i`` itself, on the sailing a published plan gives it when it is a crossing."""
    times, leg, sailing = ahead.times, ahead.legs[i], ahead.sailing
    spread, reason = _travel(times, leg, ahead.ids[i])
    planned = leg.mode in WATER_MODES and sailing is not None
    if planned and sailing is not None and leg.origin in ahead.ports:
        hours = (sailing.arrival - sailing.departure).total_seconds() / 3600
        spread = Spread(hours, hours, max(hours, spread.max - BERTH_H.max))
        reason = f"on {sailing.vessel}, planned arrival {_weekday(sailing.arrival)}"
    step = _Step(f"{leg.origin}-{leg.destination}", spread, reason, ahead.current(2 * i),
                 until=2 * i + 1)
    if planned:
        return step
    return _observed(step, ahead.seen, segment_key(leg),
                     f"{leg.mode} {times.name(leg.origin)} to {times.name(leg.destination)}")


def rest_loads(legs: Sequence[PlannedLeg], rank: int, ports: Collection[str], *,
               times: LegTimes, sightings: Callable[[], Mapping[str, Sighting]],
               loads: Callable[[str], Sequence[tuple[str, int, datetime]] | None], units: int,
               unit_type: UnitType, now: datetime) -> dict[str, datetime]:
    """Per port of a Caspian crossing the shipment is on at milestone ``rank`` (loading there
    begun, the far port not yet left), when its last units load there
    (:func:`~midcorridor.live.ferries.rest_loads_at`): the ``rest_loads`` of
    :func:`steps_ahead`. ``sightings()`` and ``loads(port)`` are asked only for such a crossing.
    """
    out: dict[str, datetime] = {}
    for i, leg in enumerate(legs):
        if leg.mode in WATER_MODES and leg.origin in ports and 2 * i <= rank <= 2 * i + 1:
            found = rest_loads_at(times.lines, sightings(), loads(leg.origin) or (), units,
                                  leg.origin, leg.destination, unit_type, now)
            if found is not None:
                out[leg.origin] = found
    return out


def whole(segment: str) -> str:
    """The key of the stays at a port after a crossing (``segment``) of shipments whose units
    all crossed on one ship: a shipment split over several ships stays until its last units
    land, which :func:`steps_ahead` counts apart once its loading has begun. Before, whether
    it will cross whole is unknown (on the simulated years a fifth of the container trains at
    Aktau split onto a rail ferry no sighting foretold): it takes the stays of all shipments.
    """
    return f"{segment} whole"


def _place(legs: Sequence[PlannedLeg], rank: int) -> str:
    """Where milestone ``rank`` is (the origin before the first one)."""
    if rank < 0:
        return legs[0].origin
    leg = legs[rank // 2]
    return leg.origin if rank % 2 == 0 else leg.destination


def _estimated_step(times: LegTimes, legs: Sequence[PlannedLeg], rank: int, start: datetime,
                    estimated: Position, elapsed: float) -> _Step:
    hours = max(0.0, (estimated.at - start).total_seconds() / 3600)
    lo, typ, hi = ESTIMATE_SPREAD
    where = _place(legs, estimated.rank)
    verb = "leaving" if estimated.rank % 2 == 0 else "reaching"
    return _Step(f"{_place(legs, rank)}-{where}", Spread(hours * lo, hours * typ, hours * hi),
                 f"estimated by the operator: {verb} {times.name(where)} "
                 f"{_weekday(estimated.at)}", elapsed, until=estimated.rank)


def containing(spread: EtaSpread, eta: datetime) -> EtaSpread:
    """The spread with its P90 moved out, where needed, to ``eta``, the single best estimate
    served beside it (the plan plus the delay so far, operators' estimates included), so that
    the ETA is never later than the P90. An ETA before the P10 is left there: the spread then
    knows more than the plan (a closed port, a long silence) and keeps saying so.
    """
    if eta <= spread.p90:
        return spread
    return replace(spread, p90=eta)


def _observed(step: _Step, observed: Mapping[str, Sequence[float]], key: str,
              what: str) -> _Step:
    """The step with the durations observed lately on segment ``key``, when there are
    enough.
    """
    found = observed.get(key, ())
    if len(found) < OBSERVED_MIN:
        return step
    values = tuple(sorted(found))
    q = np.quantile(values, [0.1, 0.5, 0.9])
    return replace(step, observed=values,
                   reason=f"{what}: lately {q[0]:.0f}-{q[2]:.0f} h, typically {q[1]:.0f} h "
                          f"({len(values)} observed)")


def _closed(step: _Step, reopens: datetime, now: datetime) -> _Step:
    """A wait at a closed port: the hours until it reopens come before the queue's, on top of
    the time already waited.
    """
    shut = (reopens - now).total_seconds() / 3600
    lift = shut + step.elapsed_h
    s = step.spread
    return replace(step, spread=Spread(s.min + lift, s.typ + lift, s.max + lift),
                   reason=f"port closed until {_weekday(reopens)}; then {step.reason}")


def _queue_step(times: LegTimes, before: PlannedLeg, leg: PlannedLeg, unit_type: UnitType,
                units: int, ahead: int, sailing: PlannedSailing | None, now: datetime,
                elapsed: float, leaving_per_h: float = 0.0,
                sightings: Mapping[str, Sighting] | None = None,
                lately: Sequence[float] = (), *, standing: bool = False,
                closed_h: float = 0.0) -> _Step:
    port = leg.origin
    ferry = times.ferry(port, unit_type, leg.destination)
    rate = storm_rate_per_h(now.month)
    name = times.name(port)
    label = unit_type.value.upper() if unit_type is UnitType.TEU else f"{unit_type.value}s"
    if sailing is not None:
        return _Step(
            f"at {port}", Spread(0.0, 0.0, 0.0),
            f"waiting for the ferry at {name}: planned on {sailing.vessel}, sailing "
            f"{_weekday(sailing.departure)}", elapsed, depart_at=sailing.departure,
            headway_h=ferry.headway_h,
            storm_p=min(1.0, rate * (max(0.0, (sailing.departure - now).total_seconds() / 3600)
                                     + STORM_DELAY_H.typ)))
    h = ferry.headway_h
    if leaving_per_h > 0:
        leaving_per_h = max(leaving_per_h, PACE_FLOOR * ferry.units_per_sailing / h)
    if leaving_per_h > 0:  # the pace observed lately: the units ahead leave at it
        need = ahead / leaving_per_h
        lo, typ, hi = QUEUE_SPREAD
        pace = f"lately {leaving_per_h * 24:.0f} {label} a day leave"
    else:  # the timetable: whole sailings fill before ours
        need = (ahead // ferry.units_per_sailing) * h + h / 2
        lo, typ, hi = TIMETABLE_SPREAD
        pace = f"about one sailing of {ferry.units_per_sailing} every {h:.0f} h"
    berth = CONTAINER_BERTH_H if unit_type is UnitType.TEU else Spread(0.0, 0.0, 0.0)
    spread = Spread(need * lo + berth.min, need * typ + berth.typ,
                    need * hi + h / 2 + berth.max)
    calls = (sailing_with_space(times.lines, sightings, port, leg.destination, unit_type, ahead,
                                now, units) if sightings else None)
    waits: tuple[float, ...] = ()
    few = sailings(times.lines, port, leg.destination, unit_type, LEAVING_WINDOW_H) < FEW_SAILINGS
    if few and calls is not None and calls[0].seen:  # its events show the ship coming
        t = elapsed + max(0.0, (calls[0].loads_at - now).total_seconds() / 3600)
        spread = Spread(max(elapsed, t - h / 2), t, t + h / 2)
    elif few and len(lately) >= OBSERVED_MIN:
        # few ships: the wait is theirs to come back, which the waits seen lately tell
        waits = tuple(sorted(lately))
        q = np.quantile(waits, [0.1, 0.5, 0.9])
        pace = (f"{pace}; few sailings: lately {q[0]:.0f}-{q[2]:.0f} h waited, typically "
                f"{q[1]:.0f} h ({len(waits)} observed)")
        spread = Spread(float(q[0]), float(q[1]), float(q[2]))
    inputs = (_wait_inputs(times, leg, unit_type, ahead, leaving_per_h, calls, sightings or {},
                           waits, spread, now, closed_h)
              if standing and calls is not None else None)
    wait_left = max(0.0, spread.typ - elapsed)
    storm_p = min(1.0, rate * (spread.typ + ferry.crossing.typ + STORM_DELAY_H.typ))
    storm = f"storm closure risk {storm_p:.0%} this season"
    if calls is None:
        return _Step(
            f"at {port}", spread,
            f"waiting for the ferry at {name}: {ahead} {label} ahead, {pace}, next sailing "
            f"with space about {_weekday(now + timedelta(hours=wait_left))}; {storm}",
            elapsed, headway_h=h, storm_p=storm_p, observed=waits, wait=inputs)
    first, last = calls
    rest = "" if last is first else (f"; the last units on {last.vessel} "
                                     f"{_weekday(last.loads_at)}")
    return _Step(
        f"at {port}", spread,
        f"waiting for the ferry at {name}: {ahead} {label} ahead, next sailing with space "
        f"{_weekday(first.loads_at)} ({first.vessel}){rest}; {pace}; {storm}",
        elapsed, headway_h=h, storm_p=storm_p, observed=waits,
        last_loads_at=None if last is first else last.loads_at, wait=inputs)


def _wait_inputs(times: LegTimes, leg: PlannedLeg, unit_type: UnitType, ahead: int,
                 leaving_per_h: float, calls: tuple[Call, Call],
                 sightings: Mapping[str, Sighting], waits: Sequence[float], spread: Spread,
                 now: datetime, closed_h: float) -> WaitInputs:
    """What a fitted wait for the ferry reads (:data:`~midcorridor.live.waits.FEATURES`) for
    a shipment standing at ``leg``'s port, whose ships' next ``calls`` are known.
    """
    at_port, coming = ships_near(times.lines, sightings, leg.origin, leg.destination, unit_type)
    median = (float(np.median(waits)) if waits
              else float(triangular_quantile(spread, np.array([0.5]))[0]))
    return WaitInputs(leg.origin, leg.destination, unit_type.value, (
        1.0, median, float(ahead), leaving_per_h,
        max(0.0, (calls[0].loads_at - now).total_seconds() / 3600),
        max(0.0, (calls[1].loads_at - now).total_seconds() / 3600),
        float(calls[0].seen), float(at_port), float(coming),
        float(now.month in WINTER_MONTHS), closed_h))


def _with_fit(step: _Step, times: LegTimes) -> _Step:
    """The step with its hours from the fitted model of what it read (``step.wait``), where
    there is one; else as the rules made it.
    """
    model = times.waits.of(step.wait) if step.wait is not None else None
    if model is None or step.wait is None:
        return step
    return _fitted(step, model.hours(step.wait))


def _fitted(step: _Step, hours: Sequence[float]) -> _Step:
    """The wait for a ferry, or the stay after a crossing, with the ``hours`` of its fitted
    model (:mod:`midcorridor.live.waits`, quantiles at its levels) standing for the durations
    the step may take. The waits it was fitted on hold the storms' closures, so no storm is
    drawn on top; the stays hold the landing of units on a later ship, so no landing is.
    """
    mid = hours[len(hours) // 2]
    return replace(step, spread=Spread(hours[0], mid, hours[-1]), observed=tuple(hours),
                   storm_p=0.0, not_before=None, fitted=True,
                   reason=f"{step.reason}; fitted on simulated years: typically {mid:.0f} h, "
                          f"{hours[1]:.0f}-{hours[-2]:.0f} h")


def _widen(total: np.ndarray, fitted: Sequence[np.ndarray], steps: int,
           kind: str = WAIT) -> float:
    """How much the total's distance from its median is stretched (:data:`SPREAD_WIDEN`,
    :data:`STEP_CORRELATION`): the stretch makes up for the rules' steps, so the part of the
    total's variance that fitted steps (calibrated on the simulated years themselves) hold
    is not stretched; a total with fitted steps is then scaled by :data:`FITTED_SPREAD` of
    the first one's ``kind``.
    """
    widen = float(SPREAD_WIDEN * np.sqrt(1.0 + (steps - 1) * STEP_CORRELATION))
    if not fitted:
        return widen
    var = float(np.var(total))
    share = min(1.0, float(np.var(np.sum(fitted, axis=0))) / var) if var > 0 else 0.0
    return (1.0 + (widen - 1.0) * (1.0 - share)) * FITTED_SPREAD.get(kind, 1.0)


def eta_spread(start: datetime, steps: Sequence[_Step]) -> EtaSpread:
    """P10/P50/P90 of the arrival after ``steps`` from ``start``, and per step P50/P90."""
    if not steps:
        return EtaSpread(start, start, start)
    cum = np.zeros(SAMPLES)
    per_step = []
    for j, step in enumerate(steps[:_MAX_STEPS]):
        before = cum + step.elapsed_h  # hours already spent in the current step
        if step.elapsed_h <= 0:  # not begun: the step's draws depend on its spread alone
            cum = before + (_fresh_observed_draws(step.observed, j) if step.observed
                            else _fresh_draws(step.spread, j))
        elif step.observed:
            cum = before + _remaining_observed(step.observed, step.elapsed_h, _STRATA[:, j])
        else:
            cum = before + _remaining(step.spread, step.elapsed_h, _STRATA[:, j])
        if step.not_before is not None:  # the stay begins when the last units have landed
            landed = ((step.not_before - start).total_seconds() / 3600
                      + _fresh_draws(LANDING_H, (j + 21) % _MAX_STEPS))
            cum = np.maximum(cum, landed + (cum - before))
        if step.depart_at is not None:
            leave = (step.depart_at - start).total_seconds() / 3600
            # a shipment there after its planned sailing waits for a later one
            cum = np.where(cum <= leave, leave, cum + step.headway_h)
        if step.storm_p > 0:
            hit = _STRATA[:, _MAX_STEPS + j] < step.storm_p
            cum = cum + np.where(hit, _storm_draws(j), 0.0)
        per_step.append(cum - before)
    q10, q50, q90 = np.sort(cum)[_Q_INDEX]
    fitted = [(step, d) for step, d in zip(steps, per_step, strict=False) if step.fitted]
    kind = fitted[0][0].wait.kind if fitted and fitted[0][0].wait is not None else WAIT
    widen = _widen(cum, [d for _, d in fitted], len(per_step), kind)
    q10, q90 = q50 + widen * (q10 - q50), q50 + widen * LATE_TAIL * (q90 - q50)
    q10 = max(q10, steps[0].elapsed_h)  # widening never puts the P10 before now
    if per_step:
        table = np.sort(np.stack(per_step), axis=1)[:, _Q_INDEX[1:]].round(1).tolist()
    segments = tuple(
        SegmentEta(step.segment, p50, p90, step.reason)
        for step, (p50, p90) in zip(steps, table, strict=False)
    )

    def at(hours: float) -> datetime:
        return start + timedelta(hours=round(float(hours), 3))

    return EtaSpread(at(q10), at(q50), at(q90), segments)

