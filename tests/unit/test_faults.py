"""Faults around a round: a slow or refusing platform, a lost database, people leaving, clock jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pairing_core.message import OutboxStatus
from pairing_core.ports import DeliveryError
from pairing_core.programme import GENERAL
from pairing_core.round import RoundState
from pairing_core.services import round_steps
from pairing_core.services.delivery import LEASE, deliver_pending
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.conftest import COMMUNITY, World

GRACE = timedelta(hours=24)


async def join_all(world: World, *names: str) -> None:
    for name in names:
        await world.say(name, "join")


def group_sends(world: World) -> list[tuple[str, ...]]:
    return [s.to for s in world.platform.sent if s.kind == "group"]


class TestPlatformFaults:
    async def test_a_429_holds_back_the_rest_of_the_batch_without_counting_attempts(
        self, world: World
    ) -> None:
        calls = {"n": 0}

        def limited_once(kind: str, to: tuple[str, ...]) -> None:
            if kind == "open":
                calls["n"] += 1
                if calls["n"] == 1:
                    raise DeliveryError("ratelimited", permanent=False, retry_after=30)

        world.platform.fail = limited_once
        await join_all(world, "a", "b", "c", "d", "e", "f")
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL)
        report = await deliver_pending(world.services, world.platform)
        assert report.retrying == ["round:1:group:0:intro"]
        assert report.paused_until == world.clock.now() + timedelta(seconds=30)
        assert calls["n"] == 1  # nothing else was tried while the platform asked to wait
        async with world.uow:
            untried = await world.uow.outbox.get(COMMUNITY, "round:1:group:1:intro")
        assert untried is not None and untried.attempts == 0
        world.clock.advance(seconds=31)
        await world.deliver()
        assert len(group_sends(world)) == 3

    async def test_a_server_error_is_retried_with_backoff_and_sent_once(self, world: World) -> None:
        failures = {"left": 2}

        def flaky(kind: str, to: tuple[str, ...]) -> None:
            if kind == "group" and failures["left"]:
                failures["left"] -= 1
                raise DeliveryError("HTTP 503", permanent=False)

        world.platform.fail = flaky
        await join_all(world, "a", "b")
        await world.tick(days=5)
        await world.tick(seconds=4)
        assert group_sends(world) == []  # the first backoff is 5 s
        await world.tick(seconds=2)
        assert group_sends(world) == []  # the second is 10 s
        await world.tick(seconds=10)
        assert len(group_sends(world)) == 1
        await world.tick(hours=1)
        assert len(group_sends(world)) == 1

    async def test_a_timeout_is_retried_and_the_item_is_not_lost(self, world: World) -> None:
        timed_out = {"done": False}

        def slow_once(kind: str, to: tuple[str, ...]) -> None:
            if kind == "group" and not timed_out["done"]:
                timed_out["done"] = True
                raise TimeoutError  # an adapter that let a timeout through unwrapped

        world.platform.fail = slow_once
        await join_all(world, "a", "b")
        await world.tick(days=5)
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.PENDING
        assert item.last_error is not None and "TimeoutError" in item.last_error
        await world.tick(seconds=6)
        assert len(group_sends(world)) == 1

    async def test_an_item_whose_worker_died_mid_send_is_sent_after_the_lease(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b")
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL)
        async with world.uow:  # a worker claims the intro, then dies before sending it
            (claimed,) = await world.uow.outbox.claim(world.clock.now(), 10, LEASE)
            await world.uow.commit()
        await world.deliver()
        assert group_sends(world) == []  # the claim holds
        world.clock.advance(seconds=LEASE.total_seconds() + 1)
        await world.deliver()
        await world.deliver()
        assert len(group_sends(world)) == 1


class FlakyDatabase(Exception):
    pass


class TestDatabaseFaults:
    async def test_a_connection_dropped_during_a_step_loses_nothing_and_the_step_reruns(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b", "c", "d")
        world.clock.advance(days=5)
        real_commit = world.uow.commit
        dropped = {"done": False}

        async def drop_on_intro_commit() -> None:
            assert world.uow.working is not None
            states = {r.state for r in world.uow.working.rounds.values()}
            if RoundState.INTRODUCED in states and not dropped["done"]:
                dropped["done"] = True
                raise FlakyDatabase("connection reset by peer")
            await real_commit()

        world.uow.commit = drop_on_intro_commit  # type: ignore[method-assign]
        with pytest.raises(FlakyDatabase):
            await run_due_steps(world.services, COMMUNITY, GENERAL)
        rounds = await world.rounds()
        assert [r.state for r in rounds] == [RoundState.MATCHED]
        async with world.uow:
            assert await world.uow.outbox.pending(world.clock.now()) == []
        world.clock.advance(minutes=1)
        assert await run_due_steps(world.services, COMMUNITY, GENERAL) == ["introduced round 1"]
        await world.deliver()
        await world.deliver()
        assert sorted(len(g) for g in group_sends(world)) == [2, 2]

    async def test_a_connection_dropped_while_recording_a_send_is_retried_not_resent(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b")
        await world.tick(days=5)  # the intro is sent and recorded
        world.clock.advance(days=7)
        await run_due_steps(world.services, COMMUNITY, GENERAL)  # the check-in is written
        real_commit = world.uow.commit
        dropped = {"done": False}

        async def drop_when_recording_a_send() -> None:
            assert world.uow.working is not None
            sent = [i for i in world.uow.working.outbox.values() if i.status is OutboxStatus.SENT]
            if len(sent) == 2 and not dropped["done"]:
                dropped["done"] = True
                raise FlakyDatabase("connection reset by peer")
            await real_commit()

        world.uow.commit = drop_when_recording_a_send  # type: ignore[method-assign]
        report = await deliver_pending(world.services, world.platform)
        assert dropped["done"] and len(report.sent) == 1
        world.clock.advance(seconds=LEASE.total_seconds() + 1)
        await world.deliver()
        assert len(group_sends(world)) == 2  # the intro and the check-in, each once


class TestMembersLeavingBeforeTheIntro:
    async def test_a_member_who_left_is_not_messaged_and_the_rest_are_introduced(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b", "c")  # one trio
        world.clock.advance(days=5)
        await round_steps.match_round(
            world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
        )
        await world.say("c", "leave")
        await world.tick(seconds=1)
        assert [tuple(sorted(g)) for g in group_sends(world)] == [("a", "b")]
        assert "Round 1" not in " ".join(s.message.text for s in world.platform.to("c"))
        (round_1, _) = await world.rounds()
        assert [tuple(sorted(g.members)) for g in round_1.groups] == [("a", "b")]

    async def test_the_group_introduced_counts_as_mixed_only_if_it_still_is(
        self, world: World
    ) -> None:
        for member, org in (("a", "Devon"), ("b", "Leeds"), ("c", "Devon")):
            await world.say(member, f"join {org}")
        world.clock.advance(days=5)
        await round_steps.match_round(
            world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
        )
        (matched,) = await world.rounds()
        assert matched.groups[0].cross_organisation is True
        await world.say("b", "leave")  # the only one from another organisation
        await world.tick(seconds=1)
        (introduced, _) = await world.rounds()
        assert [(tuple(sorted(g.members)), g.cross_organisation) for g in introduced.groups] == [
            (("a", "c"), False)
        ]

    async def test_a_member_left_alone_is_told_their_partner_left(self, world: World) -> None:
        await join_all(world, "a", "b")
        world.clock.advance(days=5)
        await round_steps.match_round(
            world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
        )
        await world.say("b", "leave")
        sent_before = len(world.platform.sent)
        await world.tick(seconds=1)
        assert group_sends(world) == []
        (notice,) = world.platform.sent[sent_before:]
        assert notice.to == ("a",)
        assert "has left the programme" in notice.message.text


class TestClockJumps:
    async def test_a_jump_backwards_repeats_nothing_and_the_round_carries_on(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b")
        await world.tick(days=5)
        assert len(group_sends(world)) == 1
        assert await world.tick(days=-3) == []
        assert await world.tick(hours=1) == []
        assert len(group_sends(world)) == 1
        done = await world.tick(days=10)  # past the half-way check-in
        assert done == ["sent check-ins for round 1"]
        await world.tick(seconds=1)
        checkins = [s for s in world.platform.sent if "did you manage to meet" in s.message.text]
        assert len(checkins) == 1

    async def test_a_jump_forwards_past_the_grace_skips_and_tells_the_admins_once(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b")
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL, grace=GRACE)
        world.clock.advance(days=60)
        done = await run_due_steps(world.services, COMMUNITY, GENERAL, grace=GRACE)
        assert "closed round 1" in done
        assert done[-1] == "skipped round 2, missed while offline"
        assert await run_due_steps(world.services, COMMUNITY, GENERAL, grace=GRACE) == []
        await world.deliver()
        assert len(group_sends(world)) == 1  # only round 1's intro, sent once
        assert len(world.platform.to("boss")) == 1
