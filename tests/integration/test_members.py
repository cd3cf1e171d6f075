from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import time, timedelta

import pytest

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.errors import StorageConflict
from pairing_core.member import Block, BlockKind, MemberStatus
from pairing_core.programme import GENERAL
from tests.integration.objects import T0, a_community, a_member, a_programme

NewUow = Callable[[], SqlAlchemyUnitOfWork]


class TestMemberRepository:
    async def test_gives_back_the_member_with_every_field(
        self, community: Community, new_uow: NewUow
    ) -> None:
        member = a_member("ana")
        async with new_uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) == member

    async def test_keeps_empty_optional_fields_empty(
        self, community: Community, new_uow: NewUow
    ) -> None:
        member = a_member(
            "bo",
            status=MemberStatus.ACTIVE,
            organisation=None,
            contact=None,
            paused_until=None,
            left_at=None,
            about=None,
            timezone=None,
        )
        async with new_uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "bo", programme_id=GENERAL) == member

    async def test_saves_changes(self, community: Community, new_uow: NewUow) -> None:
        member = a_member("ana")
        async with new_uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        member.status, member.display_name = MemberStatus.LEFT, "Ana B."
        member.left_at = T0 + timedelta(days=30)
        async with new_uow() as uow:
            await uow.members.save(member)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) == member

    async def test_refuses_to_save_a_member_never_added(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            with pytest.raises(LookupError):
                await uow.members.save(a_member("ghost"))

    async def test_deletes_a_member(self, community: Community, new_uow: NewUow) -> None:
        async with new_uow() as uow:
            await uow.members.add(a_member("ana"))
            await uow.members.add(a_member("bo"))
            await uow.commit()
        async with new_uow() as uow:
            await uow.members.delete(community.id, "ana")
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) is None
            listed = await uow.members.list(community.id, programme_id=GENERAL)
            assert [m.member_id for m in listed] == ["bo"]

    async def test_lists_members_of_one_community_filtered_by_status(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = a_community("discord:G2")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.programmes.add(a_programme(community_id=other.id))
            await uow.members.add(a_member("cy", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("ana", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("bo", status=MemberStatus.PAUSED))
            await uow.members.add(a_member("di", status=MemberStatus.OPTED_OUT))
            await uow.members.add(a_member("ed", other.id, status=MemberStatus.ACTIVE))
            await uow.commit()
        async with new_uow() as uow:
            everyone = await uow.members.list(community.id, programme_id=GENERAL)
            available = await uow.members.list(
                community.id, [MemberStatus.ACTIVE, MemberStatus.PAUSED], programme_id=GENERAL
            )
            nobody = await uow.members.list(community.id, [], programme_id=GENERAL)
        assert [m.member_id for m in everyone] == ["ana", "bo", "cy", "di"]
        assert [m.member_id for m in available] == ["ana", "bo", "cy"]
        assert nobody == []


async def with_data_programme(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.programmes.add(a_programme("data", created_at=T0 + timedelta(days=1)))
        await uow.commit()


class TestMembershipOfSeveralProgrammes:
    async def test_a_person_is_stored_once_and_a_member_of_each_programme_they_join(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        general = a_member("ana", status=MemberStatus.ACTIVE, paused_until=None, left_at=None)
        data = a_member("ana", programme_id="data", joined_at=T0 + timedelta(days=2))
        async with new_uow() as uow:
            assert await uow.members.add(general) is True
            assert await uow.members.add(data) is True
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) == general
            assert await uow.members.get(community.id, "ana", programme_id="data") == data
            assert await uow.members.memberships(community.id, "ana") == [data, general]
            assert await uow.members.memberships(community.id, "nobody") == []

    async def test_joining_another_programme_leaves_the_stored_person_as_it_was(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        async with new_uow() as uow:
            await uow.members.add(a_member("ana", display_name="Ana", organisation="Finance"))
            await uow.members.add(
                a_member("ana", programme_id="data", display_name="Stale", organisation=None)
            )
            await uow.commit()
        async with new_uow() as uow:
            in_data = await uow.members.get(community.id, "ana", programme_id="data")
        assert in_data is not None
        assert (in_data.display_name, in_data.organisation) == ("Ana", "Finance")

    async def test_adding_a_membership_again_changes_nothing(
        self, community: Community, new_uow: NewUow
    ) -> None:
        member = a_member("ana")
        async with new_uow() as uow:
            assert await uow.members.add(member) is True
            await uow.commit()
        async with new_uow() as uow:
            again = a_member("ana", status=MemberStatus.ACTIVE, display_name="Other")
            assert await uow.members.add(again) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) == member

    async def test_two_requests_adding_one_membership_at_once_store_it_once(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async def add() -> bool:
            async with new_uow() as uow:
                added = await uow.members.add(a_member("ana"))
                await uow.commit()
                return added

        results = await asyncio.gather(add(), add())
        assert sorted(results) == [False, True]

    async def test_saving_one_membership_changes_the_person_in_every_programme_and_no_status(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        async with new_uow() as uow:
            await uow.members.add(a_member("ana", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("ana", programme_id="data"))
            await uow.commit()
        changed = a_member(
            "ana", programme_id="data", status=MemberStatus.LEFT, display_name="Ana B."
        )
        changed.organisation, changed.contact = "Health", None
        changed.about, changed.timezone = "New about line", "Asia/Kolkata"
        changed.work_start, changed.work_end = time(10, 0), time(18, 15)
        async with new_uow() as uow:
            await uow.members.save(changed)
            await uow.commit()
        async with new_uow() as uow:
            general = await uow.members.get(community.id, "ana", programme_id=GENERAL)
            data = await uow.members.get(community.id, "ana", programme_id="data")
        assert data == changed
        assert general is not None and general.status is MemberStatus.ACTIVE
        assert (general.display_name, general.organisation, general.contact) == (
            "Ana B.",
            "Health",
            None,
        )
        assert (general.about, general.timezone, general.work_start, general.work_end) == (
            "New about line",
            "Asia/Kolkata",
            time(10, 0),
            time(18, 15),
        )

    async def test_refuses_to_save_a_membership_never_added(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        async with new_uow() as uow:
            await uow.members.add(a_member("ana"))
            await uow.commit()
        async with new_uow() as uow:
            with pytest.raises(LookupError):
                await uow.members.save(a_member("ana", programme_id="data"))

    async def test_deleting_a_person_deletes_every_membership(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        async with new_uow() as uow:
            for programme_id in (GENERAL, "data"):
                await uow.members.add(a_member("ana", programme_id=programme_id))
                await uow.members.add(a_member("bo", programme_id=programme_id))
            await uow.commit()
        async with new_uow() as uow:
            await uow.members.delete(community.id, "ana")
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.memberships(community.id, "ana") == []
            everyone = await uow.members.list(community.id, programme_id=None)
        assert [(m.member_id, m.programme_id) for m in everyone] == [
            ("bo", "data"),
            ("bo", GENERAL),
        ]

    async def test_lists_one_programme_or_all_with_statuses(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await with_data_programme(new_uow)
        async with new_uow() as uow:
            await uow.members.add(a_member("ana", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("ana", programme_id="data", status=MemberStatus.LEFT))
            await uow.members.add(a_member("bo", programme_id="data", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("cy", status=MemberStatus.PAUSED))
            await uow.commit()
        active = [MemberStatus.ACTIVE]
        async with new_uow() as uow:
            in_data = await uow.members.list(community.id, programme_id="data")
            active_anywhere = await uow.members.list(community.id, active, programme_id=None)
            everywhere = await uow.members.list(community.id, programme_id=None)
        assert [(m.member_id, m.status) for m in in_data] == [
            ("ana", MemberStatus.LEFT),
            ("bo", MemberStatus.ACTIVE),
        ]
        assert [(m.member_id, m.programme_id) for m in active_anywhere] == [
            ("ana", GENERAL),
            ("bo", "data"),
        ]
        assert len(everywhere) == 4

    async def test_a_membership_of_an_unknown_programme_is_refused(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        with pytest.raises(StorageConflict):
            async with uow:
                await uow.members.add(a_member("ana", programme_id="ghost"))
                await uow.commit()


def block(first: str, second: str, author: str, kind: BlockKind = BlockKind.MEMBER) -> Block:
    return Block("slack:T1", first, second, kind, author)


class TestBlockRepository:
    async def test_adds_a_block_once(self, community: Community, new_uow: NewUow) -> None:
        async with new_uow() as uow:
            assert await uow.blocks.add(block("ana", "bo", "ana")) is True
            assert await uow.blocks.add(block("bo", "ana", "ana")) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.blocks.add(block("ana", "bo", "ana")) is False
            assert await uow.blocks.list(community.id) == [block("ana", "bo", "ana")]

    async def test_keeps_the_same_pair_blocked_by_another_author_or_kind(
        self, community: Community, new_uow: NewUow
    ) -> None:
        blocks = [
            block("ana", "bo", "ana"),
            block("ana", "bo", "bo"),
            block("ana", "bo", "U-admin", BlockKind.ADMIN),
        ]
        async with new_uow() as uow:
            assert [await uow.blocks.add(b) for b in blocks] == [True, True, True]
            await uow.commit()
        async with new_uow() as uow:
            assert sorted(await uow.blocks.list(community.id), key=str) == sorted(blocks, key=str)

    async def test_removes_a_block_and_says_whether_it_existed(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.blocks.add(block("ana", "bo", "ana"))
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.blocks.remove(block("bo", "ana", "ana")) is True
            assert await uow.blocks.remove(block("bo", "ana", "ana")) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.blocks.list(community.id) == []

    async def test_deleting_a_member_deletes_every_block_they_are_in_or_wrote(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = a_community("discord:G2")
        elsewhere = Block(other.id, "ana", "bo", BlockKind.MEMBER, "ana")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.programmes.add(a_programme(community_id=other.id))
            for b in (
                block("ana", "bo", "bo"),
                block("cy", "ana", "cy"),
                block("cy", "di", "ana", BlockKind.ADMIN),
                block("bo", "cy", "bo"),
                elsewhere,
            ):
                await uow.blocks.add(b)
            await uow.commit()
        async with new_uow() as uow:
            await uow.blocks.delete_member(community.id, "ana")
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.blocks.list(community.id) == [block("bo", "cy", "bo")]
            assert await uow.blocks.list(other.id) == [elsewhere]
