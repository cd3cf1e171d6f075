from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.privacy import pseudonymise_round
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, Group, RoundState
from tests.integration.objects import a_community, a_programme, a_round, answered, sat_out

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def store(new_uow: NewUow, *rounds: object) -> None:
    async with new_uow() as uow:
        for round_ in rounds:
            await uow.rounds.add(round_)  # type: ignore[arg-type]
        await uow.commit()


class TestRoundRepository:
    async def test_gives_back_the_round_with_groups_answers_and_sat_out(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [("cy", "ana", "bo"), ("di", "ed")])
        round_.groups[1] = answered(round_.groups[1], CheckInAnswer.BOOKED, "ed")
        round_.sat_out = sat_out("fi", "al")
        await store(new_uow, round_)
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_

    async def test_gives_back_a_scheduled_round_with_no_groups_or_seed(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [])
        round_.state, round_.seed = RoundState.SCHEDULED, None
        await store(new_uow, round_)
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_

    async def test_gives_none_for_an_unknown_round(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            assert await uow.rounds.get(community.id, GENERAL, 7) is None
            assert await uow.rounds.latest(community.id, GENERAL) is None

    async def test_finds_the_latest_round_of_the_community(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = a_community("discord:G2")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.programmes.add(a_programme(community_id=other.id))
            await uow.commit()
        await store(new_uow, a_round(1), a_round(3), a_round(2), a_round(9, community_id=other.id))
        async with new_uow() as uow:
            assert await uow.rounds.latest(community.id, GENERAL) == a_round(3)

    async def test_lists_the_community_rounds_in_order(
        self, community: Community, new_uow: NewUow
    ) -> None:
        rounds = [a_round(2, [("ana", "cy")]), a_round(1, [("ana", "bo"), ("cy", "di")])]
        rounds[1].sat_out = sat_out("ed")
        await store(new_uow, *rounds)
        async with new_uow() as uow:
            assert await uow.rounds.list(community.id, GENERAL) == [rounds[1], rounds[0]]

    async def test_saves_state_times_and_check_in_answers(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [("ana", "bo"), ("cy", "di")])
        await store(new_uow, round_)
        round_.state = RoundState.CHECKED_IN
        round_.close_at += timedelta(days=1)
        round_.groups[0] = answered(round_.groups[0], CheckInAnswer.MET, "bo")
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_

    async def test_saves_new_groups_and_sat_out_members(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [])
        round_.state = RoundState.SCHEDULED
        await store(new_uow, round_)
        round_.state = RoundState.MATCHED
        round_.groups = [Group(0, ("bo", "ana")), Group(1, ("di", "cy", "ed"))]
        round_.sat_out = sat_out("fi")
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        round_.groups = [Group(0, ("ana", "cy")), Group(1, ("bo", "di", "fi"))]
        round_.sat_out = sat_out("ed")
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_
            assert await uow.rounds.pair_history(community.id, GENERAL) == {
                frozenset(("ana", "cy")): 1,
                frozenset(("bo", "di")): 1,
                frozenset(("bo", "fi")): 1,
                frozenset(("di", "fi")): 1,
            }

    async def test_keeps_each_groups_cross_organisation_flag_through_answers_and_a_rewrite(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [("ana", "bo"), ("cy", "di"), ("ed", "fi")])
        for group, mixed in zip(round_.groups, (True, False, None), strict=True):
            group.cross_organisation = mixed  # None: a group stored before it was recorded
        await store(new_uow, round_)
        round_.groups[0] = answered(round_.groups[0], CheckInAnswer.MET, "bo")
        round_.groups[1].cross_organisation = True
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_
        pseudonymise_round(round_, "ana", "erased-1")  # a membership change rewrites the groups
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.rounds.get(community.id, GENERAL, 1)
        assert stored is not None and stored.groups[0].members == ("erased-1", "bo")
        assert [g.cross_organisation for g in stored.groups] == [True, True, None]

    async def test_keeps_who_left_a_group_mid_round_through_saves_and_an_erasure(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1, [("ana", "bo", "cy"), ("di", "ed")])
        await store(new_uow, round_)
        round_.groups[0].departed = frozenset({"cy"})
        async with new_uow() as uow:
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.rounds.get(community.id, GENERAL, 1)
            assert stored == round_
            assert stored is not None and not stored.groups[0].keeps("cy")
            assert pseudonymise_round(stored, "cy", "erased-1")
            await uow.rounds.save(stored)
            await uow.commit()
        async with new_uow() as uow:
            erased = await uow.rounds.get(community.id, GENERAL, 1)
        assert erased is not None
        assert erased.groups[0].members == ("ana", "bo", "erased-1")
        assert erased.groups[0].departed == frozenset({"erased-1"})
        assert erased.groups[1].departed == frozenset()

    async def test_can_add_and_save_a_round_in_one_transaction(
        self, community: Community, new_uow: NewUow
    ) -> None:
        round_ = a_round(1)
        async with new_uow() as uow:
            await uow.rounds.add(round_)
            round_.state = RoundState.SKIPPED
            await uow.rounds.save(round_)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, GENERAL, 1) == round_

    async def test_refuses_to_save_a_round_never_added(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            with pytest.raises(LookupError):
                await uow.rounds.save(a_round(5))


class TestPairHistory:
    async def test_is_empty_before_the_first_round(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            assert await uow.rounds.pair_history(community.id, GENERAL) == {}

    async def test_gives_the_latest_round_each_pair_shared_a_group(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = a_community("discord:G2")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.programmes.add(a_programme(community_id=other.id))
            await uow.commit()
        await store(
            new_uow,
            a_round(1, [("ana", "bo"), ("cy", "di", "ed")]),
            a_round(3, [("ana", "cy"), ("bo", "di")]),
            a_round(2, [("bo", "ana"), ("cy", "ed")]),
            a_round(4, [("ana", "bo")], community_id=other.id),
        )
        async with new_uow() as uow:
            history = await uow.rounds.pair_history(community.id, GENERAL)
        assert history == {
            frozenset(("ana", "bo")): 2,
            frozenset(("cy", "di")): 1,
            frozenset(("di", "ed")): 1,
            frozenset(("cy", "ed")): 2,
            frozenset(("ana", "cy")): 3,
            frozenset(("bo", "di")): 3,
        }


class TestLatestRounds:
    async def test_gives_each_programmes_newest_two_rounds_without_groups_in_one_query(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            await uow.programmes.add(a_programme("data", community_id=community.id))
            for number in (1, 2, 3):
                await uow.rounds.add(a_round(number, [("ann", "bob")]))
            await uow.rounds.add(a_round(1, [("ann", "cat")], programme_id="data"))
            await uow.commit()
        async with uow:
            latest = await uow.rounds.latest_rounds()
        assert {key: [r.number for r in rounds] for key, rounds in latest.items()} == {
            (community.id, GENERAL): [3, 2],
            (community.id, "data"): [1],
        }
        assert all(r.groups == [] for rounds in latest.values() for r in rounds)
        assert latest[(community.id, GENERAL)][0].intro_at == a_round(3).intro_at
