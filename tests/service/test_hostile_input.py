"""Inputs that once answered 500: non-standard JSON numbers, lone surrogates, dates at the ends
of the datetime range, absurd planned routes, booleans for ids, chunked bodies over the limit.

Every one must answer a 4xx in the one error shape, naming the field where there is one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import START, World, event, shipment_body

RAW = {"content-type": "application/json"}


def _assert_error_shape(r: Any, status: int) -> dict[str, Any]:
    """The answer has ``status`` and the one error shape: a one-line ``detail`` and ``errors``."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str)
    assert "\n" not in body["detail"]
    assert all(set(e) == {"field", "message", "type"} for e in body["errors"])
    return body


def _post_raw(client: TestClient, path: str, text: str, headers: dict[str, str]) -> Any:
    return client.post(path, content=text.encode(), headers=RAW | headers)


def _event_text(world: World, **raw_fields: str) -> str:
    """An event body as JSON text, with some values spliced in verbatim."""
    body = event("h-1", world.shipment_id, "DEPA", "KZAAU", START)
    for name in raw_fields:
        body[name] = f"@{name}@"
    text = json.dumps(body)
    for name, raw in raw_fields.items():
        text = text.replace(f'"@{name}@"', raw)
    return text


NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]


@pytest.mark.parametrize("number", NUMBERS)
def test_non_standard_numbers_are_refused(client: TestClient, world: World, number: str) -> None:
    """NaN, Infinity and overflowing exponents are not JSON numbers: 422, never 500."""
    shipment = json.dumps(shipment_body()).replace('"weight_kg": 24000', f'"weight_kg": {number}')
    assert number in shipment
    r = _post_raw(client, "/shipments", shipment, world.auth("shipper"))
    answer = _assert_error_shape(r, 422)
    assert answer["errors"][0]["type"] == "json_invalid"
    assert number.lstrip("-") in answer["detail"]
    plan = f'{{"origin": "KZAAU", "destination": "AZALT", "depart": "{START.isoformat()}", ' \
           f'"teu": {number}}}'
    _assert_error_shape(_post_raw(client, "/planner/plan", plan, world.auth("shipper")), 422)
    crossing = f'{{"days": {number}}}'
    _assert_error_shape(_post_raw(client, "/optimizer/crossing", crossing,
                                  world.auth("shipper")), 422)


@pytest.mark.parametrize(("field", "text"), [
    ("description", "ab\\ud800cd"), ("vehicle", "\\udfff"), ("event_id", "x\\udc00"),
    ("description", "ab\\u0000"), ("vehicle", "\\u0000")])
def test_unstorable_strings_are_refused(client: TestClient, world: World, field: str,
                                        text: str) -> None:
    """A lone surrogate escape or a NUL (PostgreSQL cannot store it) is a 422; nothing stored."""
    text = _event_text(world, **{field: f'"{text}"'})
    r = _post_raw(client, "/events", text, world.auth("operator"))
    _assert_error_shape(r, 422)
    # A correctly paired surrogate (an emoji) is valid text and is stored as given.
    ok = _post_raw(client, "/events", _event_text(world, description='"ok \\ud83d\\ude82"'),
                   world.auth("operator"))
    assert ok.status_code == 201, ok.text
    assert ok.json()["description"] == "ok \U0001f682"
    stored = client.get(f"/shipments/{world.shipment_id}", headers=world.auth("operator")).json()
    assert [e["event_id"] for e in stored["events"]] == ["h-1"]


def test_body_that_is_not_utf8_is_refused(client: TestClient, world: World) -> None:
    """Bytes that are not UTF-8 are a 422 saying so."""
    r = client.post("/events", content=b'{"event_id": "\xff"}',
                    headers=RAW | world.auth("operator"))
    assert "UTF-8" in _assert_error_shape(r, 422)["detail"]


EXTREME_TIMES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:00:00-12:00",  # after year 9999 in UTC
    "9999-12-31T23:59:59+00:00",
    "1999-12-31T23:59:59+00:00",
    "2100-01-01T00:00:00+00:00",
]


@pytest.mark.parametrize("when", EXTREME_TIMES)
def test_extreme_timestamps_name_the_field(client: TestClient, world: World, when: str) -> None:
    """Timestamps outside the service's years are a 422 naming the field, in every model."""
    e = event("x-1", world.shipment_id, "DEPA", "KZAAU", START) | {"event_time": when}
    r = client.post("/events", json=e, headers=world.auth("operator"))
    assert "event_time" in [p["field"] for p in _assert_error_shape(r, 422)["errors"]]

    body = shipment_body()
    body["legs"][0]["planned_depart"] = when
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    fields = [p["field"] for p in _assert_error_shape(r, 422)["errors"]]
    assert "legs.0.planned_depart" in fields

    plan = {"origin": "KZAAU", "destination": "AZALT", "depart": when}
    r = client.post("/planner/plan", json=plan, headers=world.auth("shipper"))
    assert [p["field"] for p in _assert_error_shape(r, 422)["errors"]] == ["depart"]

    r = client.get("/corridor/state", params={"at": when}, headers=world.auth("admin"))
    assert [p["field"] for p in _assert_error_shape(r, 422)["errors"]] == ["query.at"]

    planned = shipment_body(legs=None, plan=True, depart=when)
    r = client.post("/shipments", json=planned, headers=world.auth("shipper"))
    assert "depart" in [p["field"] for p in _assert_error_shape(r, 422)["errors"]]


