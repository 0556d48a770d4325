"""Organizations, users and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from midcorridor.service.schemas.fields import Flag, Id, NodeId, OrgKind


class OrganizationCreate(BaseModel):
    """A new organization."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: OrgKind
    places: list[NodeId] = Field(default_factory=list, max_length=500)


class OrganizationPublic(BaseModel):
    """An organization."""

    id: int
    name: str
    kind: OrgKind
    places: list[str]


class OrganizationsPublic(BaseModel):
    """A page of organizations."""

    data: list[OrganizationPublic]
    count: int


class UserCreate(BaseModel):
    """A new user of an organization."""

    org_id: Id
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]{1,189}$")]
    name: Annotated[str, StringConstraints(max_length=200)] = ""
    is_admin: Flag = False


class UserPublic(BaseModel):
    """A user."""

    id: int
    org_id: Id
    email: str
    name: str
    is_admin: bool
    role: str


class UsersPublic(BaseModel):
    """A page of users."""

    data: list[UserPublic]
    count: int


class TokenCreate(BaseModel):
    """A new API token for a user."""

    user_id: Id
    name: Annotated[str, StringConstraints(max_length=200)] = ""


class TokenPublic(BaseModel):
    """An API token, without its secret."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    """A token just created, with its secret."""

    token: str = Field(description="The secret; shown once, stored only as a hash.")


class TokensPublic(BaseModel):
    """A page of API tokens."""

    data: list[TokenPublic]
    count: int


