"""Storage on SQLite or PostgreSQL through SQLAlchemy, with Alembic migrations."""

from adapters.persistence.engine import create_engine, session_factory
from adapters.persistence.migrate import head_revision, upgrade, upgrade_sync
from adapters.persistence.rows import metadata
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork

__all__ = [
    "SqlAlchemyUnitOfWork",
    "create_engine",
    "head_revision",
    "metadata",
    "session_factory",
    "upgrade",
    "upgrade_sync",
]
