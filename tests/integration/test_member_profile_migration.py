"""Migration 0013 on SQLite and PostgreSQL: people stored before it keep everything and get
no about line, no time zone and the default working hours; downgrading drops the new columns."""

from __future__ import annotations

from datetime import time

from sqlalchemy import Connection, inspect

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import current_revision, downgrade, head_revision
from pairing_core.member import Member
from pairing_core.programme import GENERAL
from tests.integration.objects import a_community, a_member, a_programme

COMMUNITY = "slack:T1"
PROFILE_COLUMNS = {"about", "timezone", "work_start", "work_end"}


def member_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("members")}


async def stored(url: str) -> Member | None:
    engine = create_engine(url)
    try:
        async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
            return await uow.members.get(COMMUNITY, "ana", programme_id=GENERAL)
    finally:
        await engine.dispose()


class TestMemberProfileMigration:
    async def test_people_stored_before_get_default_hours_and_no_zone_or_about(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database)
        member = a_member("ana")
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                await uow.communities.add(a_community(COMMUNITY))
                await uow.programmes.add(a_programme(community_id=COMMUNITY))
                await uow.members.add(member)
                await uow.commit()
        finally:
            await engine.dispose()

        await downgrade(empty_database, "0012")
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                assert not PROFILE_COLUMNS & await connection.run_sync(member_columns)
        finally:
            await engine.dispose()

        await upgrade(empty_database)
        assert await current_revision(empty_database) == head_revision()
        after = await stored(empty_database)
        assert after is not None
        assert (after.about, after.timezone, after.work_start, after.work_end) == (
            None,
            None,
            time(9, 0),
            time(17, 0),
        )
        assert (after.display_name, after.organisation, after.contact, after.status) == (
            member.display_name,
            member.organisation,
            member.contact,
            member.status,
        )
