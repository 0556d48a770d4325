"""Signing in to the web app: argon2 password hashes and browser sessions.

A browser session is a random cookie (stored only as its SHA-256 hash, like API tokens) plus
a CSRF token that the page sends back in the ``X-CSRF-Token`` header on every change.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from midcorridor.errors import InputError
from midcorridor.service.accounts import hash_token
from midcorridor.service.db.models import User, WebSession

COOKIE = "midcorridor_session"
CSRF_HEADER = "X-CSRF-Token"
MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    """The stored (argon2id) form of a password of at least ``MIN_PASSWORD`` characters."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password: at least {MIN_PASSWORD} characters, got {len(password)}")
    return _hasher.hash(password)


def set_password(*, session: Session, email: str, password: str) -> User:
    """Give the user with ``email`` a password for the web app."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise InputError(f"email: no user with {email!r}")
    user.password_hash = hash_password(password)
    return user


def check_password(*, session: Session, email: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (unknown e-mail or wrong password)."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    stored = user.password_hash if user is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if stored else None


def open_session(
    *, session: Session, user: User, now: datetime, lifetime: timedelta
) -> tuple[WebSession, str]:
    """A new browser session for ``user``; returns the row and the cookie value."""
    cookie = secrets.token_urlsafe(32)
    row = WebSession(user_id=user.id, token_hash=hash_token(cookie),
                     csrf_token=secrets.token_urlsafe(32), created_at=now,
                     expires_at=now + lifetime)
    session.add(row)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.flush()
    return row, cookie


def find_session(*, session: Session, cookie: str, now: datetime) -> WebSession | None:
    """The unexpired browser session behind a cookie value."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == hash_token(cookie)))
    if row is None or row.expires_at <= now:
        return None
    return row


def close_session(*, session: Session, cookie: str) -> None:
    """Sign out: forget the browser session (idempotent)."""
    session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(cookie)))


def csrf_matches(expected: str, given: str | None) -> bool:
    """Whether the header carries the session's CSRF token (constant-time compare)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
