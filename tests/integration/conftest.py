"""Storage fixtures: each test runs on SQLite and on PostgreSQL, on a schema the migrations built."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import pool
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.persistence import (
    SqlAlchemyUnitOfWork,
    create_engine,
    metadata,
    session_factory,
    upgrade,
)
from pairing_core.community import Community
from tests.integration.objects import a_community, a_programme

POSTGRES_URL = os.environ.get(
    "UNMENTOR_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create a uniquely named database on the server, yield its URL, then drop it."""
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    name = f"unmentor_test_{uuid.uuid4().hex[:16]}"
    try:
        try:
            connection = await admin.connect()
        except OSError as error:
            shown = make_url(server_url).render_as_string(hide_password=True)
            if os.environ.get("UNMENTOR_REQUIRE_POSTGRES"):
                # CI has a server: failing to reach it is a failure, never a quiet skip
                pytest.fail(f"PostgreSQL not reachable at {shown}: {error}")
            pytest.skip(f"PostgreSQL not reachable at {shown}: {error}")
        try:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_postgresql() -> AsyncIterator[str]:
    """Yield one PostgreSQL database migrated once for the session (creating one takes ~0.5 s)."""
    async with fresh_postgres_database(POSTGRES_URL) as url:
        await upgrade(url)
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file migrated once for the session, for tests to copy."""
    path = tmp_path_factory.mktemp("migrated") / "unmentor.db"
    await upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on each backend."""
    return str(request.param)


@pytest.fixture
def migrated(backend: str, request: pytest.FixtureRequest) -> Path | str:
    """Return the session's migrated database on the backend: a SQLite file or a PostgreSQL URL."""
    # Looked up here, outside any running event loop, so the session-scoped fixture can start.
    return request.getfixturevalue(f"migrated_{backend}")  # type: ignore[no-any-return]


@pytest.fixture
async def empty_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """Yield the URL of a new database with no tables."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'unmentor.db'}"
        return
    async with fresh_postgres_database(POSTGRES_URL) as url:
        yield url


@pytest.fixture
async def database_url(migrated: Path | str, tmp_path: Path) -> str:
    """Return the URL of a database migrated to the newest schema and holding no rows."""
    if isinstance(migrated, Path):
        path = tmp_path / "unmentor.db"
        shutil.copyfile(migrated, path)
        return f"sqlite+aiosqlite:///{path}"
    engine = create_async_engine(migrated, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            # DELETE rather than TRUNCATE: on a few rows it takes milliseconds, not a tenth of a second.
            for table in reversed(metadata.sorted_tables):
                await connection.execute(table.delete())
    finally:
        await engine.dispose()
    return migrated


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def new_uow(engine: AsyncEngine) -> Callable[[], SqlAlchemyUnitOfWork]:
    """Return a maker of units of work on the test database, for checks from a fresh session."""
    sessions = session_factory(engine)
    return lambda: SqlAlchemyUnitOfWork(sessions)


@pytest.fixture
def uow(new_uow: Callable[[], SqlAlchemyUnitOfWork]) -> SqlAlchemyUnitOfWork:
    return new_uow()


@pytest.fixture
async def community(uow: SqlAlchemyUnitOfWork) -> Community:
    """Store the community most tests work in, with its "general" programme, committed."""
    community = a_community()
    async with uow:
        await uow.communities.add(community)
        await uow.programmes.add(a_programme(community_id=community.id))
        await uow.commit()
    return community
