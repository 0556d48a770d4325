"""KPIs per replication and across replications with 95% confidence intervals; bottlenecks.

Only consignments created after the warm-up count towards transit and waiting figures;
throughput counts TEU delivered between the end of the warm-up and the horizon. Results are
typed (:class:`Summary`, :class:`Comparison`); ``to_dict()`` gives the JSON document.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from midcorridor.sim.model import SeaLeg, SimModel

if TYPE_CHECKING:
    from midcorridor.sim.result import ReplicationResult
    from midcorridor.sim.run import RunResult

HOURS_PER_YEAR = 8760.0
# Two-sided 95% Student t quantiles by degrees of freedom (1..30); 1.96 beyond.
_T95 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)

# What each KPI measures, for people (also in the JSON document under ``definitions``).
DEFINITIONS = {
    "transit_days": "door-to-door days per consignment created after the warm-up and "
    "delivered by the horizon (mean, median p50 and p95 over consignments)",
    "caspian_wait_hours": "hours a consignment that crosses the Caspian waits at the port for "
    "a vessel, from arrival at the port until the vessel with its last unit sails (mean per "
    "Caspian consignment)",
    "caspian_wait_by_variant": "the Caspian wait of each stream's variant (mean per consignment "
    "of that variant): container trains, wagon groups and trucks apart",
    "throughput_teu": "TEU delivered per year between the end of the warm-up and the horizon",
    "cargo_in_system_teu": "TEU in the corridor on average (sampled daily after the warm-up)",
    "waiting_hours": "hours waited at each place per consignment delivered (queues at "
    "terminals and ports, border and gauge-change dwell)",
    "delay_hours_per_teu": "hours of waiting at a place per TEU delivered (the place's share "
    "of all delay, weighted by cargo): the bottleneck ranking",
    "utilization": "share of time the berths or terminal servers of a place are busy",
    "vessel_load_factor": "units aboard at departure over deck slots, per line",
}


def t95(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom."""
    return _T95[df - 1] if 1 <= df <= len(_T95) else 1.96


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% confidence interval (``None`` bounds for one
    value, all ``None`` for none).
    """

    mean: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The estimate as JSON-ready values."""
        return {"mean": self.mean, "ci95": [self.low, self.high], "n": self.n}

    def format(self, digits: int = 1, unit: str = "", signed: bool = False) -> str:
        """``12.3 h (10.1 to 14.5)``; with ``signed`` a difference, ``−1.6 h (−3.2 to 0.0)``."""
        if self.mean is None:
            return "-"
        unit = f" {unit}" if unit else ""

        def f(x: float, plus: bool = False) -> str:
            if round(x, digits) == 0.0:
                x = 0.0
            text = f"{x:{'+' if plus and x else ''},.{digits}f}"
            return text.replace("-", "\u2212")

        head = f"{f(self.mean, signed)}{unit}"
        if self.low is None or self.high is None:
            return head
        return f"{head} ({f(self.low)} to {f(self.high)})"


def estimate(values: list[float]) -> Estimate:
    """Mean with a 95% confidence interval over replications (NaN values are left out)."""
    values = [v for v in values if v == v]
    if not values:
        return Estimate(None)
    mean = statistics.fmean(values)
    if len(values) < 2:
        return Estimate(mean, n=1)
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return Estimate(mean, mean - half, mean + half, len(values))


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile with linear interpolation (``nan`` for no values)."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@dataclass(frozen=True)
class Spread3:
    """Mean, median and 95th percentile of a per-consignment figure, each over replications."""

    mean: Estimate
    p50: Estimate
    p95: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The three estimates as JSON-ready values."""
        return {"mean": self.mean.to_dict(), "p50": self.p50.to_dict(), "p95": self.p95.to_dict()}


@dataclass(frozen=True)
class PlaceFigure:
    """An estimate at one place, with the place's name and kind (port, terminal, border...)."""

    place: str
    name: str
    kind: str
    value: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The figure as JSON-ready values."""
        return {"name": self.name, "kind": self.kind, **self.value.to_dict()}


@dataclass(frozen=True)
class Kpis:
    """The KPIs of one experiment (see :data:`DEFINITIONS` for what each measures)."""

    transit_days: Spread3
    transit_days_by_variant: dict[str, Spread3]
    caspian_wait_hours: Estimate
    throughput_teu: Estimate
    cargo_in_system_teu: Estimate
    waiting_hours: dict[str, PlaceFigure]
    utilization: dict[str, PlaceFigure]
    vessel_load_factor: dict[str, Estimate]
    caspian_wait_by_variant: dict[str, Estimate] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The KPIs as JSON-ready values."""
        return {
            "transit_days": self.transit_days.to_dict(),
            "transit_days_by_variant": {
                k: v.to_dict() for k, v in self.transit_days_by_variant.items()
            },
            "caspian_wait_hours": self.caspian_wait_hours.to_dict(),
            "caspian_wait_by_variant": {
                k: v.to_dict() for k, v in self.caspian_wait_by_variant.items()
            },
            "throughput_teu": self.throughput_teu.to_dict(),
            "cargo_in_system_teu": self.cargo_in_system_teu.to_dict(),
            "waiting_hours": {k: v.to_dict() for k, v in self.waiting_hours.items()},
            "utilization": {k: v.to_dict() for k, v in self.utilization.items()},
            "vessel_load_factor": {k: v.to_dict() for k, v in self.vessel_load_factor.items()},
        }


