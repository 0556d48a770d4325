"""The FastAPI application: ``create_app(settings)`` builds it; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError, OperationalError

from midcorridor.errors import (
    InputError,
    MidcorridorError,
    NoRouteError,
    UnknownPlaceError,
)
from midcorridor.service.db.engine import Database
from midcorridor.service.jobs import JobLimitReached
from midcorridor.service.limits import BodySizeLimit
from midcorridor.service.migrations import upgrade
from midcorridor.service.planning import PlannerUnavailable
from midcorridor.service.routes import api_router
from midcorridor.service.routes.events import group_commit
from midcorridor.service.settings import Settings
from midcorridor.service.token_cache import TokenCache

# Domain errors map to HTTP once, here.
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (JobLimitReached, 429),
    (PlannerUnavailable, 503),
    (InputError, 422),
    (UnknownPlaceError, 422),
    (NoRouteError, 422),
    (MidcorridorError, 400),
)


def _unique_id(route: APIRoute) -> str:
    """Stable operation ids ``<tag>-<function>`` for generated clients."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service app for ``settings`` (from the environment when omitted)."""
    settings = settings or Settings.from_env()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            upgrade(db.engine)
        try:
            yield
        finally:
            db.dispose()

    app = FastAPI(
        title="midcorridor transit operations",
        summary="Shipments, DCSA-style operator events, ETA, alerts and subscriptions "
        "for the Middle Corridor.",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_unique_id,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.token_cache = TokenCache(settings.token_cache_ttl_s)
    app.state.group_commit = group_commit(db, settings)
    app.include_router(api_router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    async def domain_error(_request: Request, exc: Exception) -> JSONResponse:
        for kind, code in _STATUS:
            if isinstance(exc, kind):
                headers = {"Retry-After": "30"} if code == 429 else None
                return JSONResponse({"detail": str(exc)}, status_code=code, headers=headers)
        return JSONResponse({"detail": str(exc)}, status_code=400)

    async def conflict(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": "conflicts with stored data; retry"}, status_code=409)

    async def busy(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": f"database busy; retry ({type(exc).__name__})"},
                            status_code=503, headers={"Retry-After": "1"})

    handlers: dict[Any, Any] = {
        MidcorridorError: domain_error, IntegrityError: conflict, OperationalError: busy,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    return app
