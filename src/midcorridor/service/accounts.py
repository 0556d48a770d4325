"""Organizations, users and API tokens (tokens are stored as SHA-256 hashes, revocable)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from midcorridor.errors import InputError
from midcorridor.service.db.models import ApiToken, Organization, User

TOKEN_PREFIX = "mct_"


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_org(
    *, session: Session, name: str, kind: str, places: list[str], now: datetime
) -> Organization:
    """Add an organization; its name must be new."""
    if session.scalar(select(Organization.id).where(Organization.name == name)) is not None:
        raise InputError(f"name: an organization called {name!r} exists already")
    org = Organization(name=name, kind=kind, places=" ".join(places), created_at=now)
    session.add(org)
    session.flush()
    return org


def create_user(
    *, session: Session, org_id: int, email: str, name: str, is_admin: bool, now: datetime
) -> User:
    """Add a user to an existing organization; the e-mail address must be new."""
    if session.get(Organization, org_id) is None:
        raise InputError(f"org_id: no organization {org_id}")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputError(f"email: a user with {email!r} exists already")
    user = User(org_id=org_id, email=email, name=name, is_admin=is_admin, created_at=now)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise InputError(f"email: a user with {email!r} exists already") from None
    session.refresh(user)
    return user


def create_token(
    *, session: Session, user_id: int, name: str, now: datetime
) -> tuple[ApiToken, str]:
    """Issue a token for a user; returns the row and the secret (never stored in clear)."""
    if session.get(User, user_id) is None:
        raise InputError(f"user_id: no user {user_id}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user_id, name=name, token_hash=hash_token(secret), created_at=now)
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(*, session: Session, token_id: int, now: datetime) -> ApiToken | None:
    """Revoke a token (idempotent); None if there is no such token."""
    token = session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now
    return token


def user_for_token(*, session: Session, token: str) -> User | None:
    """The user behind a valid, unrevoked token."""
    return user_for_hash(session=session, token_hash=hash_token(token))


def user_for_hash(*, session: Session, token_hash: str) -> User | None:
    """The user behind a valid, unrevoked token, given the token's stored hash."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
    if row is None or row.revoked_at is not None:
        return None
    return row.user
