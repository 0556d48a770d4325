"""Admin: organizations, users and API tokens (platform admins only), and ``/me``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import APIRouter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from midcorridor.service import accounts
from midcorridor.service.access import Action
from midcorridor.service.db.models import ApiToken, Organization, User
from midcorridor.service.deps import (
    CurrentPrincipal,
    DbDep,
    PathId,
    SessionDep,
    TokenCacheDep,
    WriteSessionDep,
    require,
    utcnow,
)
from midcorridor.service.http_errors import found_or_404
from midcorridor.service.paging import Limit, Skip
from midcorridor.service.schemas import (
    OrganizationCreate,
    OrganizationPublic,
    OrganizationsPublic,
    OrgKind,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

if TYPE_CHECKING:
    from collections.abc import Callable

router = APIRouter(route_class=StrictJsonRoute, tags=["admin"])
admin_only = [require(Action.manage_accounts)]
Page = TypeVar("Page")


def _org(org: Organization) -> OrganizationPublic:
    return OrganizationPublic(id=org.id, name=org.name, kind=OrgKind(org.kind),
                              places=org.place_ids)


def _user(user: User) -> UserPublic:
    role = "admin" if user.is_admin else user.org.kind
    return UserPublic(id=user.id, org_id=user.org_id, email=user.email, name=user.name,
                      is_admin=user.is_admin, role=role)


def _token(token: ApiToken) -> TokenPublic:
    return TokenPublic(id=token.id, user_id=token.user_id, name=token.name,
                       created_at=token.created_at, revoked_at=token.revoked_at)


@router.get("/me")
def read_me(principal: CurrentPrincipal, session: SessionDep) -> UserPublic:
    """The calling user."""
    user = session.get(User, principal.user_id)
    assert user is not None
    return _user(user)


def _page(session: Session, model: Any, skip: int, limit: int,
          public: Callable[[Any], Any], page: Callable[..., Page]) -> Page:
    """One page of a table in id order as ``public`` rows, with the table's row count."""
    rows = session.scalars(select(model).order_by(model.id).offset(skip).limit(limit))
    count = session.scalar(select(func.count(model.id))) or 0
    return page(data=[public(row) for row in rows], count=count)


@router.post("/admin/organizations", status_code=201, dependencies=admin_only)
def create_organization(body: OrganizationCreate, session: WriteSessionDep) -> OrganizationPublic:
    """Create an organization (operators list the places of their segment)."""
    org = accounts.create_org(session=session, name=body.name, kind=body.kind.value,
                              places=body.places, now=utcnow())
    return _org(org)


@router.get("/admin/organizations", dependencies=admin_only)
def list_organizations(
    session: SessionDep, skip: Skip = 0, limit: Limit = 100,
) -> OrganizationsPublic:
    """List organizations."""
    return _page(session, Organization, skip, limit, _org, OrganizationsPublic)


@router.post("/admin/users", status_code=201, dependencies=admin_only)
def create_user(body: UserCreate, session: WriteSessionDep) -> UserPublic:
    """Create a user in an organization."""
    user = accounts.create_user(session=session, org_id=body.org_id, email=body.email,
                                name=body.name, is_admin=body.is_admin, now=utcnow())
    return _user(user)


@router.get("/admin/users", dependencies=admin_only)
def list_users(
    session: SessionDep, skip: Skip = 0, limit: Limit = 100,
) -> UsersPublic:
    """List users."""
    return _page(session, User, skip, limit, _user, UsersPublic)


@router.post("/admin/tokens", status_code=201, dependencies=admin_only)
def create_token(body: TokenCreate, session: WriteSessionDep) -> TokenCreated:
    """Issue an API token for a user; the secret is shown only in this answer."""
    token, secret = accounts.create_token(session=session, user_id=body.user_id, name=body.name,
                                          now=utcnow())
    return TokenCreated(**_token(token).model_dump(), token=secret)


@router.get("/admin/tokens", dependencies=admin_only)
def list_tokens(
    session: SessionDep, skip: Skip = 0, limit: Limit = 100,
) -> TokensPublic:
    """List tokens (never their secrets)."""
    return _page(session, ApiToken, skip, limit, _token, TokensPublic)


@router.delete("/admin/tokens/{token_id}", dependencies=admin_only)
def revoke_token(token_id: PathId, db: DbDep, cache: TokenCacheDep) -> TokenPublic:
    """Revoke a token; it stops working at once in this process (see the token cache)."""
    cache.clear()
    with db.write() as session:
        token = accounts.revoke_token(session=session, token_id=token_id, now=utcnow())
        public = _token(token) if token is not None else None
    cache.clear()  # after the commit: no lookup from before it can be cached any more
    return found_or_404(public, "token")
