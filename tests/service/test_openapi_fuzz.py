"""Property-based run of the OpenAPI document with schemathesis: no 5xx for any request, on
SQLite and on PostgreSQL, and every answered status is one the document lists.

Two kinds of request per operation: schemathesis' own (from the schema), and the same requests
made hostile the way real clients and attackers are: a number replaced by ``NaN``,
``Infinity`` or ``1e400``, a string given a lone surrogate escape (``\\ud800``) or a NUL
(``\\u0000``, which PostgreSQL cannot store), a timestamp
moved to the ends of the datetime range (``0001-01-01T00:00:00+14:00``). These are not in any
JSON schema, so schemathesis alone never sends them.

Bounded: a fixed number of examples per operation, each operation called with the token of a
role that may use it (so requests get past authorization into the handlers).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.json_paths import json_scalars, replace_at
from helpers.service_factories import World

EXAMPLES = 15
HOSTILE_EXAMPLES = 15

NUMBERS = ("NaN", "Infinity", "-Infinity", "1e400", "-1e999")
UNSTORABLE = ("\\ud800", "\\udfff", "a\\udc00b", "\\u0000", "a\\u0000")
EXTREME_TIMES = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00",
                 "9999-12-31T23:59:59.999999+00:00", "0001-01-01T00:00:00Z")
_MARK = "@@hostile@@"


@pytest.fixture
def api_schema(client: TestClient, world: World) -> schemathesis.BaseSchema:
    """The app's own OpenAPI document, loaded through ASGI."""
    app: FastAPI = client.app  # type: ignore[assignment]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # Each call runs HiGHS for up to its time limit; its hostile inputs are in
    # test_hostile_input, which never reaches the solver.
    return schema.exclude(path="/optimizer/crossing")


def _role_for(path: str) -> str:
    if path.startswith("/admin") or path == "/alerts/scan":
        return "admin"
    if path.startswith(("/aggregates", "/crossing/closures")):
        return "coordinator"
    if path.startswith("/events"):
        return "operator"
    return "shipper"


def _documented(client: TestClient) -> dict[tuple[str, str], set[int]]:
    document = client.get("/openapi.json").json()
    return {(method.upper(), path): {int(code) for code in op["responses"]}
            for path, ops in document["paths"].items() for method, op in ops.items()}


def test_no_server_errors(api_schema: schemathesis.BaseSchema, client: TestClient,
                          world: World) -> None:
    """Every generated request, plain or hostile, answers below 500 with a documented status."""
    # Driven through Hypothesis directly: schemathesis' pytest plugin does not run on pytest 9.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    documented = _documented(client)
    failures: list[tuple[str, str, int, str]] = []
    seen: dict[tuple[str, str], set[int]] = {}
    for operation in operations:
        headers = world.auth(_role_for(operation.path))
        _fuzz(operation, headers, failures, seen)
        if operation.body:
            _fuzz_hostile(operation, client, headers, failures, seen)
    assert failures == []
    undocumented = {key: codes - documented[key] for key, codes in seen.items()
                    if codes - documented[key]}
    assert undocumented == {}
    # The hostile requests did reach the handlers and were refused there.
    assert any(422 in codes for key, codes in seen.items() if key[0] == "POST")


def _record(method: str, path: str, status: int, text: str, failures: list[Any],
            seen: dict[tuple[str, str], set[int]]) -> None:
    seen.setdefault((method, path), set()).add(status)
    if status >= 500:
        failures.append((method, path, status, text[:200]))


def _fuzz(operation: Any, headers: dict[str, str], failures: list[Any],
          seen: dict[tuple[str, str], set[int]]) -> None:
    """Run one operation's generated requests, recording every status."""

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        _record(case.method.upper(), operation.path, response.status_code, response.text,
                failures, seen)

    run()


def hostile_text(body: Any, rng: random.Random) -> str:
    """``body`` as JSON text with one value made hostile (a number, string or timestamp)."""
    slots = list(json_scalars(body))
    numbers = [p for p, v in slots if isinstance(v, int | float) and not isinstance(v, bool)]
    strings = [p for p, v in slots if isinstance(v, str)]
    times = [p for p in strings if p and isinstance(p[-1], str)
             and any(w in p[-1] for w in ("time", "depart", "arrive"))]
    kinds = [k for k, ps in (("number", numbers), ("string", strings), ("time", times)) if ps]
    if not isinstance(body, dict | list) or not kinds:
        return rng.choice(NUMBERS)  # the whole body is one hostile value
    kind = rng.choice(kinds)
    if kind == "number":
        path, raw = rng.choice(numbers), rng.choice(NUMBERS)
    elif kind == "string":
        path, raw = rng.choice(strings), json.dumps("x" + _MARK)[:-1] + rng.choice(UNSTORABLE)
        raw = raw.replace(_MARK, "") + '"'
    else:
        path, raw = rng.choice(times), json.dumps(rng.choice(EXTREME_TIMES))
    text = json.dumps(replace_at(body, path, _MARK))
    return text.replace(json.dumps(_MARK), raw, 1)


def _fuzz_hostile(operation: Any, client: TestClient, headers: dict[str, str],
                  failures: list[Any], seen: dict[tuple[str, str], set[int]]) -> None:
    """Send generated bodies with one value made hostile; record every status."""

    @given(case=operation.as_strategy(), seed=st.integers(0, 2**32 - 1))
    @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case, seed: int) -> None:
        if not isinstance(case.body, dict | list):
            return  # nothing to make hostile in this case; the plain run covers it
        text = hostile_text(case.body, random.Random(seed))
        response = client.request(
            case.method, case.formatted_path, params=case.query or None, content=text.encode(),
            headers=headers | {"content-type": "application/json"})
        _record(case.method.upper(), operation.path, response.status_code, response.text,
                failures, seen)

    run()


def test_hostile_text_makes_one_value_hostile() -> None:
    """The mutation changes exactly one value into text that standard JSON parsers refuse."""
    body = {"a": 1, "b": [{"t_time": "2026-01-01T00:00:00Z"}], "c": "x"}
    strict = []
    for seed in range(60):
        text = hostile_text(body, random.Random(seed))
        assert text != json.dumps(body)
        try:
            parsed = json.loads(text, parse_constant=lambda c: pytest.fail("non-standard"))
        except BaseException:
            continue
        strict.append(parsed)
    # Every mutation is non-standard JSON, a lone surrogate or an out-of-range time.
    for parsed in strict:
        value = json.dumps(parsed)
        assert ("\\ud" in value or "\\u0000" in value or "0001-" in value or "9999-" in value
                or "inf" in value.lower()), value
