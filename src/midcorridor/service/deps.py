"""Typed FastAPI dependencies: the database, sessions, settings and the calling principal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from midcorridor.service import accounts, signin
from midcorridor.service.access import Action, Principal
from midcorridor.service.db.engine import Database
from midcorridor.service.settings import Settings
from midcorridor.service.token_cache import TokenCache

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer mct_...`")


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in
# its thread pool, a hand-off that costs more than the dependency itself.


async def get_db(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_token_cache(request: Request) -> TokenCache:
    """The app's cache of verified tokens."""
    cache: TokenCache = request.app.state.token_cache
    return cache


DbDep = Annotated[Database, Depends(get_db)]
TokenCacheDep = Annotated[TokenCache, Depends(get_token_cache)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_read_session(db: DbDep) -> Iterator[Session]:
    """A read-only session for one request."""
    with db.read() as session:
        yield session


def get_write_session(db: DbDep) -> Iterator[Session]:
    """A writing session for one request: it commits on success and rolls back on error."""
    with db.write() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_read_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session)]


def _principal_from_db(db: Database, token_hash: str) -> Principal | None:
    with db.read() as session:
        user = accounts.user_for_hash(session=session, token_hash=token_hash)
        return Principal.of(user) if user is not None else None


def _principal_from_cookie(db: Database, cookie: str, csrf: str | None, safe: bool) -> Principal:
    with db.read() as session:
        row = signin.find_session(session=session, cookie=cookie, now=utcnow())
        if row is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "session expired; sign in again")
        if not safe and not signin.csrf_matches(row.csrf_token, csrf):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"missing or wrong {signin.CSRF_HEADER} header")
        return Principal.of(row.user)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_principal(
    request: Request,
    db: DbDep,
    cache: TokenCacheDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: a bearer token (from the token cache, else from the database), or the
    web app's session cookie with its CSRF header on changes.
    """
    if credentials is None or not credentials.credentials:
        cookie = request.cookies.get(signin.COOKIE)
        if cookie:
            return await run_in_threadpool(
                _principal_from_cookie, db, cookie, request.headers.get(signin.CSRF_HEADER),
                request.method in _SAFE_METHODS,
            )
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    token_hash = accounts.hash_token(credentials.credentials)
    principal = cache.get(token_hash)
    if principal is not None:
        return principal
    generation = cache.generation
    principal = await run_in_threadpool(_principal_from_db, db, token_hash)
    if principal is not None:
        cache.put(token_hash, principal, generation)
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked token",
                            headers={"WWW-Authenticate": "Bearer"})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(action: Action, *others: Action):  # type: ignore[no-untyped-def]
    """A dependency that answers 403 unless the caller's role may do ``action`` (or one of
    ``others``).
    """

    async def check(principal: CurrentPrincipal) -> Principal:
        if not any(principal.may(a) for a in (action, *others)):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {principal.role.value} may not {action.value}")
        return principal

    return Depends(check)


# Path ids: out-of-range values are a 422, not a database overflow.
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def utcnow() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)
