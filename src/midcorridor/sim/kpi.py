"""KPIs per replication and across replications with 95% confidence intervals; bottlenecks.

Only consignments created after the warm-up count towards transit and waiting figures;
throughput counts TEU delivered between the end of the warm-up and the horizon. Results are
typed (:class:`~midcorridor.sim.summary.Summary`, :class:`~midcorridor.sim.summary.Comparison`);
``to_dict()`` gives the JSON document.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from midcorridor.sim.estimate import Estimate, Spread3, estimate, quantile
from midcorridor.sim.model import SeaLeg, SimModel
from midcorridor.sim.summary import (
    Bottleneck,
    Comparison,
    Conservation,
    Difference,
    Kpis,
    PlaceFigure,
    Summary,
)
from midcorridor.sim.trends import growing_queues, stationarity_warnings

if TYPE_CHECKING:
    from midcorridor.sim.result import ReplicationResult
    from midcorridor.sim.run import RunResult

# ``Estimate``, ``estimate`` and ``growing_queues`` are also read from here, as before they had
# modules of their own.
__all__ = [
    "Estimate", "caspian_variants", "compare", "estimate", "growing_queues", "replication_kpis",
    "summarize",
]

HOURS_PER_YEAR = 8760.0


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
    util = _collect(per_rep, "utilization")
    reps = result.replications
    return Summary(
        experiment=model.name,
        seed=result.seed,
        replications=len(reps),
        backend=result.backend,
        horizon_days=model.horizon_h / 24.0,
        warmup_days=model.warmup_h / 24.0,
        kpis=_kpis(model, per_rep, util),
        bottlenecks=_bottlenecks(model, _collect(per_rep, "delay_per_teu"), util),
        conservation=Conservation(
            created_units=sum(r.created_units for r in reps),
            delivered_units=sum(r.delivered_units for r in reps),
            in_system_units=sum(r.in_system_units for r in reps),
            holds=all(r.created_units == r.delivered_units + r.in_system_units for r in reps),
        ),
        events=sum(r.events for r in reps),
        warnings=stationarity_warnings(result),
    )


def _kpis(model: SimModel, per_rep: list[dict[str, Any]], util: dict[str, list[float]]) -> Kpis:
    """The KPIs over replications from each replication's figures."""
    variants: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for k in per_rep:
        for label, triple in k["by_variant"].items():
            variants[label].append(triple)
    waiting = _collect(per_rep, "waiting_hours")
    return Kpis(
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


def _bottlenecks(
    model: SimModel, delay: dict[str, list[float]], util: dict[str, list[float]]
) -> tuple[Bottleneck, ...]:
    """Places ranked by their mean delay per TEU, largest first."""
    ranking = sorted(delay.items(), key=lambda item: -statistics.fmean(item[1]))
    return tuple(
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
