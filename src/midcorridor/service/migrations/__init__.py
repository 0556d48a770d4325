"""Alembic migrations shipped inside the package; apply them with :func:`upgrade`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts (and ``engine`` if given)."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def ours(name: str | None, type_: str, parents: Mapping[Any, str | None]) -> bool:
    """Whether a database object belongs to our models (not to the job queue library, whose
    tables live in the same database); Alembic's ``include_name`` filter."""
    from midcorridor.service.db.models import Base

    table = name if type_ == "table" else parents.get("table_name")
    return table is None or table in Base.metadata.tables


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (the newest by default), and
    create the job queue's tables."""
    from midcorridor.service.queue import create_queue_tables
    from midcorridor.service.settings import Settings

    command.upgrade(alembic_config(engine), revision)
    url = engine.url.render_as_string(hide_password=False)
    if engine.url.database not in (None, "", ":memory:"):
        create_queue_tables(Settings(database_url=url))
