"""KPIs per replication and across replications with 95% confidence intervals; bottlenecks.

Only consignments created after the warm-up count towards transit and waiting figures;
throughput counts TEU delivered between the end of the warm-up and the horizon.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

from midcorridor.sim.model import SeaLeg, SimModel
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


def t95(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom."""
    return _T95[df - 1] if 1 <= df <= len(_T95) else 1.96


def estimate(values: list[float]) -> dict[str, Any]:
    """Mean with a 95% confidence interval over replications (``None`` bounds with one value)."""
    values = [v for v in values if v == v]
    if not values:
        return {"mean": None, "ci95": [None, None], "n": 0}
    mean = statistics.fmean(values)
    if len(values) < 2:
        return {"mean": mean, "ci95": [None, None], "n": 1}
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return {"mean": mean, "ci95": [mean - half, mean + half], "n": len(values)}


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile with linear interpolation (``nan`` for no values)."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


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
        "throughput_teu": delivered_teu / years if years > 0 else float("nan"),
        "cargo_in_system_teu": statistics.fmean(system) if system else float("nan"),
        "waiting_hours": {p: w / n for p, w in place_wait.items()},
        "delay_per_teu": {p: w / total_teu for p, w in place_teu_h.items()},
        "utilization": {p: s["utilization"] for p, s in r.places.items()},
        "load_factor": {k: statistics.fmean(v) for k, v in load.items()},
        "consignments": len(counted),
    }


def _collect(per_rep: list[dict[str, Any]], key: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for k in per_rep:
        for name, value in k[key].items():
            out[name].append(value)
    for name in out:  # a place nobody waited at in some replication waited 0 h there
        out[name] += [0.0] * (len(per_rep) - len(out[name]))
    return out


def summarize(result: RunResult) -> dict[str, Any]:
    """KPIs across replications with 95% confidence intervals, and the bottleneck ranking."""
    model = result.model
    per_rep = [replication_kpis(model, r) for r in result.replications]
    names = model.place_names
    variants: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for k in per_rep:
        for label, triple in k["by_variant"].items():
            variants[label].append(triple)
    waiting = _collect(per_rep, "waiting_hours")
    delay = _collect(per_rep, "delay_per_teu")
    util = _collect(per_rep, "utilization")
    kpis = {
        "transit_days": {
            "mean": estimate([k["transit_days_mean"] for k in per_rep]),
            "p50": estimate([k["transit_days_p50"] for k in per_rep]),
            "p95": estimate([k["transit_days_p95"] for k in per_rep]),
        },
        "transit_days_by_variant": {
            label: {
                "mean": estimate([t[0] for t in triples]),
                "p50": estimate([t[1] for t in triples]),
                "p95": estimate([t[2] for t in triples]),
            }
            for label, triples in sorted(variants.items())
        },
        "caspian_wait_hours": estimate([k["caspian_wait_hours"] for k in per_rep]),
        "throughput_teu": estimate([k["throughput_teu"] for k in per_rep]),
        "cargo_in_system_teu": estimate([k["cargo_in_system_teu"] for k in per_rep]),
        "waiting_hours": {
            p: {"name": names.get(p, p), "kind": model.places.get(p, ""), **estimate(v)}
            for p, v in sorted(waiting.items())
        },
        "utilization": {
            p: {"name": names.get(p, p), "kind": model.places.get(p, ""), **estimate(v)}
            for p, v in sorted(util.items())
        },
        "vessel_load_factor": {
            line: estimate(v) for line, v in sorted(_collect(per_rep, "load_factor").items())
        },
    }
    ranking = sorted(delay.items(), key=lambda item: -statistics.fmean(item[1]))
    bottlenecks = [
        {
            "rank": i + 1,
            "place": p,
            "name": names.get(p, p),
            "kind": model.places.get(p, ""),
            "delay_hours_per_teu": estimate(v),
            "utilization": estimate(util[p])["mean"] if p in util else None,
        }
        for i, (p, v) in enumerate(ranking)
    ]
    reps = result.replications
    return {
        "scenario": model.name,
        "seed": result.seed,
        "replications": len(reps),
        "backend": result.backend,
        "horizon_days": model.horizon_h / 24.0,
        "warmup_days": model.warmup_h / 24.0,
        "kpis": kpis,
        "bottlenecks": bottlenecks,
        "conservation": {
            "created_units": sum(r.created_units for r in reps),
            "delivered_units": sum(r.delivered_units for r in reps),
            "in_system_units": sum(r.in_system_units for r in reps),
            "holds": all(r.created_units == r.delivered_units + r.in_system_units for r in reps),
        },
        "events": sum(r.events for r in reps),
    }


def compare(results: list[RunResult]) -> dict[str, Any]:
    """Scenarios side by side, with paired differences against the first one.

    Run with the same seed, replication ``i`` of every scenario shares its random streams, so
    the differences per replication are what the change did, not noise.
    """
    summaries = [summarize(r) for r in results]
    base_model = results[0].model
    base = [replication_kpis(base_model, r) for r in results[0].replications]
    keys = ("transit_days_mean", "transit_days_p95", "caspian_wait_hours", "throughput_teu")
    differences = []
    for result in results[1:]:
        other = [replication_kpis(result.model, r) for r in result.replications]
        differences.append(
            {
                "scenario": result.model.name,
                "against": base_model.name,
                **{
                    key: estimate([o[key] - b[key] for o, b in zip(other, base, strict=False)])
                    for key in keys
                },
            }
        )
    return {
        "seed": results[0].seed,
        "replications": len(results[0].replications),
        "scenarios": summaries,
        "differences": differences,
    }
