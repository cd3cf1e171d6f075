from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.programme import GENERAL
from tests.integration.objects import a_community

NewUow = Callable[[], SqlAlchemyUnitOfWork]


class TestCommunityRepository:
    async def test_gives_back_the_community_with_every_setting(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            assert await uow.communities.get(community.id) == community

    async def test_gives_none_for_an_unknown_community(self, uow: SqlAlchemyUnitOfWork) -> None:
        async with uow:
            assert await uow.communities.get("slack:nobody") is None

    async def test_saves_changed_settings_and_admins(
        self, community: Community, new_uow: NewUow
    ) -> None:
        community.name = "Acme Ltd"
        community.settings = community.settings.replace(
            admins=frozenset({"U-boss", "U-new"}),
            admin_role="700000000000000001",
            shared_history=False,
        )
        async with new_uow() as uow:
            await uow.communities.save(community)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.communities.get(community.id) == community

    async def test_clears_the_admin_role(self, community: Community, new_uow: NewUow) -> None:
        community.settings = community.settings.replace(admin_role=None)
        async with new_uow() as uow:
            await uow.communities.save(community)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.communities.get(community.id) == community

    async def test_keeps_a_community_with_no_admins(self, new_uow: NewUow) -> None:
        community = a_community(admins=frozenset())
        async with new_uow() as uow:
            await uow.communities.add(community)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.communities.get(community.id) == community

    async def test_refuses_to_save_a_community_never_added(self, uow: SqlAlchemyUnitOfWork) -> None:
        async with uow:
            with pytest.raises(LookupError):
                await uow.communities.save(a_community("slack:ghost"))

    async def test_lists_every_community_with_its_own_admins(self, new_uow: NewUow) -> None:
        first = a_community("slack:T1", admins=frozenset({"U1"}))
        second = a_community("discord:G2", admins=frozenset({"U2", "U3"}))
        async with new_uow() as uow:
            await uow.communities.add(first)
            await uow.communities.add(second)
            await uow.commit()
        async with new_uow() as uow:
            listed = await uow.communities.list()
        assert sorted(listed, key=lambda c: c.id) == [second, first]


class TestCreatingACommunityOnce:
    async def test_adding_an_existing_id_changes_nothing(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            assert await uow.communities.add(a_community(community.id)) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.communities.get(community.id) == community

    async def test_two_processes_seeing_a_new_community_at_once_create_it_once(
        self, new_uow: NewUow
    ) -> None:
        import asyncio
        from datetime import UTC, datetime

        from pairing_core.services.community_setup import ensure_community

        now = datetime(2026, 3, 4, 12, tzinfo=UTC)
        first, second = await asyncio.gather(
            ensure_community(new_uow(), now, "T-new", "slack", "New workspace"),
            ensure_community(new_uow(), now, "T-new", "slack", "New workspace"),
        )
        assert first == second
        async with new_uow() as uow:
            rounds = await uow.rounds.list("T-new", GENERAL)
        assert [r.number for r in rounds] == [1]
