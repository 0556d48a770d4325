"""Every 4xx and 5xx answer has one shape, :class:`ErrorPublic`, and is in the OpenAPI document.

``detail`` is always one line of text saying what was wrong; ``errors`` lists each invalid
field of a 422 (``field`` is the dotted path into the body, or ``query.<name>`` /
``path.<name>``). The submitted values are never echoed back: an answer can always be encoded,
whatever was sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from midcorridor.errors import (
    InputError,
    InvalidFieldsError,
    MidcorridorError,
    NoRouteError,
    UnknownPlaceError,
)
from midcorridor.service.jobs import JobLimitReached
from midcorridor.service.planning import PlannerUnavailable


class FieldProblem(BaseModel):
    """One thing wrong with a request: where, what and a stable code for its kind."""

    field: str = Field(description="Dotted path of the field, e.g. `legs.0.planned_depart`.")
    message: str
    type: str = Field(description="A stable code for the kind of problem, e.g. `missing`.")


class ErrorPublic(BaseModel):
    """The body of every error answer."""

    detail: str = Field(description="What was wrong, in one line.")
    errors: list[FieldProblem] = Field(default_factory=list,
                                       description="Each invalid field (422 only).")


# Domain errors map to HTTP once, here.
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (JobLimitReached, 429),
    (PlannerUnavailable, 503),
    (InputError, 422),
    (UnknownPlaceError, 422),
    (NoRouteError, 422),
    (MidcorridorError, 400),
)

DESCRIPTIONS = {
    400: "The request cannot be carried out as given",
    401: "Missing, unknown or revoked token",
    403: "The caller's role may not do this",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with stored data",
    413: "Request body too large",
    422: "Invalid request: `errors` names each field",
    429: "Too many requests: retry after `Retry-After` seconds",
    503: "Temporarily unavailable: retry after `Retry-After` seconds",
}


def _text(value: object) -> str:
    """``value`` as text that always encodes (no unpaired surrogates), on one line."""
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return " ".join(text.split())


def error_response(status: int, detail: object, *, errors: Sequence[FieldProblem] = (),
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """An error answer in the one shape."""
    body = ErrorPublic(detail=_text(detail), errors=list(errors))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _field(loc: Iterable[object]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def field_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    """Pydantic's error list as :class:`FieldProblem` rows, without the submitted input."""
    problems = []
    for error in errors:
        message = error.get("msg", "invalid")
        if error.get("type") == "json_invalid":
            message = f"not valid JSON: {error.get('ctx', {}).get('error', message)}"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        problems.append(FieldProblem(field=_field(error.get("loc", ())), message=_text(message),
                                     type=str(error.get("type", "invalid"))))
    return problems


def summary(problems: Sequence[FieldProblem]) -> str:
    """One line naming the first few invalid fields."""
    shown = "; ".join(f"{p.field}: {p.message}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"invalid request: {shown}{more}"


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = field_problems(exc.errors())
    return error_response(422, summary(problems), errors=problems)


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, exc.detail, headers=headers)


async def _domain(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, InvalidFieldsError):
        problems = [FieldProblem(field=field, message=_text(message), type=exc.code)
                    for field, message in exc.problems]
        return error_response(422, summary(problems), errors=problems)
    for kind, code in _STATUS:
        if isinstance(exc, kind):
            headers = {"Retry-After": "30"} if code == 429 else None
            return error_response(code, exc, headers=headers)
    return error_response(400, exc)


async def _conflict(_request: Request, _exc: Exception) -> JSONResponse:
    return error_response(409, "conflicts with stored data; retry")


async def _busy(_request: Request, exc: Exception) -> JSONResponse:
    return error_response(503, f"database busy or unreachable; retry ({type(exc).__name__})",
                          headers={"Retry-After": "1"})


def install(app: FastAPI) -> None:
    """Answer every error in the one shape, and document every status in the OpenAPI."""
    handlers: dict[Any, Any] = {
        RequestValidationError: _validation, StarletteHTTPException: _http,
        MidcorridorError: _domain, IntegrityError: _conflict, OperationalError: _busy,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- the OpenAPI document ------------------------------------------------------------------------


def statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from its security, parameters and body.

    A route adds the statuses of its own business rules with ``responses=answers(...)``.
    """
    codes = {429, 503}  # over a rate limit; the database is busy or unreachable
    if operation.get("security"):
        codes |= {401, 403}
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters):
        codes.add(404)
    if parameters or "requestBody" in operation:
        codes.add(422)
    if "requestBody" in operation:
        codes.add(413)
    if method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
        codes.add(409)
    return codes


Found = TypeVar("Found")


def found_or_404(row: Found | None, what: str) -> Found:
    """``row``, or a 404 saying the ``what`` was not found (also when the caller may not see it:
    a 404 leaks nothing).
    """
    if row is None:
        raise HTTPException(404, f"{what} not found")
    return row


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for statuses a route answers because of its own rules."""
    return {code: {"model": ErrorPublic, "description": DESCRIPTIONS[code]} for code in codes}


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, listing every error status of every operation."""
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                         description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorPublic.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorPublic"] = error_schema
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    ref = {"$ref": "#/components/schemas/ErrorPublic"}
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            declared = {int(code) for code in responses if str(code).isdigit()}
            for code in sorted(statuses(method, operation) | {c for c in declared if c >= 400}):
                entry = responses.setdefault(str(code), {})
                entry["description"] = DESCRIPTIONS.get(code, entry.get("description", "Error"))
                entry["content"] = {"application/json": {"schema": ref}}
                if code in (429, 503):
                    entry["headers"] = {"Retry-After": {
                        "description": "Seconds to wait before retrying",
                        "schema": {"type": "integer"}}}
    return schema
