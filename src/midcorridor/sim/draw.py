"""Random streams keyed by name, and sampling of durations from min/typical/max spreads.

A three-point figure of the data set (fastest, typical, slowest reported) is drawn from the
PERT distribution: a beta distribution on [min, max] with its mode at the typical value and
mean (min + 4 typ + max) / 6. It keeps most draws near the typical value and reaches the
slowest only rarely; a triangular distribution gives the extremes as much weight as the mode,
so a long slow tail (a border's worst reported week, an average speed with delays used as the
slow case) would pull the mean far above the typical time.

Every stochastic part of the model draws from its own stream, seeded from the run's seed, the
replication number and the stream's name. Two experiments run with the same seed therefore see
the same demand, storms and travel times where their models agree (common random numbers).
"""

from __future__ import annotations

import hashlib
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from midcorridor.sim.model import Dist


def stream(seed: int, replication: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one named part of one replication."""
    digest = hashlib.blake2b(f"{seed}/{replication}/{name}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


class Diverging(random.Random):
    """A stream that gives ``before``'s draws until ``clock()`` reaches ``at`` and ``after``'s
    from then on: the same past as a run with ``before`` alone, another future.
    """

    def __init__(self, before: random.Random, after: random.Random,
                 clock: Callable[[], float], at: float):
        super().__init__(0)
        self._before, self._after, self._clock, self._at = before, after, clock, at

    def random(self) -> float:
        """The next draw in [0, 1) of the stream in force now."""
        return (self._before if self._clock() < self._at else self._after).random()


def triangular(rng: random.Random, low: float, mode: float, high: float) -> float:
    """A triangular draw; a degenerate spread gives its single value without using the stream."""
    if high <= low:
        return mode
    return rng.triangular(low, high, mode)


def pert(rng: random.Random, low: float, mode: float, high: float) -> float:
    """A PERT draw (beta with shape 4 around ``mode``); a degenerate spread gives its single
    value without using the stream.
    """
    if high <= low:
        return mode
    span = high - low
    alpha = 1.0 + 4.0 * (mode - low) / span
    beta = 1.0 + 4.0 * (high - mode) / span
    return low + span * rng.betavariate(alpha, beta)


def draw(rng: random.Random, dist: Dist) -> float:
    """A draw of ``dist`` by its kind: PERT, triangular or exponential (mean ``mode``)."""
    if dist.kind == "exponential":
        return rng.expovariate(1.0 / dist.mode) if dist.mode > 0 else 0.0
    if dist.kind == "triangular":
        return triangular(rng, dist.low, dist.mode, dist.high)
    return pert(rng, dist.low, dist.mode, dist.high)
