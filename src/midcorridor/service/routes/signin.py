"""Signing in to the web app with e-mail and password (machines keep using API tokens)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from midcorridor.service import signin
from midcorridor.service.access import Principal
from midcorridor.service.db.models import User
from midcorridor.service.deps import (
    CurrentPrincipal,
    DbDep,
    SessionDep,
    SettingsDep,
    utcnow,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/auth", tags=["auth"])


class SignIn(BaseModel):
    """The body of a sign-in: email and password."""

    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class SessionPublic(BaseModel):
    """Who is signed in, and the token to send as ``X-CSRF-Token`` on every change."""

    user_id: int
    email: str
    name: str
    org_id: int
    org_name: str
    role: str
    places: list[str] = Field(description="An operator's places (its segment); else empty.")
    csrf_token: str


def _public(user: User, csrf_token: str) -> SessionPublic:
    principal = Principal.of(user)
    return SessionPublic(user_id=user.id, email=user.email, name=user.name, org_id=user.org_id,
                         org_name=user.org.name, role=principal.role.value,
                         places=sorted(principal.places), csrf_token=csrf_token)


@router.post("/signin", responses={401: {"description": "Wrong e-mail or password"}})
def sign_in(
    body: SignIn, request: Request, response: Response, db: DbDep, settings: SettingsDep,
) -> SessionPublic:
    """Check the password and set the session cookie (HttpOnly, SameSite=Strict)."""
    lifetime = timedelta(hours=settings.session_hours)
    # Committed before the answer leaves, so the page's next request finds the session.
    with db.write() as session:
        user = signin.check_password(session=session, email=body.email, password=body.password)
        if user is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong e-mail or password")
        row, cookie = signin.open_session(session=session, user=user, now=utcnow(),
                                          lifetime=lifetime)
        answer = _public(user, row.csrf_token)
    response.set_cookie(signin.COOKIE, cookie, max_age=int(lifetime.total_seconds()),
                        httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return answer


@router.get("/session")
def read_session(request: Request, session: SessionDep) -> SessionPublic | None:
    """The signed-in user of this browser and the session's CSRF token (null: signed out)."""
    cookie = request.cookies.get(signin.COOKIE)
    row = signin.find_session(session=session, cookie=cookie, now=utcnow()) if cookie else None
    return _public(row.user, row.csrf_token) if row is not None else None


@router.post("/signout", status_code=204)
def sign_out(
    request: Request, response: Response, db: DbDep, _principal: CurrentPrincipal,
) -> None:
    """Forget this browser's session (needs the CSRF header, like every change)."""
    cookie = request.cookies.get(signin.COOKIE)
    if cookie:
        with db.write() as session:
            signin.close_session(session=session, cookie=cookie)
    response.delete_cookie(signin.COOKIE, path="/", httponly=True, samesite="strict")
