"""A group's booked slot on SQLite and PostgreSQL: stored, saved again, and migration 0015."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, inspect

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import current_revision, downgrade, head_revision
from pairing_core.community import Community
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, Round
from tests.integration.objects import a_community, a_programme, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]
SLOT = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 10:00 in London, the day after the clock change


def booked(round_: Round) -> Round:
    round_.groups[0] = replace(
        round_.groups[0], checkin=CheckInAnswer.BOOKED, checkin_by="bo", booked_slot_at=SLOT
    )
    return round_


class TestBookedSlotStorage:
    async def test_a_booked_slot_comes_back_as_stored_and_changes_when_saved(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = booked(a_round(1, [("ana", "bo"), ("cy", "di")]))
        async with new_uow() as uow:
            await uow.rounds.add(round_)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.rounds.get(community.id, GENERAL, 1)
            assert stored == round_
            assert stored is not None and stored.groups[1].booked_slot_at is None
            stored.groups[0].booked_slot_at = SLOT + timedelta(days=1)
            await uow.rounds.save(stored)
            await uow.commit()
        async with new_uow() as uow:
            again = await uow.rounds.get(community.id, GENERAL, 1)
            assert again is not None
            assert again.groups[0].booked_slot_at == SLOT + timedelta(days=1)
            assert again.groups[0].booked_slot_at.tzinfo is not None


def group_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("round_groups")}


class TestBookedSlotMigration:
    async def test_groups_stored_before_have_no_slot_and_downgrading_drops_the_column(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database)
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                await uow.communities.add(a_community())
                await uow.programmes.add(a_programme())
                await uow.rounds.add(booked(a_round(1)))
                await uow.commit()
        finally:
            await engine.dispose()

        await downgrade(empty_database, "0015")
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                assert "booked_slot_at" not in await connection.run_sync(group_columns)
        finally:
            await engine.dispose()

        await upgrade(empty_database)
        assert await current_revision(empty_database) == head_revision()
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                after = await uow.rounds.get("slack:T1", GENERAL, 1)
        finally:
            await engine.dispose()
        assert after is not None
        group = after.groups[0]
        assert (group.checkin, group.checkin_by, group.booked_slot_at) == (
            CheckInAnswer.BOOKED,
            "bo",
            None,
        )