def test_planner_near_the_last_year_is_a_422(client: TestClient, world: World) -> None:
    """A departure so late that the route would end after the last year is refused, not a 500."""
    plan = {"origin": "CNXIA", "destination": "TRIST", "depart": "2099-12-31T12:00:00+00:00"}
    r = client.post("/planner/plan", json=plan, headers=world.auth("shipper"))
    assert "depart" in _assert_error_shape(r, 422)["detail"]


def test_route_planned_over_centuries_is_refused(client: TestClient, world: World) -> None:
    """Legs planned 2000 -> 9999 are refused, and so are legs spanning more than a year."""
    body = shipment_body()
    body["legs"][0]["planned_depart"] = "2000-01-01T00:00:00+00:00"
    body["legs"][-1]["planned_arrive"] = "9999-01-01T00:00:00+00:00"
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    fields = [p["field"] for p in _assert_error_shape(r, 422)["errors"]]
    assert f"legs.{len(body['legs']) - 1}.planned_arrive" in fields

    body["legs"][-1]["planned_arrive"] = "2099-01-01T00:00:00+00:00"
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert "at most 366 days" in _assert_error_shape(r, 422)["detail"]


@pytest.mark.parametrize("value", ["true", "false", "1.0", '"1"'])
def test_shipment_id_must_be_an_integer(client: TestClient, world: World, value: str) -> None:
    """``"shipment_id": true`` is not shipment 1; neither is 1.0 or "1"."""
    text = _event_text(world, shipment_id=value)
    r = _post_raw(client, "/events", text, world.auth("operator"))
    assert [p["field"] for p in _assert_error_shape(r, 422)["errors"]] == ["shipment_id"]


def test_strict_numbers_still_accept_integers_for_floats(client: TestClient, world: World) -> None:
    """Strictness refuses coercion from bool and text, not an integer where a float goes."""
    body = shipment_body()
    body["cargo"]["weight_kg"] = 24000
    body["cargo"]["teu"] = 2
    assert client.post("/shipments", json=body, headers=world.auth("shipper")).status_code == 201
    body["cargo"]["teu"] = True
    r = client.post("/shipments", json=body, headers=world.auth("shipper"))
    assert [p["field"] for p in _assert_error_shape(r, 422)["errors"]] == ["cargo.teu"]


def test_chunked_body_over_the_limit_is_413(client: TestClient, world: World) -> None:
    """A body streamed without Content-Length is cut off at the limit with 413, not 400."""

    def chunks() -> Iterator[bytes]:
        yield b'{"events": [], "padding": "'
        for _ in range(300):
            yield b"x" * 10_000
        yield b'"}'

    r = client.post("/events/bulk", content=chunks(), headers=RAW | world.auth("operator"))
    assert "larger than" in _assert_error_shape(r, 413)["detail"]


def test_errors_share_one_shape(client: TestClient, world: World) -> None:
    """401, 403, 404, 409 and 422 answers all have the same shape."""
    _assert_error_shape(client.get("/shipments"), 401)
    _assert_error_shape(client.get("/aggregates/dwell", headers=world.auth("shipper")), 403)
    _assert_error_shape(client.get("/shipments/999999", headers=world.auth("shipper")), 404)
    _assert_error_shape(client.get("/shipments?limit=0", headers=world.auth("shipper")), 422)
    first = event("c-1", world.shipment_id, "DEPA", "KZAAU", START)
    assert client.post("/events", json=first, headers=world.auth("operator")).status_code == 201
    again = first | {"vehicle": "another train"}
    _assert_error_shape(client.post("/events", json=again, headers=world.auth("operator")), 409)


def test_every_body_is_parsed_as_standard_json(client: TestClient, world: World) -> None:
    """Every operation with a body, present and future, refuses NaN before anything else."""
    document = client.get("/openapi.json").json()
    with_body = [(method, path) for path, ops in document["paths"].items()
                 for method, op in ops.items() if "requestBody" in op]
    assert len(with_body) >= 8
    for method, path in with_body:
        url = path.replace("{", "").replace("}", "").replace("_id", "1")
        r = client.request(method, url, content=b'{"x": NaN}', headers=RAW | world.auth("admin"))
        assert _assert_error_shape(r, 422)["errors"][0]["type"] == "json_invalid", (method, path)


def test_deeply_nested_body_is_a_422(client: TestClient, world: World) -> None:
    """A body nested deeper than the parser goes is refused as invalid JSON, not a 400 or 500."""
    deep = "[" * 100_000 + "]" * 100_000
    answer = _assert_error_shape(_post_raw(client, "/shipments", deep, world.auth("shipper")), 422)
    assert answer["errors"][0]["type"] == "json_invalid"
    assert "nested too deeply" in answer["detail"]
