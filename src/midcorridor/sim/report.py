"""Result files: raw records as CSV and Parquet, KPIs as JSON, and PNG plots (matplotlib Agg)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from midcorridor.sim.run import RunResult
    from midcorridor.sim.summary import Summary


def tables(result: RunResult) -> dict[str, Any]:
    """The raw records of every replication as pandas data frames."""
    import pandas as pd

    deliveries, waits, samples, places, departures = [], [], [], [], []
    for r in result.replications:
        rep = r.replication
        deliveries += [(rep, *d) for d in r.deliveries]
        waits += [(rep, *w) for w in r.waits]
        samples += [(rep, *s) for s in r.samples]
        departures += [(rep, *d) for d in r.departures]
        places += [
            {"replication": rep, "place": p, **{k: v for k, v in s.items()}}
            for p, s in r.places.items()
        ]
    frame = pd.DataFrame
    out = {
        "deliveries": frame(
            deliveries,
            columns=[
                "replication",
                "consignment",
                "stream",
                "variant",
                "created_h",
                "delivered_h",
                "units",
                "teu",
            ],
        ),
        "waits": frame(waits, columns=["replication", "consignment", "place", "hours"]),
        "samples": frame(samples, columns=["replication", "hour", "place", "value"]),
        "departures": frame(
            departures, columns=["replication", "line", "port", "hour", "units", "slots"]
        ),
        "places": frame(places),
    }
    d = out["deliveries"]
    d["transit_days"] = (d["delivered_h"] - d["created_h"]) / 24.0
    return out


def write_report(result: RunResult, summary: Summary, folder: Path) -> list[Path]:
    """Write CSV and Parquet tables, ``kpis.json`` and PNG plots into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables(result).items():
        for path, write in (
            (folder / f"{name}.csv", df.to_csv),
            (folder / f"{name}.parquet", df.to_parquet),
        ):
            write(path, index=False)
            written.append(path)
    path = folder / "kpis.json"
    path.write_text(json.dumps(summary.to_dict(), indent=2, default=str), encoding="utf-8")
    written.append(path)
    written += _plots(result, summary, folder)
    return written


def _plots(result: RunResult, summary: Summary, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = tables(result)
    model = result.model
    names = model.place_names
    paths = []

    d = data["deliveries"]
    d = d[d["created_h"] >= model.warmup_h]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for variant, group in d.groupby("variant"):
        ax.hist(group["transit_days"], bins=40, alpha=0.6, label=variant)
    ax.set_xlabel("door-to-door days")
    ax.set_ylabel("consignments")
    ax.set_title(f"{model.name}: distribution of transit days ({len(result.replications)} runs)")
    ax.legend(fontsize=7)
    paths.append(_save(fig, folder / "transit_days.png"))

    s = data["samples"]
    s = s[s["place"] != "system"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for place, group in s.groupby("place"):
        mean = group.groupby("hour")["value"].mean()
        if mean.max() > 0:
            ax.plot(mean.index / 24.0, mean.values, label=names.get(place, place))
    ax.axvline(model.warmup_h / 24.0, color="grey", linestyle=":", label="end of warm-up")
    ax.set_xlabel("day")
    ax.set_ylabel("queued (units or consignments), mean over runs")
    ax.set_title(f"{model.name}: queues over time")
    ax.legend(fontsize=7)
    paths.append(_save(fig, folder / "queues.png"))

    util = summary.kpis.utilization
    labels = [v.name for v in util.values()]
    values = [v.value.mean or 0.0 for v in util.values()]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(labels) + 1.5))
    ax.barh(labels, values, color=["tab:red" if v > 0.85 else "tab:blue" for v in values])
    ax.set_xlim(0, 1)
    ax.set_xlabel("utilization (berths or terminal servers)")
    ax.set_title(f"{model.name}: utilization by place")
    paths.append(_save(fig, folder / "utilization.png"))
    return paths


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path
