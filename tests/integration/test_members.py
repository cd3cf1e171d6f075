from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.member import Block, BlockKind, MemberStatus
from tests.integration.objects import T0, a_community, a_member

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
            assert await uow.members.get(community.id, "ana") == member

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
        )
        async with new_uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.members.get(community.id, "bo") == member

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
            assert await uow.members.get(community.id, "ana") == member

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
            assert await uow.members.get(community.id, "ana") is None
            assert [m.member_id for m in await uow.members.list(community.id)] == ["bo"]

    async def test_lists_members_of_one_community_filtered_by_status(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = a_community("discord:G2")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.members.add(a_member("cy", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("ana", status=MemberStatus.ACTIVE))
            await uow.members.add(a_member("bo", status=MemberStatus.PAUSED))
            await uow.members.add(a_member("di", status=MemberStatus.OPTED_OUT))
            await uow.members.add(a_member("ed", other.id, status=MemberStatus.ACTIVE))
            await uow.commit()
        async with new_uow() as uow:
            everyone = await uow.members.list(community.id)
            available = await uow.members.list(
                community.id, [MemberStatus.ACTIVE, MemberStatus.PAUSED]
            )
            nobody = await uow.members.list(community.id, [])
        assert [m.member_id for m in everyone] == ["ana", "bo", "cy", "di"]
        assert [m.member_id for m in available] == ["ana", "bo", "cy"]
        assert nobody == []


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
