"""Build the async engine and session factory for a database URL (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "create_engine", "parse_url", "session_factory"]

SQLITE_BUSY_TIMEOUT_MS = 5000

# The async driver each supported backend runs on; a URL naming no driver gets this one.
_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_BACKEND_ALIASES = {"postgres": "postgresql"}


def parse_url(url: str) -> URL:
    """Return the URL with its async driver, or raise ValueError saying what is supported."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ValueError(f"{_redacted(url)!r} is not a database URL: {error}.") from None
    backend = _BACKEND_ALIASES.get(parsed.get_backend_name(), parsed.get_backend_name())
    driver = _ASYNC_DRIVERS.get(backend)
    named_driver = parsed.drivername.partition("+")[2]
    if driver is None or named_driver not in ("", driver):
        raise ValueError(
            f"Unsupported database URL {parsed.render_as_string(hide_password=True)!r}: use "
            "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/dbname."
        )
    return parsed.set(drivername=f"{backend}+{driver}")


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """Create an async engine for a SQLite or PostgreSQL URL; extra options go to SQLAlchemy."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        _require_directory(parsed)
        engine = _create_async_engine(parsed, **options)
        event.listen(engine.sync_engine, "connect", _prepare_sqlite_connection)
        return engine
    # A pooled connection the server has dropped (a restart, a failover, an idle timeout) would
    # fail the next step or delivery that takes it; a ping on checkout (one round trip) swaps it
    # for a fresh one. tests/integration/test_dropped_connection.py kills them to prove it.
    options.setdefault("pool_pre_ping", True)
    return _create_async_engine(parsed, **options)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return a session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _prepare_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the delivery worker read while a use case writes; busy_timeout makes a second
    # writer wait instead of failing at once; SQLite leaves foreign keys (and so every ON DELETE
    # CASCADE) off unless each connection turns them on.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _require_directory(url: URL) -> None:
    # Checked here for a clear message, and because aiosqlite, failing to open a file, leaves its
    # worker thread to call back into an event loop that asyncio.run may already have closed.
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    directory = Path(database).expanduser().parent
    if not directory.is_dir():
        raise ValueError(f"The directory {directory} for the SQLite database does not exist.")


def _redacted(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{host}"
