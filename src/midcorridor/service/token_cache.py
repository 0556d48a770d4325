"""A short-lived, per-process cache of token -> principal, so a request costs no token query.

A hit is served for at most ``ttl_s`` seconds after the token was looked up in the database.
Revoking a token through this process (``DELETE /admin/tokens/{id}``) drops the cache at once,
so it stops working here immediately; another process (a second uvicorn worker, the CLI)
sees the revocation within ``ttl_s``. ``ttl_s = 0`` turns the cache off. Misses (unknown or
revoked tokens) are never cached, so a new token works at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from midcorridor.service.access import Principal

MAX_ENTRIES = 10_000


class TokenCache:
    """Principals by token hash, each valid for ``ttl_s`` seconds (thread-safe)."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int:
        """Read before a database lookup and pass to :meth:`put` (a clear in between wins)."""
        return self._generation

    def get(self, token_hash: str) -> Principal | None:
        """The cached principal, or None when absent or older than the TTL."""
        if self.ttl_s <= 0:
            return None
        entry = self._entries.get(token_hash)
        if entry is None or self._clock() - entry[0] >= self.ttl_s:
            return None
        return entry[1]

    def put(self, token_hash: str, principal: Principal, generation: int) -> None:
        """Remember a principal read from the database, unless the cache was cleared since
        ``generation`` was read (the lookup may predate a revocation).
        """
        if self.ttl_s <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[token_hash] = (self._clock(), principal)

    def clear(self) -> None:
        """Forget everything (after a revocation, or any change to users and organizations)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
