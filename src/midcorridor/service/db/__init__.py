"""Database layer: SQLAlchemy 2 ORM models and the engine/session factory."""

from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Base

__all__ = ["Base", "Database"]
