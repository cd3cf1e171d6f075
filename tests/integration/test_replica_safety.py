"""Replicas sharing one database: outbox claims never overlap, round steps happen once."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.member import MemberStatus
from pairing_core.message import OutboxStatus, Target
from pairing_core.programme import GENERAL, Programme
from pairing_core.round import RoundState
from pairing_core.services.context import Services
from pairing_core.services.round_calendar import run_due_steps
from pairing_core.services.round_steps import intro_key
from tests.integration.objects import T0, a_member, an_outbox_item

NewUow = Callable[[], SqlAlchemyUnitOfWork]
LEASE = timedelta(minutes=5)


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


class TestConcurrentClaims:
    async def test_two_workers_claiming_at_once_never_get_the_same_item(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            for n in range(120):
                await uow.outbox.add(
                    an_outbox_item(f"item:{n}", created_at=T0 + timedelta(milliseconds=n))
                )
            await uow.commit()

        async def worker() -> list[str]:
            taken: list[str] = []
            uow = new_uow()
            while True:
                async with uow:
                    batch = await uow.outbox.claim(T0 + timedelta(seconds=1), 7, LEASE)
                    await asyncio.sleep(0.005)  # hold the claim open while the other claims
                    await uow.commit()
                if not batch:
                    return taken
                taken.extend(item.key for item in batch)
                # sending happens outside the transaction, as in the worker; without this pause
                # SQLite's single writer may hand its lock straight back to the same worker
                await asyncio.sleep(0.01)

        first, second = await asyncio.gather(worker(), worker())
        assert set(first).isdisjoint(second)
        assert sorted(first + second) == sorted(f"item:{n}" for n in range(120))
        assert first and second  # both workers took part

    async def test_a_claim_leases_the_item_and_counts_an_attempt(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.outbox.add(an_outbox_item("late", not_before=T0 + timedelta(hours=1)))
            await uow.outbox.add(an_outbox_item("due", target=Target.member("ana")))
            await uow.outbox.add(an_outbox_item("done", status=OutboxStatus.SENT))
            await uow.commit()
        now = T0 + timedelta(minutes=1)
        async with new_uow() as uow:
            (claimed,) = await uow.outbox.claim(now, 10, LEASE)
            await uow.commit()
        assert claimed.key == "due"
        assert (claimed.not_before, claimed.attempts) == (now + LEASE, 1)
        assert claimed.target == Target.member("ana")
        async with new_uow() as uow:
            assert await uow.outbox.claim(now + LEASE - timedelta(seconds=1), 10, LEASE) == []
            again = await uow.outbox.claim(now + LEASE, 10, LEASE)
        assert [i.key for i in again] == ["due"]


class TestConcurrentRoundSteps:
    async def test_two_replicas_running_due_steps_at_once_introduce_each_group_once(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            for n in range(40):
                await uow.members.add(
                    a_member(f"m{n:02}", status=MemberStatus.ACTIVE, paused_until=None)
                )
            await uow.commit()
        clock = SettableClock(T0)

        def replica(seed: int) -> Services:
            return Services(new_uow(), clock, random.Random(seed))

        async def both_run() -> list[list[str]]:
            return list(
                await asyncio.gather(
                    run_due_steps(replica(1), community.id, GENERAL),
                    run_due_steps(replica(2), community.id, GENERAL),
                )
            )

        scheduled = await both_run()
        assert sorted(scheduled) == [[], ["scheduled round 1"]]
        async with new_uow() as uow:
            round_1 = await uow.rounds.get(community.id, GENERAL, 1)
        assert round_1 is not None
        clock.current = round_1.intro_at + timedelta(minutes=1)
        await both_run()

        async with new_uow() as uow:
            rounds = await uow.rounds.list(community.id, GENERAL)
            intros = [
                await uow.outbox.get(community.id, intro_key(GENERAL, 1, g.index))
                for g in rounds[0].groups
            ]
            total = len(await uow.outbox.claim(clock.current, 1000, LEASE))
        assert [r.state for r in rounds] == [RoundState.INTRODUCED, RoundState.SCHEDULED]
        # the intros went to the groups stored: nobody matched the round a second time after them
        assert [i.target.ids for i in intros if i is not None] == [
            g.members for g in rounds[0].groups
        ]
        assert total == len(rounds[0].groups)
        assert sorted(m for g in rounds[0].groups for m in g.members) == [
            f"m{n:02}" for n in range(40)
        ]


class TestTwoProgrammesAtOnce:
    async def test_each_programmes_steps_run_once_while_both_run_together(
        self, community: Community, new_uow: NewUow
    ) -> None:
        """Two replicas each run both programmes' steps at once: every group of each programme
        is introduced once, and one programme's lock never holds the other back for good."""
        async with new_uow() as uow:
            general = await uow.programmes.get(community.id, GENERAL)
            assert general is not None
            # the same rhythm, so both programmes' first rounds fall due together
            data = Programme(community.id, "data", "data", T0, general.settings)
            assert await uow.programmes.add(data)
            for n in range(20):
                for programme in (GENERAL, "data"):
                    await uow.members.add(
                        a_member(f"m{n:02}", status=MemberStatus.ACTIVE, paused_until=None)
                        if programme == GENERAL
                        else replace(
                            a_member(f"m{n:02}", status=MemberStatus.ACTIVE, paused_until=None),
                            programme_id=programme,
                        )
                    )
            await uow.commit()
        clock = SettableClock(T0)

        def replica(seed: int) -> Services:
            return Services(new_uow(), clock, random.Random(seed))

        async def all_run() -> list[list[str]]:
            return list(
                await asyncio.gather(
                    *(
                        run_due_steps(replica(seed), community.id, programme)
                        for seed in (1, 2)
                        for programme in (GENERAL, "data")
                    )
                )
            )

        assert sorted(await all_run()) == [[], [], ["scheduled round 1"], ["scheduled round 1"]]
        async with new_uow() as uow:
            starts = [
                r.intro_at
                for p in (GENERAL, "data")
                if (r := await uow.rounds.get(community.id, p, 1)) is not None
            ]
        assert len(set(starts)) == 1
        clock.current = starts[0] + timedelta(minutes=1)
        await all_run()
        groups = 0
        async with new_uow() as uow:
            for programme in (GENERAL, "data"):
                (first, _) = await uow.rounds.list(community.id, programme)
                groups += len(first.groups)
                assert first.state is RoundState.INTRODUCED
                intros = [
                    await uow.outbox.get(community.id, intro_key(programme, 1, g.index))
                    for g in first.groups
                ]
                assert [i.target.ids for i in intros if i is not None] == [
                    g.members for g in first.groups
                ]
                assert sorted(m for g in first.groups for m in g.members) == [
                    f"m{n:02}" for n in range(20)
                ]
            pending = await uow.outbox.claim(clock.current, 1000, LEASE)
        assert len(pending) == groups  # each group of each programme introduced once
