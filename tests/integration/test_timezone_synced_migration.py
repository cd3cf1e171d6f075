"""Migration 0017 on SQLite and PostgreSQL: people stored before it keep their zone, with no
record of it being taken from the platform; downgrading drops the column."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, inspect

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import current_revision, downgrade, head_revision
from pairing_core.member import Member
from pairing_core.programme import GENERAL
from tests.integration.objects import a_community, a_member, a_programme

COMMUNITY = "slack:T1"


def member_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("members")}


async def stored(url: str) -> Member | None:
    engine = create_engine(url)
    try:
        async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
            return await uow.members.get(COMMUNITY, "ana", programme_id=GENERAL)
    finally:
        await engine.dispose()


class TestTimezoneSyncedMigration:
    async def test_people_stored_before_keep_their_zone_and_no_sync_time(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database)
        member = a_member("ana")
        member.timezone = "Europe/Dublin"
        member.timezone_synced_at = datetime(2026, 11, 30, 9, tzinfo=UTC)
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                await uow.communities.add(a_community(COMMUNITY))
                await uow.programmes.add(a_programme(community_id=COMMUNITY))
                await uow.members.add(member)
                await uow.commit()
        finally:
            await engine.dispose()
        before = await stored(empty_database)
        assert before is not None
        assert before.timezone_synced_at == datetime(2026, 11, 30, 9, tzinfo=UTC)

        await downgrade(empty_database, "0016")
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                assert "timezone_synced_at" not in await connection.run_sync(member_columns)
        finally:
            await engine.dispose()

        await upgrade(empty_database)
        assert await current_revision(empty_database) == head_revision()
        after = await stored(empty_database)
        assert after is not None
        assert (after.timezone, after.timezone_synced_at) == ("Europe/Dublin", None)
        assert (after.display_name, after.status) == (member.display_name, member.status)
