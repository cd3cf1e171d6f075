"""Build the async engine and session factory for a database URL (SQLite or PostgreSQL)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "create_engine", "parse_url", "session_factory"]

SQLITE_BUSY_TIMEOUT_MS = 5000
# Only the bot's own user may read the database: it holds personal data and platform tokens.
# SQLite creates the -wal and -shm files with the database file's mode.
SQLITE_FILE_MODE = 0o600

log = logging.getLogger(__name__)
_warned_loose: set[Path] = set()  # each loose file is warned about once per process

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
    # SQL parameters (personal data, tokens) stay out of log lines and error messages
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        _require_directory(parsed)
        _create_private_file(parsed)
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
    path = _file_path(url)
    if path is None:
        return
    directory = path.parent
    if not directory.is_dir():
        raise ValueError(f"The directory {directory} for the SQLite database does not exist.")


def _file_path(url: URL) -> Path | None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _create_private_file(url: URL) -> None:
    """Create a new database file readable by its owner only; warn about an existing loose one."""
    path = _file_path(url)
    if path is None:
        return
    try:
        # O_EXCL: only a file this call creates gets the mode; an empty file is an empty database
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SQLITE_FILE_MODE))
        return
    except FileExistsError:
        pass
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 and path.resolve() not in _warned_loose:
        _warned_loose.add(path.resolve())
        log.warning(
            "the SQLite database %s can be read by other users of this machine (mode %s): "
            "it holds personal data and tokens; `chmod 600` it",
            path,
            oct(mode)[2:],
        )


def _redacted(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{host}"
