"""Migration 0007: groups that stored two takeaways keep one (the one posted, else the earliest)
before the unique key is added, on SQLite and PostgreSQL; the key then refuses a second one."""

from __future__ import annotations

from datetime import time
from typing import cast

from sqlalchemy import Insert, Table, insert, text

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import downgrade
from adapters.persistence.rows import OutboxRow
from pairing_core.message import Message
from pairing_core.programme import GENERAL
from pairing_core.reflection import Reflection
from tests.integration import schema_0011 as at_0011
from tests.integration.objects import T0, a_reflection


def takeaway(group: int, text: str, author: str = "ana") -> Reflection:
    return a_reflection(author, (author, "bo"), group_index=group, text=text)


def posted(group: int, text: str) -> Insert:
    """The outbox row of a posted takeaway, in the columns the outbox had at revision 0006."""
    return insert(cast(Table, OutboxRow.__table__)).values(
        community_id="slack:T1",
        key=f"round:1:group:{group}:takeaway",
        target_kind="channel",
        target_ids=["C-reflections"],
        message=Message(f"*Takeaway from round 1* — <@ana> and <@bo>:\n> {text}").to_dict(),
        status="sent",
        attempts=0,
        created_at=T0,
        extra={},
    )


async def stored_texts(url: str, *, at_head: bool = True) -> list[tuple[int, str]]:
    engine = create_engine(url)
    try:
        if at_head:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                reflections = await uow.reflections.list("slack:T1", GENERAL)
                return [(r.group_index, r.text) for r in reflections]
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT group_index, text FROM reflections ORDER BY id")
            )
            return [(index, body) for index, body in rows]
    finally:
        await engine.dispose()


class TestOneTakeawayPerGroup:
    async def test_duplicates_keep_the_posted_one_or_else_the_earliest(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database, "0006")
        engine = create_engine(empty_database)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    insert(at_0011.communities).values(
                        id="slack:T1",
                        platform="slack",
                        name="Acme",
                        created_at=T0,
                        cadence="weekly",
                        weekday=2,
                        local_time=time(9, 30),
                        timezone="Europe/London",
                        reflections_channel="C-reflections",
                        group_size=2,
                        prefer_cross_org=True,
                    )
                )
                await connection.execute(
                    insert(at_0011.rounds).values(
                        community_id="slack:T1",
                        number=1,
                        state="reflecting",
                        intro_at=T0,
                        checkin_at=T0,
                        reflection_at=T0,
                        close_at=T0,
                    )
                )
                for reflection in (
                    takeaway(0, "Written first"),
                    takeaway(0, "The one posted", "bo"),
                    takeaway(0, "Written last"),
                    takeaway(1, "Earliest, never posted"),
                    takeaway(1, "Later"),
                    takeaway(2, "Alone"),
                ):
                    await connection.execute(
                        insert(at_0011.reflections).values(
                            community_id="slack:T1",
                            round_number=1,
                            group_index=reflection.group_index,
                            author=reflection.author,
                            authors=list(reflection.authors),
                            text=reflection.text,
                            public=True,
                            created_at=reflection.created_at,
                        )
                    )
                await connection.execute(posted(0, "The one posted"))
        finally:
            await engine.dispose()

        await upgrade(empty_database)
        kept = [(0, "The one posted"), (1, "Earliest, never posted"), (2, "Alone")]
        assert await stored_texts(empty_database) == kept

        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                assert await uow.reflections.add(takeaway(2, "A second one")) is False
                assert await uow.reflections.add(takeaway(3, "New group")) is True
                await uow.commit()
        finally:
            await engine.dispose()

        await downgrade(empty_database, "0006")
        assert await stored_texts(empty_database, at_head=False) == [*kept, (3, "New group")]
