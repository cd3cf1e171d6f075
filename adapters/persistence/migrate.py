"""Apply the Alembic migrations shipped in the ``migrations`` package to a database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, pool

import migrations
from adapters.persistence.engine import create_engine, parse_url

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "upgrade",
    "upgrade_sync",
]


def alembic_config(url: str) -> Config:
    """Build the Alembic configuration for a database URL without any ini file."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__path__[0])))
    config.set_main_option("path_separator", "os")
    # The ini parser treats % as interpolation, and passwords may be percent-encoded.
    rendered = parse_url(url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` that the database at ``url`` lacks."""
    await _run(command.upgrade, url, revision)


async def downgrade(url: str, revision: str) -> None:
    """Undo the migrations after ``revision`` ("base" undoes them all)."""
    await _run(command.downgrade, url, revision)


def upgrade_sync(url: str, revision: str = "head") -> None:
    """Apply the migrations from code that is not already running an event loop."""
    asyncio.run(upgrade(url, revision))


async def current_revision(url: str) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


def head_revision() -> str:
    """Return the newest revision the shipped migrations lead to."""
    config = alembic_config("sqlite+aiosqlite://")
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("the migrations package holds no revisions")
    return head


async def _run(step: Callable[[Config, str], None], url: str, revision: str) -> None:
    config = alembic_config(url)
    # NullPool: the migration connection (SQLite foreign keys off) is closed, never reused.
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_on_connection, step, config, revision)
            await connection.commit()
    finally:
        await engine.dispose()


def _on_connection(
    connection: Connection, step: Callable[[Config, str], None], config: Config, revision: str
) -> None:
    # env.py migrates this connection instead of opening its own.
    config.attributes["connection"] = connection
    step(config, revision)


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
