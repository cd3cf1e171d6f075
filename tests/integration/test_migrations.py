from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from adapters.persistence import create_engine, head_revision, metadata, upgrade
from adapters.persistence.migrate import current_revision, downgrade


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


class TestMigrations:
    async def test_the_migrations_produce_exactly_the_orm_schema(self, empty_database: str) -> None:
        await upgrade(empty_database)
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                assert await connection.run_sync(differences) == []
        finally:
            await engine.dispose()

    async def test_upgrading_again_changes_nothing(self, empty_database: str) -> None:
        await upgrade(empty_database)
        await upgrade(empty_database)
        assert await current_revision(empty_database) == head_revision()

    async def test_an_empty_database_has_no_revision(self, empty_database: str) -> None:
        assert await current_revision(empty_database) is None

    async def test_downgrading_to_base_removes_every_table(self, empty_database: str) -> None:
        await upgrade(empty_database)
        await downgrade(empty_database, "base")
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                assert await connection.run_sync(table_names) <= {"alembic_version"}
        finally:
            await engine.dispose()
