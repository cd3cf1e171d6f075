from __future__ import annotations

from collections.abc import Callable

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from tests.integration.objects import a_reflection, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def store(new_uow: NewUow, *reflections: object) -> None:
    async with new_uow() as uow:
        await uow.rounds.add(a_round(1, [("ana", "bo"), ("cy", "di", "ed")]))
        await uow.rounds.add(a_round(2, [("ana", "cy")]))
        for reflection in reflections:
            await uow.reflections.add(reflection)  # type: ignore[arg-type]
        await uow.commit()


class TestReflectionRepository:
    async def test_gives_back_reflections_in_the_order_they_came(
        self, community: Community, new_uow: NewUow
    ) -> None:
        first = a_reflection("cy", ("cy", "di", "ed"), group_index=1, text="Ché — ✓ naïve")
        second = a_reflection("ana", ("ana", "bo"))
        third = a_reflection("ana", ("ana", "cy"), round_number=2)
        private = a_reflection("bo", ("ana", "bo"), text="Just for us.")
        private = type(private)(**{**private.__dict__, "public": False, "rating": None})
        await store(new_uow, first, second, third, private)
        async with new_uow() as uow:
            assert await uow.reflections.list(community.id) == [first, second, third, private]
            assert await uow.reflections.list(community.id, 1) == [first, second, private]
            assert await uow.reflections.list(community.id, 3) == []

    async def test_finds_the_first_reflection_of_a_group(
        self, community: Community, new_uow: NewUow
    ) -> None:
        first, later = a_reflection("ana"), a_reflection("bo", text="Also this.")
        await store(new_uow, first, later)
        async with new_uow() as uow:
            assert await uow.reflections.for_group(community.id, 1, 0) == first
            assert await uow.reflections.for_group(community.id, 1, 1) is None
            assert await uow.reflections.for_group(community.id, 2, 0) is None

    async def test_deleting_a_member_deletes_what_they_wrote_and_their_credit(
        self, community: Community, new_uow: NewUow
    ) -> None:
        theirs = a_reflection("ana", ("ana", "bo"))
        credited = a_reflection("cy", ("ana", "cy"), round_number=2)
        unrelated = a_reflection("cy", ("cy", "di", "ed"), group_index=1)
        await store(new_uow, theirs, credited, unrelated)
        async with new_uow() as uow:
            await uow.reflections.delete_member(community.id, "ana")
            await uow.commit()
        async with new_uow() as uow:
            remaining = await uow.reflections.list(community.id)
        assert [(r.author, r.authors) for r in remaining] == [
            ("cy", ("cy",)),
            ("cy", ("cy", "di", "ed")),
        ]
