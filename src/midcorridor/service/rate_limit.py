"""Rate limits per API token and per client address (the ``limits`` library).

Hits are kept in memory, per server process, in moving windows: a limit of 8/minute counts
exactly the hits of the last 60 seconds (a window that only weighs the previous minute's count
can let a ninth through at a minute's turn). With ``--workers N`` each process allows the
configured rate, so the whole service allows up to N times it. A request
over a limit answers 429 with ``Retry-After`` (seconds) before any other work is done.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from limits import RateLimitItem
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from midcorridor.service.http_errors import ErrorPublic
from midcorridor.service.settings import parse_limits

Scope = dict[str, Any]


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return hashlib.sha256(token.strip()).hexdigest()
    return None


class RateLimit:
    """ASGI middleware answering 429 when a token or an address exceeds its rates."""

    def __init__(self, app: Any, *, per_token: str, per_address: str):
        self.app = app
        self.per_token = parse_limits("rate_limit_per_token", per_token)
        self.per_address = parse_limits("rate_limit_per_address", per_address)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Pass the request on, or answer 429 when its token or address is over its rate."""
        if scope["type"] != "http" or not (self.per_token or self.per_address):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        checks = [(item, "address", client[0] if client else "unknown")
                  for item in self.per_address]
        token = _bearer(scope)
        if token is not None:
            checks += [(item, "token", token) for item in self.per_token]
        for item, kind, key in checks:
            if not self.limiter.hit(item, kind, key):
                reset = self.limiter.get_window_stats(item, kind, key).reset_time
                await self._reject(send, kind, item, max(1, math.ceil(reset - time.time())))
                return
        await self.app(scope, receive, send)

    async def _reject(self, send: Any, kind: str, item: RateLimitItem, retry_after: int) -> None:
        body = ErrorPublic(detail=f"too many requests for this {kind} (limit {item}); "
                                  f"retry after {retry_after} s").model_dump_json().encode()
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"application/json"), (b"retry-after", str(retry_after).encode()),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
