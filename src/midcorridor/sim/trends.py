"""Queue trends after the warm-up, and the warning for a queue that grows through the horizon."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from midcorridor.sim.run import RunResult


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

