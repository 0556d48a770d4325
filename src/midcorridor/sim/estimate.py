"""Estimates over replications: a mean with its 95% confidence interval, and quantiles."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

from midcorridor.sim.record import Record

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
class Spread3(Record):
    """Mean, median and 95th percentile of a per-consignment figure, each over replications."""

    mean: Estimate
    p50: Estimate
    p95: Estimate


