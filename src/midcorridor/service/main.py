"""The FastAPI application: ``create_app(settings)`` builds it; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from midcorridor.service import forecast, http_errors, ingest
from midcorridor.service.db.engine import Database
from midcorridor.service.limits import BodySizeLimit
from midcorridor.service.migrations import upgrade
from midcorridor.service.rate_limit import RateLimit
from midcorridor.service.routes import api_router
from midcorridor.service.settings import Settings
from midcorridor.service.token_cache import TokenCache
from midcorridor.service.webapp import mount_web


def _unique_id(route: APIRoute) -> str:
    """Stable operation ids ``<tag>-<function>`` for generated clients."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service app for ``settings`` (from the environment when omitted).

    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> database = f"sqlite:///{tempfile.mkdtemp()}/service.sqlite"
    >>> with TestClient(create_app(Settings(database_url=database, background=False))) as client:
    ...     client.get("/health").json()
    {'status': 'ok', 'database': 'sqlite', 'planner': True}
    """
    settings = settings or Settings.from_env()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            upgrade(db.engine, settings=settings)
        # Build the data set's lookups before the first request, not during it (seconds).
        await run_in_threadpool(forecast.warm_up, settings.data)
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
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.token_cache = TokenCache(settings.token_cache_ttl_s)
    app.state.group_commit = ingest.group_commit(db, settings)
    app.include_router(api_router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # Added last, so it runs first: a request over its rate costs no body read or lookup.
    app.add_middleware(RateLimit, per_token=settings.rate_limit_per_token,
                       per_address=settings.rate_limit_per_address)
    http_errors.install(app)
    mount_web(app, settings)
    return app