@dataclass(frozen=True)
class Bottleneck:
    """A place ranked by the waiting it adds per TEU delivered."""

    rank: int
    place: str
    name: str
    kind: str
    delay_hours_per_teu: Estimate
    utilization: float | None

    def to_dict(self) -> dict[str, Any]:
        """The bottleneck as JSON-ready values."""
        return {
            "rank": self.rank,
            "place": self.place,
            "name": self.name,
            "kind": self.kind,
            "delay_hours_per_teu": self.delay_hours_per_teu.to_dict(),
            "utilization": self.utilization,
        }


@dataclass(frozen=True)
class Conservation:
    """Units created against units delivered plus units still in the corridor, all runs."""

    created_units: int
    delivered_units: int
    in_system_units: int
    holds: bool

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready values."""
        return {
            "created_units": self.created_units,
            "delivered_units": self.delivered_units,
            "in_system_units": self.in_system_units,
            "holds": self.holds,
        }


@dataclass(frozen=True)
class Summary:
    """KPIs of one experiment across replications, bottlenecks, and warnings about the run."""

    experiment: str
    seed: int
    replications: int
    backend: str
    horizon_days: float
    warmup_days: float
    kpis: Kpis
    bottlenecks: tuple[Bottleneck, ...]
    conservation: Conservation
    events: int
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values."""
        return {
            "experiment": self.experiment,
            "seed": self.seed,
            "replications": self.replications,
            "backend": self.backend,
            "horizon_days": self.horizon_days,
            "warmup_days": self.warmup_days,
            "kpis": self.kpis.to_dict(),
            "bottlenecks": [b.to_dict() for b in self.bottlenecks],
            "conservation": self.conservation.to_dict(),
            "events": self.events,
            "warnings": list(self.warnings),
            "definitions": DEFINITIONS,
        }


@dataclass(frozen=True)
class Difference:
    """Paired differences (experiment minus ``against``) over replications with common random
    numbers.
    """

    experiment: str
    against: str
    transit_days_mean: Estimate
    transit_days_p95: Estimate
    caspian_wait_hours: Estimate
    throughput_teu: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The differences as JSON-ready values."""
        return {
            "experiment": self.experiment,
            "against": self.against,
            "transit_days_mean": self.transit_days_mean.to_dict(),
            "transit_days_p95": self.transit_days_p95.to_dict(),
            "caspian_wait_hours": self.caspian_wait_hours.to_dict(),
            "throughput_teu": self.throughput_teu.to_dict(),
        }


@dataclass(frozen=True)
class Comparison:
    """Experiments side by side, with their differences to the first one."""

    seed: int
    replications: int
    experiments: tuple[Summary, ...]
    differences: tuple[Difference, ...]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready values."""
        return {
            "seed": self.seed,
            "replications": self.replications,
            "experiments": [s.to_dict() for s in self.experiments],
            "differences": [d.to_dict() for d in self.differences],
        }


def caspian_variants(model: SimModel) -> set[str]:
    """Labels of the variants that cross the Caspian."""
    return {
        v.label
        for s in model.streams
        for v in s.variants
        if any(isinstance(x, SeaLeg) and model.ports[x.origin].caspian for x in v.steps)
    }


