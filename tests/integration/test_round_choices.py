"""Round choices and heads-up settings in storage, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.programme import GENERAL, RoundMode
from pairing_core.round import RoundChoice, RoundState
from tests.integration.objects import T0, a_programme, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def scheduled_rounds(new_uow: NewUow, community: Community, *numbers: int) -> None:
    async with new_uow() as uow:
        for n in numbers:
            round_ = a_round(n, [], community_id=community.id)
            round_.state, round_.seed = RoundState.SCHEDULED, None
            await uow.rounds.add(round_)
        await uow.commit()


class TestRoundChoices:
    async def test_a_choice_is_stored_and_replaced_per_member_and_round(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await scheduled_rounds(new_uow, community, 1, 2)
        async with new_uow() as uow:
            await uow.rounds.choose(community.id, GENERAL, 1, "ana", RoundChoice.SKIP)
            await uow.rounds.choose(community.id, GENERAL, 1, "bo", RoundChoice.SKIP)
            await uow.rounds.choose(community.id, GENERAL, 2, "ana", RoundChoice.SKIP)
            await uow.commit()
        async with new_uow() as uow:
            await uow.rounds.choose(community.id, GENERAL, 1, "bo", RoundChoice.IN)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.choices(community.id, GENERAL, 1) == {
                "ana": RoundChoice.SKIP,
                "bo": RoundChoice.IN,
            }
            assert await uow.rounds.skipped_counts(community.id, GENERAL) == {1: 1, 2: 1}
            assert await uow.rounds.member_choices(community.id, "ana") == [
                (GENERAL, 1, RoundChoice.SKIP),
                (GENERAL, 2, RoundChoice.SKIP),
            ]

    async def test_forgetting_a_member_deletes_only_their_choices(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await scheduled_rounds(new_uow, community, 1)
        async with new_uow() as uow:
            await uow.rounds.choose(community.id, GENERAL, 1, "ana", RoundChoice.SKIP)
            await uow.rounds.choose(community.id, GENERAL, 1, "bo", RoundChoice.IN)
            await uow.commit()
        async with new_uow() as uow:
            await uow.rounds.forget_choices(community.id, "ana")
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.choices(community.id, GENERAL, 1) == {"bo": RoundChoice.IN}
            assert await uow.rounds.member_choices(community.id, "ana") == []

    async def test_a_round_keeps_when_its_heads_up_went(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await scheduled_rounds(new_uow, community, 1)
        async with new_uow() as uow:
            round_ = await uow.rounds.get(community.id, GENERAL, 1)
            assert round_ is not None and round_.announced_at is None
            round_.announced_at = T0 - timedelta(days=1)
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            again = await uow.rounds.get(community.id, GENERAL, 1)
            assert again is not None and again.announced_at == T0 - timedelta(days=1)
            (latest,) = (await uow.rounds.latest_rounds())[(community.id, GENERAL)]
            assert latest.announced_at == T0 - timedelta(days=1)

    async def test_a_programme_keeps_its_heads_up_and_mode(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.programmes.add(
                a_programme(
                    "data", community_id=community.id, heads_up_days=None, mode=RoundMode.OPT_IN
                )
            )
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.programmes.get(community.id, "data")
            general = await uow.programmes.get(community.id, GENERAL)
        assert stored is not None and general is not None
        assert (stored.settings.heads_up_days, stored.settings.mode) == (None, RoundMode.OPT_IN)
        assert (general.settings.heads_up_days, general.settings.mode) == (1, RoundMode.ALWAYS)
