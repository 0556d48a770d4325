"""Random streams keyed by name, and sampling of durations from min/typical/max spreads.

Every stochastic part of the model draws from its own stream, seeded from the run's seed, the
replication number and the stream's name. Two scenarios run with the same seed therefore see
the same demand, storms and travel times where their models agree (common random numbers).
"""

from __future__ import annotations

import hashlib
import random


def stream(seed: int, replication: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one named part of one replication."""
    digest = hashlib.blake2b(f"{seed}/{replication}/{name}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def triangular(rng: random.Random, low: float, mode: float, high: float) -> float:
    """A triangular draw; a degenerate spread gives its single value without using the stream."""
    if high <= low:
        return mode
    return rng.triangular(low, high, mode)
