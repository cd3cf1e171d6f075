"""Programmes in storage: names unique ignoring case, settings, admins, archiving, locks; and
rounds, pair history and takeaways kept apart per programme."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.errors import StorageConflict
from pairing_core.programme import GENERAL, Cadence
from tests.integration.objects import T0, a_community, a_programme, a_reflection, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def add(new_uow: NewUow, *programmes: object) -> list[bool]:
    async with new_uow() as uow:
        added = [await uow.programmes.add(p) for p in programmes]  # type: ignore[arg-type]
        await uow.commit()
    return added


class TestProgrammeRepository:
    async def test_gives_back_the_programme_with_every_setting(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("data", name="Data", created_at=T0 + timedelta(days=1))
        data.channel, data.role = "C-data", "R-data"
        await add(new_uow, data)
        async with new_uow() as uow:
            assert await uow.programmes.get(community.id, "data") == data
            assert await uow.programmes.get(community.id, "ghost") is None
            assert await uow.programmes.get("slack:other", "data") is None

    async def test_finds_a_programme_by_its_name_ignoring_case(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("p2", name="Data-People")
        await add(new_uow, data)
        async with new_uow() as uow:
            assert await uow.programmes.named(community.id, "data-people") == data
            assert await uow.programmes.named(community.id, "DATA-PEOPLE") == data
            assert await uow.programmes.named(community.id, "p2") is None
            assert await uow.programmes.named(community.id, "Data") is None

    async def test_refuses_a_taken_id_or_a_name_taken_in_another_case(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("data", name="Data", created_at=T0 + timedelta(days=1))
        assert await add(new_uow, data) == [True]
        assert await add(
            new_uow,
            a_programme("data", name="Other"),
            a_programme("p3", name="DATA"),
            a_programme("p4", name="General"),
        ) == [False, False, False]
        async with new_uow() as uow:
            assert [p.id for p in await uow.programmes.list(community.id)] == [GENERAL, "data"]
            assert await uow.programmes.get(community.id, "data") == data

    async def test_the_same_name_in_another_community_is_free(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.communities.add(a_community("discord:G2"))
            await uow.commit()
        assert await add(new_uow, a_programme(community_id="discord:G2")) == [True]

    async def test_two_requests_creating_one_name_at_once_store_one(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async def create(programme_id: str) -> bool:
            async with new_uow() as uow:
                added = await uow.programmes.add(a_programme(programme_id, name="Data"))
                await uow.commit()
                return added

        results = await asyncio.gather(create("p1"), create("p2"))
        assert sorted(results) == [False, True]
        async with new_uow() as uow:
            assert await uow.programmes.count(community.id) == 2

    async def test_saves_name_settings_binding_and_archiving(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("data")
        await add(new_uow, data)
        data.name = "Analysts"
        data.settings = data.settings.replace(
            cadence=Cadence.FOUR_WEEKLY,
            weekday=6,
            local_time=time(8, 5, 30),
            timezone="Asia/Kolkata",
            reflections_channel=None,
            group_size=4,
            prefer_cross_org=True,
            intros_channel=None,
        )
        data.channel, data.archived_at = "C-analysts", T0 + timedelta(days=40)
        async with new_uow() as uow:
            await uow.programmes.save(data)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.programmes.get(community.id, "data") == data
            assert await uow.programmes.named(community.id, "analysts") == data
            assert await uow.programmes.named(community.id, "data") is None
            stored = await uow.programmes.get(community.id, "data")
        assert stored is not None and not stored.active

    async def test_saves_its_own_admins_apart_from_other_programmes(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("data", admins=frozenset({"U-a", "U-b"}))
        await add(new_uow, data)
        data.settings = data.settings.replace(admins=frozenset({"U-b", "U-c"}))
        async with new_uow() as uow:
            await uow.programmes.save(data)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.programmes.get(community.id, "data")
            general = await uow.programmes.get(community.id, GENERAL)
        assert stored is not None and stored.settings.admins == {"U-b", "U-c"}
        assert general is not None and general.settings.admins == {"U-lead"}
        data.settings = data.settings.replace(admins=frozenset())
        async with new_uow() as uow:
            await uow.programmes.save(data)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.programmes.get(community.id, "data") == data

    async def test_refuses_to_save_a_programme_never_added(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            with pytest.raises(LookupError):
                await uow.programmes.save(a_programme("ghost"))

    async def test_renaming_onto_a_taken_name_is_refused(
        self, community: Community, new_uow: NewUow
    ) -> None:
        data = a_programme("data")
        await add(new_uow, data)
        data.name = "GENERAL"
        with pytest.raises(StorageConflict):
            async with new_uow() as uow:
                await uow.programmes.save(data)
                await uow.commit()

    async def test_lists_a_communitys_programmes_oldest_first_archived_included(
        self, community: Community, new_uow: NewUow
    ) -> None:
        older = a_programme("zeta", created_at=T0 - timedelta(days=1))
        newer = a_programme("alpha", created_at=T0 + timedelta(days=1))
        newer.archived_at = T0 + timedelta(days=2)
        await add(new_uow, newer, older)
        async with new_uow() as uow:
            listed = await uow.programmes.list(community.id)
            assert await uow.programmes.count(community.id) == 3
            assert await uow.programmes.count("slack:nobody") == 0
        assert [p.id for p in listed] == ["zeta", GENERAL, "alpha"]
        assert listed[2] == newer

    async def test_every_gives_every_communitys_programmes_with_their_own_admins(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.communities.add(a_community("discord:G2"))
            await uow.commit()
        theirs = a_programme(community_id="discord:G2", admins=frozenset({"U-them"}))
        data = a_programme("data", admins=frozenset(), created_at=T0 + timedelta(days=1))
        await add(new_uow, theirs, data)
        async with new_uow() as uow:
            every = await uow.programmes.every()
            general = await uow.programmes.get(community.id, GENERAL)
        assert every == [theirs, general, data]

    async def test_deleting_a_community_deletes_its_programmes(
        self, community: Community, new_uow: NewUow
    ) -> None:
        from sqlalchemy import delete

        from adapters.persistence.rows import CommunityRow

        await add(new_uow, a_programme("data", admins=frozenset({"U-a"})))
        async with new_uow() as uow:
            await uow.rounds.add(a_round(1, programme_id="data"))
            await uow.commit()
        async with new_uow() as uow:
            await uow._active.execute(delete(CommunityRow))
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.programmes.every() == []
            assert await uow.rounds.list(community.id, None) == []


class TestRoundsPerProgramme:
    async def test_each_programme_numbers_its_rounds_from_one(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"))
        general = [a_round(1, [("ana", "bo")]), a_round(2, [("ana", "cy")])]
        data = [a_round(1, [("ana", "cy")], programme_id="data")]
        async with new_uow() as uow:
            for round_ in (*general, *data):
                await uow.rounds.add(round_)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.list(community.id, GENERAL) == general
            assert await uow.rounds.list(community.id, "data") == data
            assert await uow.rounds.list(community.id, None) == [*data, *general]
            assert await uow.rounds.get(community.id, "data", 1) == data[0]
            assert await uow.rounds.get(community.id, "data", 2) is None
            assert await uow.rounds.latest(community.id, "data") == data[0]
            assert await uow.rounds.latest(community.id, GENERAL) == general[1]

    async def test_saving_a_round_leaves_the_same_number_in_another_programme_alone(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"))
        general, data = a_round(1, [("ana", "bo")]), a_round(1, [("cy", "di")], "slack:T1", "data")
        data.sat_out = []
        async with new_uow() as uow:
            await uow.rounds.add(general)
            await uow.rounds.add(data)
            await uow.commit()
        general.groups = [general.groups[0].__class__(0, ("ana", "ed"))]
        async with new_uow() as uow:
            await uow.rounds.save(general)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.rounds.get(community.id, "data", 1) == data
            assert await uow.rounds.get(community.id, GENERAL, 1) == general

    async def test_pair_history_counts_one_programme_and_last_met_counts_them_all(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"))
        async with new_uow() as uow:
            await uow.communities.add(a_community("discord:G2"))
            await uow.programmes.add(a_programme(community_id="discord:G2"))
            for round_ in (
                a_round(1, [("ana", "bo"), ("cy", "di")]),
                a_round(2, [("ana", "cy"), ("bo", "di")]),
                a_round(1, [("ana", "bo", "ed")], programme_id="data"),
                a_round(5, [("ana", "bo"), ("cy", "di")], "discord:G2"),
            ):
                await uow.rounds.add(round_)
            await uow.commit()
        week = timedelta(weeks=2)
        async with new_uow() as uow:
            general = await uow.rounds.pair_history(community.id, GENERAL)
            data = await uow.rounds.pair_history(community.id, "data")
            last_met = await uow.rounds.pair_last_met(community.id)
            assert await uow.rounds.pair_last_met("slack:nobody") == {}
        pair = frozenset
        assert general == {
            pair(("ana", "bo")): 1,
            pair(("cy", "di")): 1,
            pair(("ana", "cy")): 2,
            pair(("bo", "di")): 2,
        }
        assert data == {pair(("ana", "bo")): 1, pair(("ana", "ed")): 1, pair(("bo", "ed")): 1}
        assert last_met == {
            pair(("ana", "bo")): T0,  # round 1 of both programmes began at T0
            pair(("cy", "di")): T0,
            pair(("ana", "cy")): T0 + week,
            pair(("bo", "di")): T0 + week,
            pair(("ana", "ed")): T0,
            pair(("bo", "ed")): T0,
        }

    async def test_pair_last_met_takes_the_latest_intro_across_programmes(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"))
        async with new_uow() as uow:
            await uow.rounds.add(a_round(3, [("ana", "bo")]))
            await uow.rounds.add(a_round(1, [("bo", "ana")], programme_id="data"))
            await uow.commit()
        async with new_uow() as uow:
            met = await uow.rounds.pair_last_met(community.id)
        assert met == {frozenset(("ana", "bo")): T0 + timedelta(weeks=4)}


class TestTakeawaysPerProgramme:
    async def test_each_programme_keeps_one_takeaway_per_group_of_its_own(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"))
        general = a_reflection("ana", ("ana", "bo"))
        data = a_reflection("ana", ("ana", "cy"), programme_id="data", text="Data talk")
        async with new_uow() as uow:
            await uow.rounds.add(a_round(1, [("ana", "bo")]))
            await uow.rounds.add(a_round(1, [("ana", "cy")], programme_id="data"))
            assert await uow.reflections.add(general) is True
            assert await uow.reflections.add(data) is True
            assert await uow.reflections.add(a_reflection("cy", programme_id="data")) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.reflections.list(community.id, GENERAL) == [general]
            assert await uow.reflections.list(community.id, "data", 1) == [data]
            assert await uow.reflections.list(community.id, None) == [general, data]
            assert await uow.reflections.for_group(community.id, "data", 1, 0) == data
            assert await uow.reflections.for_group(community.id, GENERAL, 1, 0) == general

    async def test_erasing_a_member_reaches_every_programme(
        self, community: Community, new_uow: NewUow
    ) -> None:
        await add(new_uow, a_programme("data"), a_programme("new"))
        async with new_uow() as uow:
            for programme_id in (GENERAL, "data", "new"):
                await uow.rounds.add(a_round(1, [("ana", "bo")], programme_id=programme_id))
            await uow.reflections.add(a_reflection("ana", ("ana", "bo")))
            await uow.reflections.add(
                a_reflection("bo", ("ana", "bo"), programme_id="data", text="Ana Ng helped")
            )
            await uow.reflections.add(
                a_reflection("ana", ("ana", "bo"), programme_id="new", text="Mine")
            )
            await uow.commit()
        async with new_uow() as uow:
            await uow.reflections.pseudonymise_member(community.id, "ana", "erased-1", ["Ana Ng"])
            await uow.commit()
        async with new_uow() as uow:
            kept = await uow.reflections.list(community.id, None)
        assert [(r.programme_id, r.author, r.authors, r.text) for r in kept] == [
            (GENERAL, "erased-1", ("erased-1", "bo"), "We swapped notes on mentoring."),
            ("data", "bo", ("erased-1", "bo"), "[removed] helped"),
            ("new", "erased-1", ("erased-1", "bo"), "Mine"),
        ]
        async with new_uow() as uow:
            await uow.reflections.delete_member(community.id, "erased-1")
            await uow.commit()
        async with new_uow() as uow:
            left = await uow.reflections.list(community.id, None)
        assert [(r.programme_id, r.authors) for r in left] == [("data", ("bo",))]


async def lock_or_time_out(uow: SqlAlchemyUnitOfWork, community_id: str, programme: str) -> bool:
    """Take the programme's lock, or give up at once if another transaction holds it."""
    await uow._active.execute(text("SET LOCAL lock_timeout = '50ms'"))
    try:
        await uow.lock_programme(community_id, programme)
    except DBAPIError as error:
        assert "lock timeout" in str(error)
        return False
    return True