def replication_kpis(model: SimModel, r: ReplicationResult) -> dict[str, Any]:
    """The KPIs of one replication."""
    counted = [d for d in r.deliveries if d[3] >= r.warmup_h]
    ids = {d[0] for d in counted}
    days = [(d[4] - d[3]) / 24.0 for d in counted]
    by_variant: dict[str, list[float]] = defaultdict(list)
    for d in counted:
        by_variant[d[2]].append((d[4] - d[3]) / 24.0)
    caspian_ports = {p for p, spec in model.ports.items() if spec.caspian}
    caspian = dict.fromkeys((d[0] for d in counted if d[2] in caspian_variants(model)), 0.0)
    place_wait: dict[str, float] = defaultdict(float)
    place_teu_h: dict[str, float] = defaultdict(float)
    teu = {d[0]: d[6] for d in counted}
    for cid, place, hours in r.waits:
        if cid not in ids:
            continue
        place_wait[place] += hours
        place_teu_h[place] += hours * teu[cid]
        if place in caspian_ports and cid in caspian:
            caspian[cid] += hours
    years = (r.horizon_h - r.warmup_h) / HOURS_PER_YEAR
    delivered_teu = sum(d[6] for d in r.deliveries if d[4] >= r.warmup_h)
    total_teu = sum(teu.values()) or 1.0
    n = len(counted) or 1
    system = [v for t, p, v in r.samples if p == "system" and t >= r.warmup_h]
    load: dict[str, list[float]] = defaultdict(list)
    for line, _port, t, units, slots in r.departures:
        if t >= r.warmup_h and slots:
            load[line].append(units / slots)
    return {
        "transit_days_mean": statistics.fmean(days) if days else float("nan"),
        "transit_days_p50": quantile(days, 0.5),
        "transit_days_p95": quantile(days, 0.95),
        "by_variant": {
            k: (statistics.fmean(v), quantile(v, 0.5), quantile(v, 0.95))
            for k, v in by_variant.items()
        },
        "caspian_wait_hours": statistics.fmean(caspian.values()) if caspian else float("nan"),
        "caspian_by_variant": {
            label: statistics.fmean(waits) for label, waits in _by_variant(counted, caspian).items()
        },
        "throughput_teu": delivered_teu / years if years > 0 else float("nan"),
        "cargo_in_system_teu": statistics.fmean(system) if system else float("nan"),
        "waiting_hours": {p: w / n for p, w in place_wait.items()},
        "delay_per_teu": {p: w / total_teu for p, w in place_teu_h.items()},
        "utilization": {p: s["utilization"] for p, s in r.places.items()},
        "load_factor": {k: statistics.fmean(v) for k, v in load.items()},
        "consignments": len(counted),
    }


