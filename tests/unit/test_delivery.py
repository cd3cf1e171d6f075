from __future__ import annotations

from datetime import timedelta

from pairing_core.message import OutboxStatus
from pairing_core.ports import DeliveryError
from pairing_core.services.delivery import deliver_pending
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.conftest import COMMUNITY, World


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
        await run_due_steps(world.services, COMMUNITY)
        world.uow.outbox.saved.clear()
        report = await deliver_pending(world.services, world.platform)
        assert (report.claimed, report.sent, report.retrying) == (
            4,
            ["round:1:group:0:intro"],
            ["round:1:group:1:intro"],
        )
        untried = [(COMMUNITY, f"round:1:group:{n}:intro") for n in (2, 3)]
        assert world.uow.outbox.released == [untried]
        # one save each for the sent and the refused item; none for the untried ones
        assert world.uow.outbox.saved == ["round:1:group:0:intro", "round:1:group:1:intro"]
        async with world.uow:
            items = [await world.uow.outbox.get(c, k) for c, k in untried]
        until = world.clock.now() + timedelta(seconds=20)
        assert [(i.attempts, i.not_before) for i in items if i] == [(0, until), (0, until)]
