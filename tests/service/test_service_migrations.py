"""Migrations: applied from the package, and in step with the ORM models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Base
from midcorridor.service.migrations import ours, upgrade
from midcorridor.service.settings import Settings


def test_migrations_match_models(database_url: str) -> None:
    """After upgrade the schema has every table and no difference from the models."""
    db = Database(Settings(database_url=database_url))
    upgrade(db.engine)  # idempotent on an up-to-date database
    with db.engine.connect() as conn:
        assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        diff = compare_metadata(context, Base.metadata)
    db.dispose()
    assert diff == []


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    """The default SQLite database uses write-ahead logging."""
    db = Database(Settings(database_url=f"sqlite:///{tmp_path}/wal.sqlite"))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()
