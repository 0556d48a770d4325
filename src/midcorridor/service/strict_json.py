r"""Request bodies are parsed as standard JSON (RFC 8259) and must be valid Unicode text.

Python's ``json`` accepts ``NaN``, ``Infinity`` and numbers too large for a float (read as
``inf``), and decodes an escaped lone surrogate (``"\ud800"``) into a string that cannot be
stored or encoded again; PostgreSQL cannot store a NUL character (``"\u0000"``) in text.
:class:`StrictJsonRoute` refuses all of these as a 422
``json_invalid`` that says what was wrong and where, before any validation runs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

# An escaped UTF-16 surrogate or NUL (JSON only escapes with a lower-case ``u``); raw ones
# are not valid JSON (NUL) or not valid UTF-8 (surrogates) and never parse.
_ESCAPED_UNSTORABLE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")


class _NotStandard(ValueError):
    def __init__(self, message: str, token: str):
        super().__init__(message)
        self.token = token


def _constant(name: str) -> float:
    raise _NotStandard(f"{name} is not a JSON number; send a finite number or null", name)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotStandard(f"{text} is too large for a number; use at most about 1.8e308", text)
    return value


def _unstorable(value: Any) -> str | None:
    """Why some string (key or value) in ``value`` cannot be stored, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "a string holds a NUL character (\\u0000), which cannot be stored"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return ("a string holds an unpaired UTF-16 surrogate escape (such as \\ud800); "
                        "send valid Unicode text")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def loads(body: bytes) -> Any:
    """Parse ``body`` as standard JSON; raise :class:`json.JSONDecodeError` if it is not."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("the body is not UTF-8 text", "", exc.start) from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_finite)
    except _NotStandard as exc:
        raise json.JSONDecodeError(str(exc), text, max(text.find(exc.token), 0)) from None
    except RecursionError:
        raise json.JSONDecodeError("the body is nested too deeply", text, 0) from None
    if _ESCAPED_UNSTORABLE.search(body):
        problem = _unstorable(value)
        if problem is not None:
            raise json.JSONDecodeError(problem, text, max(text.find("\\u"), 0))
    return value


class StrictJsonRequest(Request):
    """A request whose ``json()`` is :func:`loads`."""

    async def json(self) -> Any:
        """The body parsed as standard JSON (read once)."""
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """Every route of the service: bodies are parsed with :func:`loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, answering 422 for a body that is not standard JSON."""
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
