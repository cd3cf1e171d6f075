from __future__ import annotations

import random
from datetime import datetime

import pytest

from pairing_core.message import Message, OutboxItem, OutboxStatus, Target
from pairing_core.ports import DeliveryError
from pairing_core.programme import GENERAL
from pairing_core.services.context import Services
from pairing_core.services.delivery import EARLIER_ATTEMPT, DeliveryReport, deliver_pending
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import FakeChatPlatform, FakeUnitOfWork


class TestDelivery:
    async def test_closed_dms_fail_permanently_and_admins_are_told_once(self, world: World) -> None:
        def closed_to_carol(kind: str, to: tuple[str, ...]) -> None:
            if "carol" in to and kind != "direct":
                raise DeliveryError("carol has closed her DMs", permanent=True)

        world.platform.fail = closed_to_carol
        for who in ("alice", "carol"):
            await world.say(who, "join")
        await world.tick(days=5)
        await world.deliver()
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.FAILED
        assert item.last_error == "carol has closed her DMs"
        notices = world.platform.to("boss")
        assert len(notices) == 1
        assert "couldn't deliver" in notices[0].message.text

    async def test_a_rate_limited_send_waits_retry_after_then_goes_once(self, world: World) -> None:
        calls = {"n": 0}

        def limited_once(kind: str, to: tuple[str, ...]) -> None:
            if kind == "group":
                calls["n"] += 1
                if calls["n"] == 1:
                    raise DeliveryError("ratelimited", permanent=False, retry_after=30)

        world.platform.fail = limited_once
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await world.tick(days=5)
        assert [s for s in world.platform.sent if s.kind == "group"] == []
        await world.tick(seconds=10)
        assert [s for s in world.platform.sent if s.kind == "group"] == []
        await world.tick(seconds=25)
        assert len([s for s in world.platform.sent if s.kind == "group"]) == 1
        assert len(world.platform.groups) == 1  # the conversation was opened once

    async def test_repeated_outages_give_up_after_the_attempt_limit(self, world: World) -> None:
        def down(kind: str, to: tuple[str, ...]) -> None:
            if kind != "direct":
                raise DeliveryError("service unavailable", permanent=False)

        world.platform.fail = down
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await world.tick(days=5)
        for _ in range(10):
            await world.tick(hours=2)
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None
        assert (item.status, item.attempts) == (OutboxStatus.FAILED, 8)


class TestRateLimitsNeverLoseMessages:
    async def test_an_item_refused_for_rate_limits_many_times_is_still_delivered(
        self, world: World
    ) -> None:
        refusals = {"left": 12}  # more than the attempt limit

        def busy(kind: str, to: tuple[str, ...]) -> None:
            if kind == "group" and refusals["left"] > 0:
                refusals["left"] -= 1
                raise DeliveryError("ratelimited", permanent=False, retry_after=1)

        world.platform.fail = busy
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await world.tick(days=5)
        for _ in range(14):
            await world.tick(seconds=2)
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.SENT
        assert len([s for s in world.platform.sent if s.kind == "group"]) == 1


class TestARateLimitHandsBackTheBatch:
    async def test_the_untried_rest_goes_back_in_one_statement_without_counting_attempts(
        self, world: World
    ) -> None:
        opens = {"n": 0}

        def second_open_limited(kind: str, to: tuple[str, ...]) -> None:
            if kind == "open":
                opens["n"] += 1
                if opens["n"] == 2:
                    raise DeliveryError("ratelimited", permanent=False, retry_after=20)

        for who in ("a", "b", "c", "d", "e", "f", "g", "h"):
            await world.say(who, "join")
        world.platform.fail = second_open_limited
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL)
        world.uow.outbox.saved.clear()
        report = await deliver_pending(world.services, world.platform)
        assert (report.claimed, report.sent, report.retrying) == (
            4,
            ["round:1:group:0:intro"],
            ["round:1:group:1:intro"],
        )
        untried = [(COMMUNITY, f"round:1:group:{n}:intro") for n in (2, 3)]
        assert world.uow.outbox.released == [untried]
        # the sent item: its attempt's start (before and after opening its conversation) and its
        # outcome; the item refused at opening its conversation: its attempt's start and its
        # outcome; none for the untried ones
        assert world.uow.outbox.saved == [
            "round:1:group:0:intro",
            "round:1:group:0:intro",
            "round:1:group:0:intro",
            "round:1:group:1:intro",
            "round:1:group:1:intro",
        ]
        async with world.uow:
            items = [await world.uow.outbox.get(c, k) for c, k in untried]
        # due again at once: the pause on opening group conversations is what holds them back
        now = world.clock.now()
        assert [(i.attempts, i.not_before) for i in items if i] == [(0, now), (0, now)]


async def deliver_with_first_open_refused(world: World, retry_after: float) -> DeliveryReport:
    """Start a round of two groups and deliver it; the first group's conversation is refused."""
    for who in ("a", "b", "c", "d"):
        await world.say(who, "join")
    refusals: list[str] = []

    def first_open_refused(kind: str, to: tuple[str, ...]) -> None:
        if kind == "open" and not refusals:
            refusals.append("-".join(to))
            raise DeliveryError("ratelimited", permanent=False, retry_after=retry_after)

    world.platform.fail = first_open_refused
    world.clock.advance(days=5)
    await run_due_steps(world.services, COMMUNITY, GENERAL)
    report = await deliver_pending(world.services, world.platform)
    assert (report.retrying, len(refusals)) == (["round:1:group:0:intro"], 1)
    return report


