"""Health and migrations on both backends."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_reports_backend(client: TestClient, database_url: str) -> None:
    """The health endpoint answers without a token and names the database backend."""
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["database"] == ("sqlite" if database_url.startswith("sqlite") else "postgresql")
