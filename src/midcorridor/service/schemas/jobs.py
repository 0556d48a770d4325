"""Jobs (long computations followed at a URL) and the service's health."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


class HealthPublic(BaseModel):
    """Whether the service, its database and the planner can answer."""

    status: str
    database: str
    planner: bool


class JobAccepted(BaseModel):
    """A job was queued: follow it at ``url``."""

    job_id: int
    kind: str
    status: Literal["queued"] = "queued"
    url: str


class JobPublic(BaseModel):
    """A job's state: ``progress`` is 0..1; ``result`` when succeeded, ``error`` when failed."""

    id: int
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: float
    progress_message: str
    organization_id: int
    requested_by: int | None
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