class TestAPauseIsSharedByEveryWorker:
    async def test_another_worker_claims_nothing_the_pause_holds_and_waits_for_its_end(
        self, world: World
    ) -> None:
        first = await deliver_with_first_open_refused(world, retry_after=20)
        # a second worker (another replica: its own platform client) sharing the database
        other_platform = FakeChatPlatform()
        other = Services(world.uow, world.clock, random.Random(1))
        world.clock.advance(seconds=5)
        second = await deliver_pending(other, other_platform)
        assert second.claimed == 0 and other_platform.groups == {}
        assert second.paused_until == first.paused_until
        world.clock.advance(seconds=15)
        third = await deliver_pending(other, other_platform)
        assert (third.claimed, len(third.sent)) == (2, 2)

    async def test_a_pause_holds_back_only_the_refused_call(self, world: World) -> None:
        await deliver_with_first_open_refused(world, retry_after=20)
        direct = OutboxItem(
            COMMUNITY, "notice:a", Target.member("a"), Message("hello"), world.clock.now()
        )
        async with world.uow:
            await world.uow.outbox.add(direct)
            await world.uow.commit()
        report = await deliver_pending(world.services, world.platform)
        assert report.sent == ["notice:a"]  # a direct message is another call
        assert not [s for s in world.platform.sent if s.kind == "group"]


class TestAPauseOnSending:
    async def test_items_reusing_an_opened_conversation_wait_for_its_end_without_a_refusal_each(
        self, world: World
    ) -> None:
        for who in ("a", "b", "c", "d"):
            await world.say(who, "join")
        await world.tick(days=5)  # both intros are sent: each group has its conversation
        opened = dict(world.platform.groups)
        refused: list[tuple[str, ...]] = []

        def sends_limited(kind: str, to: tuple[str, ...]) -> None:
            if kind == "group":
                refused.append(to)
                raise DeliveryError("ratelimited", permanent=False, retry_after=20)

        world.platform.fail = sends_limited
        world.clock.advance(days=7)
        # the check-ins, each to be sent in its group's conversation
        assert await run_due_steps(world.services, COMMUNITY, GENERAL) == [
            "sent check-ins for round 1"
        ]
        first = await deliver_pending(world.services, world.platform)
        world.clock.advance(seconds=10)
        second = await deliver_pending(world.services, world.platform)
        assert (first.claimed, len(refused), second.claimed) == (2, 1, 0)

        world.platform.fail = lambda kind, to: None
        world.clock.advance(seconds=10)
        third = await deliver_pending(world.services, world.platform)
        assert len(third.sent) == 2 and world.platform.groups == opened


class TestAnAttemptThatMayHaveReachedThePlatform:
    # "open": opening the group's conversation (a Discord thread) is unconfirmed; "group": the send
    @pytest.mark.parametrize("unconfirmed", ["group", "open"])
    async def test_only_a_retry_after_an_unconfirmed_attempt_says_when_that_attempt_started(
        self, world: World, unconfirmed: str
    ) -> None:
        seen: list[datetime | None] = []

        def answer_lost_once(kind: str, to: tuple[str, ...]) -> None:
            if kind == unconfirmed:
                seen.append(EARLIER_ATTEMPT.get())
                if len(seen) == 1:  # e.g. a timeout: the platform may have taken it
                    raise DeliveryError("timed out", permanent=False)

        world.platform.fail = answer_lost_once
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await world.tick(days=5)
        first_attempt = world.clock.now()
        await world.tick(minutes=1)
        assert seen == [None, first_attempt]
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.SENT
        assert item.attempt_started_at is None

    async def test_an_item_another_worker_claimed_since_is_left_to_it_unsent(
        self, world: World
    ) -> None:
        def claimed_by_another_worker_meanwhile(kind: str, to: tuple[str, ...]) -> None:
            if kind == "open":  # after this worker's claim, before its send starts
                assert isinstance(world.uow, FakeUnitOfWork)
                stored = world.uow.committed.outbox[(COMMUNITY, "round:1:group:0:intro")]
                stored.attempts += 1

        world.platform.fail = claimed_by_another_worker_meanwhile
        for who in ("alice", "bob"):
            await world.say(who, "join")
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL)
        report = await deliver_pending(world.services, world.platform)
        assert report.claimed == 1 and report.sent == [] and report.retrying == []
        assert [s for s in world.platform.sent if s.kind == "group"] == []


class TestAPassLeavingOutAPlatform:
    async def test_it_neither_sends_nor_counts_an_attempt_for_that_platforms_messages(
        self, world: World
    ) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        world.clock.advance(days=5)
        await run_due_steps(world.services, COMMUNITY, GENERAL)
        world.platform.sent.clear()
        skipped = await deliver_pending(world.services, world.platform, except_platform="test")
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert (skipped.claimed, world.platform.sent) == (0, [])
        assert item is not None and (item.status, item.attempts) == (OutboxStatus.PENDING, 0)
        other = await deliver_pending(world.services, world.platform, except_platform="discord")
        assert "round:1:group:0:intro" in other.sent