def _by_variant(
    counted: list[tuple[Any, ...]], caspian: dict[Any, float]
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for d in counted:
        if d[0] in caspian:
            out[d[2]].append(caspian[d[0]])
    return out


def _collect(
    per_rep: list[dict[str, Any]], key: str, pad: bool = True
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for k in per_rep:
        for name, value in k[key].items():
            out[name].append(value)
    for name in out if pad else ():  # a place nobody waited at in some replication waited 0 h
        out[name] += [0.0] * (len(per_rep) - len(out[name]))
    return out


@dataclass(frozen=True)
class Trend:
    """A queue's level after the warm-up: its mean and the rise of its fitted straight line
    from the end of the warm-up to the horizon (mean over replications).
    """

    place: str
    mean: float
    rise: float

    @property
    def start(self) -> float:
        """The fitted line's level at the start of the window."""
        return max(0.0, self.mean - self.rise / 2)

    @property
    def end(self) -> float:
        """The fitted line's level at the end of the window."""
        return self.mean + self.rise / 2


def queue_trends(result: RunResult) -> list[Trend]:
    """The trend of every sampled queue (ports in units, terminals in consignments)."""
    model = result.model
    series: dict[str, dict[float, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in result.replications:
        for t, place, value in r.samples:
            if place != "system" and t >= model.warmup_h:
                series[place][t].append(value)
    trends = []
    for place, by_time in sorted(series.items()):
        points = sorted((t, statistics.fmean(v)) for t, v in by_time.items())
        if len(points) < 3:
            continue
        ts = [p[0] for p in points]
        ys = [p[1] for p in points]
        t_mean, y_mean = statistics.fmean(ts), statistics.fmean(ys)
        var = sum((t - t_mean) ** 2 for t in ts)
        slope = sum((t - t_mean) * (y - y_mean) for t, y in points) / var if var else 0.0
        trends.append(Trend(place, y_mean, slope * (ts[-1] - ts[0])))
    return trends


def growing_queues(result: RunResult) -> list[Trend]:
    """Queues that grow through the horizon: the fitted rise exceeds both the queue's mean
    level and one consignment (a queue that merely swings with the seasons or storms rises
    less than its mean over a run).
    """
    model = result.model
    one = max((s.units_per_consignment for s in model.streams), default=1)
    return [
        tr
        for tr in queue_trends(result)
        if tr.rise > max(tr.mean, one if tr.place in model.ports else 1.0)
    ]


def stationarity_warnings(result: RunResult) -> tuple[str, ...]:
    """A warning for every queue that grows through the horizon."""
    model = result.model
    out = []
    for tr in growing_queues(result):
        unit = "units" if tr.place in model.ports else "consignments"
        name = model.place_names.get(tr.place, tr.place)
        out.append(
            f"{name}: the queue grows through the horizon (about {tr.start:,.0f} to "
            f"{tr.end:,.0f} {unit} after the warm-up): more cargo arrives than leaves, so the "
            "run is not stationary and its averages depend on the horizon"
        )
    return tuple(out)


def _place(model: SimModel, place: str, values: list[float]) -> PlaceFigure:
    return PlaceFigure(
        place, model.place_names.get(place, place), model.places.get(place, ""), estimate(values)
    )


def _spread3(triples: list[tuple[float, float, float]]) -> Spread3:
    return Spread3(
        estimate([t[0] for t in triples]),
        estimate([t[1] for t in triples]),
        estimate([t[2] for t in triples]),
    )


def summarize(result: RunResult) -> Summary:
    """KPIs across replications with 95% confidence intervals, the bottleneck ranking and
    warnings (queues that grow through the horizon).
    """
    model = result.model
    per_rep = [replication_kpis(model, r) for r in result.replications]
    variants: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for k in per_rep:
        for label, triple in k["by_variant"].items():
            variants[label].append(triple)
    waiting = _collect(per_rep, "waiting_hours")
    delay = _collect(per_rep, "delay_per_teu")
    util = _collect(per_rep, "utilization")
    kpis = Kpis(
        transit_days=_spread3(
            [
                (k["transit_days_mean"], k["transit_days_p50"], k["transit_days_p95"])
                for k in per_rep
            ]
        ),
        transit_days_by_variant={label: _spread3(t) for label, t in sorted(variants.items())},
        caspian_wait_hours=estimate([k["caspian_wait_hours"] for k in per_rep]),
        throughput_teu=estimate([k["throughput_teu"] for k in per_rep]),
        cargo_in_system_teu=estimate([k["cargo_in_system_teu"] for k in per_rep]),
        waiting_hours={p: _place(model, p, v) for p, v in sorted(waiting.items())},
        utilization={p: _place(model, p, v) for p, v in sorted(util.items())},
        vessel_load_factor={
            line: estimate(v) for line, v in sorted(_collect(per_rep, "load_factor").items())
        },
        caspian_wait_by_variant={  # over the replications that delivered such consignments
            label: estimate(v)
            for label, v in sorted(_collect(per_rep, "caspian_by_variant", pad=False).items())
        },
    )
    ranking = sorted(delay.items(), key=lambda item: -statistics.fmean(item[1]))
    bottlenecks = tuple(
        Bottleneck(
            rank=i + 1,
            place=p,
            name=model.place_names.get(p, p),
            kind=model.places.get(p, ""),
            delay_hours_per_teu=estimate(v),
            utilization=estimate(util[p]).mean if p in util else None,
        )
        for i, (p, v) in enumerate(ranking)
    )
    reps = result.replications
    return Summary(
        experiment=model.name,
        seed=result.seed,
        replications=len(reps),
        backend=result.backend,
        horizon_days=model.horizon_h / 24.0,
        warmup_days=model.warmup_h / 24.0,
        kpis=kpis,
        bottlenecks=bottlenecks,
        conservation=Conservation(
            created_units=sum(r.created_units for r in reps),
            delivered_units=sum(r.delivered_units for r in reps),
            in_system_units=sum(r.in_system_units for r in reps),
            holds=all(r.created_units == r.delivered_units + r.in_system_units for r in reps),
        ),
        events=sum(r.events for r in reps),
        warnings=stationarity_warnings(result),
    )


def compare(results: list[RunResult]) -> Comparison:
    """Experiments side by side, with paired differences against the first one.

    Run with the same seed, replication ``i`` of every experiment shares its random streams, so
    the differences per replication are what the change did, not noise.
    """
    summaries = tuple(summarize(r) for r in results)
    base_model = results[0].model
    base = [replication_kpis(base_model, r) for r in results[0].replications]
    differences = []
    for result in results[1:]:
        other = [replication_kpis(result.model, r) for r in result.replications]

        def delta(key: str, other: list[dict[str, Any]] = other) -> Estimate:
            return estimate([o[key] - b[key] for o, b in zip(other, base, strict=False)])

        differences.append(
            Difference(
                experiment=result.model.name,
                against=base_model.name,
                transit_days_mean=delta("transit_days_mean"),
                transit_days_p95=delta("transit_days_p95"),
                caspian_wait_hours=delta("caspian_wait_hours"),
                throughput_teu=delta("throughput_teu"),
            )
        )
    return Comparison(
        seed=results[0].seed,
        replications=len(results[0].replications),
        experiments=summaries,
        differences=tuple(differences),
    )