@pytest.mark.postgres
class TestProgrammeLocksOnPostgreSQL:
    """SQLite has one writer at a time, so there every lock holds the whole database."""

    @pytest.fixture(params=["postgresql"])
    def backend(self, request: pytest.FixtureRequest) -> str:
        return str(request.param)

    async def test_one_programmes_lock_is_held_by_one_transaction_and_others_are_free(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as holder:
            await holder.lock_programme(community.id, GENERAL)
            async with new_uow() as other:
                assert await lock_or_time_out(other, community.id, GENERAL) is False
            async with new_uow() as other:
                assert await lock_or_time_out(other, community.id, "data") is True
            async with new_uow() as other:
                assert await lock_or_time_out(other, "slack:T2", GENERAL) is True
            async with new_uow() as other:  # the community's lock is another lock
                await other._active.execute(text("SET LOCAL lock_timeout = '50ms'"))
                await other.lock_community(community.id)
            await holder.commit()
        async with new_uow() as other:
            assert await lock_or_time_out(other, community.id, GENERAL) is True


class TestOrder:
    async def test_general_comes_first_among_programmes_made_at_the_same_moment(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        async with uow:
            for name in ("alpha", "zeta"):
                assert await uow.programmes.add(a_programme(name, community_id=community.id))
            await uow.commit()
        async with uow:
            listed = [p.id for p in await uow.programmes.list(community.id)]
        assert listed == [GENERAL, "alpha", "zeta"]
