"""The best forecast a moment's state allows: the median arrival over the futures of that state.

A checkpoint forecast (see :mod:`midcorridor.live.calibration`) made on a simulated event
stream can be set beside the forecast no method can beat on average: the simulator is run again
with the same past up to the checkpoint's moment — every queue, ship, storm and train as it was
— and fresh random draws after it (:func:`~midcorridor.sim.processes.simulate_replication`'s
``diverge``); the median of the shipment's arrivals over these futures is the conditional
median, the arrival forecast with the smallest expected absolute error given everything the
simulator knew then. Its error against the true arrival bounds what any ETA can win over the
deterministic one.

It knows more than an ETA made from events can (the durations already drawn for legs under
way, where every ship is), so the bound it gives is, if anything, too generous.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from midcorridor.live.calibration import calibration
from midcorridor.live.position import ARRIVAL_CODES
from midcorridor.sim.processes import simulate_replication

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from midcorridor.live.calibration import Forecast
    from midcorridor.sim.model import SimModel

FOLLOW_H = 60 * 24.0
"""Each future is simulated this many hours past its moment (enough for every shipment under
way to arrive; one that has not counts as arriving after all that did)."""


@dataclass(frozen=True)
class OracleGain:
    """At one checkpoint, over the forecasts an oracle was run for: how much better than the
    deterministic ETA the P50 and the conditional median are (0.3 = 30% smaller mean absolute
    error).
    """

    checkpoint: str
    n: int
    p50_gain: float
    oracle_gain: float
    mae_oracle_h: float
    mae_deterministic_h: float


def consignment_id(reference: str) -> int:
    """The simulated consignment a feed's shipment reference names (``PREFIX-NNNNNN``)."""
    return int(reference.rsplit("-", 1)[1])


def moments(forecasts: Sequence[Forecast], count: int, window_h: float
            ) -> list[tuple[datetime, list[Forecast]]]:
    """About ``count`` moments spread evenly over the forecasts' times, each with the forecasts
    made in the ``window_h`` hours up to it (the futures start at the moment, a little after
    some of them: a bound that knows a little more).
    """
    ordered = sorted(forecasts, key=lambda f: f.at)
    if not ordered or count <= 0:
        return []
    step = max(1, len(ordered) // count)
    out: list[tuple[datetime, list[Forecast]]] = []
    for i in range(step - 1, len(ordered), step):
        at = ordered[i].at
        if out and at - out[-1][0] < timedelta(hours=window_h):
            continue
        group = [f for f in ordered if at - timedelta(hours=window_h) < f.at <= at]
        out.append((at, group))
    return out


def conditional_medians(
    model: SimModel,
    seed: int,
    groups: Sequence[tuple[datetime, Sequence[Forecast]]],
    *,
    start: datetime,
    futures: int = 15,
    replication: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[tuple[str, str], datetime]:
    """Per forecast (reference, checkpoint) of ``groups``, the median arrival over
    ``futures`` runs of ``model`` (the run of ``seed`` and ``replication`` the stream came
    from, its hour 0 dated ``start``) diverging at the group's moment.
    """
    destination = {s.name: s.destination for s in model.streams}
    out: dict[tuple[str, str], datetime] = {}
    for done, (at, group) in enumerate(groups):
        hour = (at - start).total_seconds() / 3600 - 1e-6
        wanted = {consignment_id(f.reference) for f in group}
        arrivals: dict[int, list[float]] = {c: [] for c in wanted}
        ahead = replace(model, horizon_h=min(model.horizon_h, hour + FOLLOW_H))
        for future in range(futures):
            result = simulate_replication(ahead, seed, replication, trace=True,
                                          diverge=(hour, future))
            for trace in result.traces:
                if trace.id not in wanted:
                    continue
                end = destination[trace.stream]
                times = [t for t, code, place, *_ in trace.milestones
                         if code in ARRIVAL_CODES and place == end]
                arrived = times and trace.delivered_h is not None
                arrivals[trace.id].append(max(times) if arrived else math.inf)
        for f in group:
            hours = sorted(arrivals[consignment_id(f.reference)])
            if len(hours) < futures:
                continue
            mid = (hours[(futures - 1) // 2] + hours[futures // 2]) / 2
            if math.isfinite(mid):
                out[f.reference, f.checkpoint] = start + timedelta(hours=mid)
        if progress is not None:
            progress(done + 1, len(groups))
    return out


def oracle_gains(forecasts: Sequence[Forecast], medians: dict[tuple[str, str], datetime],
                 checkpoints: Sequence[str]) -> list[OracleGain]:
    """Per checkpoint, over the forecasts with a conditional median: the P50's and the
    median's gain over the deterministic ETA.
    """
    out = []
    for name in checkpoints:
        rows = [f for f in forecasts if f.checkpoint == name and (f.reference, name) in medians]
        if not rows:
            continue
        (same,) = calibration(rows, (name,))
        det = same.mae_deterministic_h
        best = sum(f.error_h(medians[f.reference, name]) for f in rows) / len(rows)
        out.append(OracleGain(name, same.n, same.improvement,
                              1 - best / det if det > 0 else 0.0, best, det))
    return out
