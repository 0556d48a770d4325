"""Alembic migrations shipped inside the package; apply them with :func:`upgrade`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

if TYPE_CHECKING:
    from midcorridor.service.settings import Settings

HERE = Path(__file__).parent


def alembic_config(engine: Engine | None = None, settings: Settings | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts, with ``engine`` and the
    service's ``settings`` (read by :func:`service_settings`) if given.
    """
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if engine is not None:
        config.attributes["engine"] = engine
    if settings is not None:
        config.attributes["settings"] = settings
    return config


def service_settings(config: Config) -> Settings:
    """The settings of the service whose database is being migrated, as :func:`upgrade` hands
    them over. Alembic run on its own (its command line and an ini file) hands over none: the
    service's settings are then read from the environment, as the service itself would read
    them when it starts.
    """
    from midcorridor.service.settings import Settings

    given = config.attributes.get("settings")
    return given if isinstance(given, Settings) else Settings.from_env()


def ours(name: str | None, type_: str, parents: Mapping[Any, str | None]) -> bool:
    """Whether a database object belongs to our models (not to the job queue library, whose
    tables live in the same database); Alembic's ``include_name`` filter."""
    from midcorridor.service.db.models import Base

    table = name if type_ == "table" else parents.get("table_name")
    return table is None or table in Base.metadata.tables


def upgrade(engine: Engine, revision: str = "head", *, settings: Settings | None = None) -> None:
    """Bring the database behind ``engine`` to ``revision`` (the newest by default), and
    create the job queue's tables. Migrations that read the network (the Caspian ports) read
    the data folder of ``settings`` (see :func:`service_settings` when it is not given).
    """
    from midcorridor.service.queue import create_queue_tables
    from midcorridor.service.settings import Settings

    command.upgrade(alembic_config(engine, settings), revision)
    url = engine.url.render_as_string(hide_password=False)
    if engine.url.database not in (None, "", ":memory:"):
        create_queue_tables(Settings(database_url=url))
