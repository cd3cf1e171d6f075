from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.exc import DBAPIError

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.errors import StorageConflict
from pairing_core.ports import UnitOfWork
from pairing_core.programme import GENERAL
from tests.integration.objects import a_member, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]


class Boom(Exception):
    pass


async def member_ids(new_uow: NewUow, community_id: str) -> list[str]:
    async with new_uow() as uow:
        return [m.member_id for m in await uow.members.list(community_id, programme_id=GENERAL)]


class TestUnitOfWork:
    async def test_commit_makes_changes_visible_to_other_units_of_work(
        self, community: Community, uow: SqlAlchemyUnitOfWork, new_uow: NewUow
    ) -> None:
        async with uow:
            await uow.members.add(a_member("ana"))
            assert await member_ids(new_uow, community.id) == []
            await uow.commit()
            assert await member_ids(new_uow, community.id) == ["ana"]

    async def test_leaving_without_commit_keeps_nothing(
        self, community: Community, uow: SqlAlchemyUnitOfWork, new_uow: NewUow
    ) -> None:
        async with uow:
            await uow.members.add(a_member("ana"))
        assert await member_ids(new_uow, community.id) == []

    async def test_an_exception_loses_nothing_committed_and_keeps_nothing_uncommitted(
        self, community: Community, uow: SqlAlchemyUnitOfWork, new_uow: NewUow
    ) -> None:
        with pytest.raises(Boom):
            async with uow:
                await uow.members.add(a_member("ana"))
                await uow.commit()
                await uow.members.add(a_member("bo"))
                raise Boom
        assert await member_ids(new_uow, community.id) == ["ana"]

    async def test_rollback_discards_changes_since_the_last_commit(
        self, community: Community, uow: SqlAlchemyUnitOfWork, new_uow: NewUow
    ) -> None:
        async with uow:
            await uow.members.add(a_member("ana"))
            await uow.commit()
            await uow.members.add(a_member("bo"))
            await uow.rollback()
            await uow.members.add(a_member("cy"))
            await uow.commit()
        assert await member_ids(new_uow, community.id) == ["ana", "cy"]

    async def test_can_be_used_again_after_it_was_left(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            await uow.members.add(a_member("ana"))
            await uow.commit()
        async with uow:
            member = await uow.members.get(community.id, "ana", programme_id=GENERAL)
        assert member is not None

    async def test_sees_changes_other_units_of_work_committed_after_it_read(
        self, community: Community, uow: SqlAlchemyUnitOfWork, new_uow: NewUow
    ) -> None:
        async with uow:
            await uow.members.add(a_member("ana", display_name="Ana"))
            await uow.commit()
            assert (await uow.members.get(community.id, "ana", programme_id=GENERAL)) is not None
            async with new_uow() as other:
                await other.members.save(a_member("ana", display_name="Ana B."))
                await other.commit()
            await uow.commit()  # end the read transaction, as a long-lived worker would
            member = await uow.members.get(community.id, "ana", programme_id=GENERAL)
        assert member is not None and member.display_name == "Ana B."

    async def test_refuses_to_be_entered_twice_at_once(self, uow: SqlAlchemyUnitOfWork) -> None:
        async with uow:
            with pytest.raises(RuntimeError):
                await uow.__aenter__()

    async def test_refuses_to_commit_outside_async_with(self, uow: SqlAlchemyUnitOfWork) -> None:
        with pytest.raises(RuntimeError):
            await uow.commit()

    async def test_a_failed_rollback_does_not_hide_the_error_that_killed_the_connection(
        self, uow: SqlAlchemyUnitOfWork, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        async def rollback_on_a_dead_connection() -> None:
            raise DBAPIError("ROLLBACK", None, Exception("the underlying connection is closed"))

        with pytest.raises(Boom):
            async with uow:
                monkeypatch.setattr(uow._session, "rollback", rollback_on_a_dead_connection)
                raise Boom
        with pytest.raises(DBAPIError):  # with nothing else to report, it is reported
            async with uow:
                monkeypatch.setattr(uow._session, "rollback", rollback_on_a_dead_connection)

    async def test_a_key_stored_twice_ends_it_as_a_storage_conflict_the_core_retries(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.rounds.add(a_round(1))
            await uow.commit()
        with pytest.raises(StorageConflict):
            async with new_uow() as uow:
                await uow.rounds.add(a_round(1))
                await uow.commit()
        async with new_uow() as uow:
            assert [r.number for r in await uow.rounds.list(community.id, GENERAL)] == [1]

    def test_implements_the_core_port(self, uow: SqlAlchemyUnitOfWork) -> None:
        port: UnitOfWork = uow  # the check that matters is mypy's, on this assignment
        assert port is uow
