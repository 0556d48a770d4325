"""Alembic environment: runs on the engine handed over by :func:`upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from midcorridor.service.db.models import Base
from midcorridor.service.migrations import ours

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # The job queue library keeps its own tables in the same database; they are not ours.
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
