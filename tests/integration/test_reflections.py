from __future__ import annotations

from collections.abc import Callable

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.programme import GENERAL
from tests.integration.objects import a_reflection, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def store(new_uow: NewUow, *reflections: object) -> None:
    async with new_uow() as uow:
        await uow.rounds.add(a_round(1, [("ana", "bo"), ("cy", "di", "ed"), ("fay", "gus")]))
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
        private = a_reflection("gus", ("fay", "gus"), group_index=2, text="Just for us.")
        private = type(private)(**{**private.__dict__, "public": False, "rating": None})
        await store(new_uow, first, second, third, private)
        async with new_uow() as uow:
            assert await uow.reflections.list(community.id, GENERAL) == [
                first,
                second,
                third,
                private,
            ]
            assert await uow.reflections.list(community.id, GENERAL, 1) == [first, second, private]
            assert await uow.reflections.list(community.id, GENERAL, 3) == []

    async def test_a_group_keeps_its_first_takeaway_and_a_second_is_refused(
        self, community: Community, new_uow: NewUow
    ) -> None:
        first, later = a_reflection("ana"), a_reflection("bo", text="Also this.")
        await store(new_uow, first)
        async with new_uow() as uow:
            assert await uow.reflections.add(later) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.reflections.list(community.id, GENERAL) == [first]
            assert await uow.reflections.for_group(community.id, GENERAL, 1, 0) == first
            assert await uow.reflections.for_group(community.id, GENERAL, 1, 1) is None
            assert await uow.reflections.for_group(community.id, GENERAL, 2, 0) is None

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
            remaining = await uow.reflections.list(community.id, GENERAL)
        assert [(r.author, r.authors) for r in remaining] == [
            ("cy", ("cy",)),
            ("cy", ("cy", "di", "ed")),
        ]

    async def test_erasing_a_member_takes_their_mentions_id_and_names_out_of_every_text(
        self, community: Community, new_uow: NewUow
    ) -> None:
        theirs = a_reflection("ana", ("ana", "bo"), text="I, Ana Ng (<@ana>), learned a lot")
        credited = a_reflection("cy", ("ana", "cy"), round_number=2, text="ANA NG was kind")
        uncredited = a_reflection("cy", ("cy", "di", "ed"), group_index=1, text="Ask ana, or Anna")
        await store(new_uow, theirs, credited, uncredited)
        async with new_uow() as uow:
            await uow.reflections.pseudonymise_member(community.id, "ana", "erased-1", ["Ana Ng"])
            await uow.commit()
        async with new_uow() as uow:
            kept = await uow.reflections.list(community.id, GENERAL)
        assert [(r.author, r.authors, r.text) for r in kept] == [
            ("erased-1", ("erased-1", "bo"), "I, [removed] ([removed]), learned a lot"),
            ("cy", ("erased-1", "cy"), "[removed] was kind"),
            ("cy", ("cy", "di", "ed"), "Ask [removed], or Anna"),
        ]

    async def test_deleting_a_member_takes_them_out_of_the_texts_that_stay(
        self, community: Community, new_uow: NewUow
    ) -> None:
        credited = a_reflection("cy", ("ana", "cy"), round_number=2, text="Ana Ng was kind")
        await store(new_uow, a_reflection("ana", ("ana", "bo")), credited)
        async with new_uow() as uow:
            await uow.reflections.delete_member(community.id, "ana", ["Ana Ng"])
            await uow.commit()
        async with new_uow() as uow:
            (kept,) = await uow.reflections.list(community.id, GENERAL)
        assert (kept.authors, kept.text) == (("cy",), "[removed] was kind")
