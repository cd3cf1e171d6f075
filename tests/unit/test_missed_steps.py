from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pairing_core.programme import GENERAL
from pairing_core.round import RoundState
from pairing_core.services.round_calendar import next_due_at, run_due_steps
from tests.unit.conftest import COMMUNITY, World

GRACE = timedelta(hours=24)


async def tick_with_grace(world: World, **delta: float) -> list[str]:
    world.clock.advance(**delta)
    done = await run_due_steps(world.services, COMMUNITY, GENERAL, grace=GRACE)
    await world.deliver()
    return done


class TestMissedWhileOffline:
    async def test_a_step_due_within_the_grace_runs_late(self, world: World) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        assert await tick_with_grace(world, days=5, hours=20) == [
            "matched round 1",
            "introduced round 1",
        ]

    async def test_a_round_missed_by_more_than_the_grace_is_skipped_and_admins_told(
        self, world: World
    ) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        done = await tick_with_grace(world, days=7)  # round 1 was due two days ago
        assert done == ["skipped round 1, missed while offline"]
        (notice,) = world.platform.to("boss")
        assert "Round 1 was due Monday 9 March while I was offline" in notice.message.text
        assert "The next round starts Monday 16 March" in notice.message.text
        rounds = await world.rounds()
        assert [r.state for r in rounds] == [RoundState.SKIPPED, RoundState.SCHEDULED]
        assert world.platform.to("alice") == []

    async def test_a_check_in_missed_by_more_than_the_grace_is_not_sent(self, world: World) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await tick_with_grace(world, days=5)
        done = await tick_with_grace(world, days=9)  # check-in was due two days ago
        # the reminder falls due too, and finds no group that was asked
        assert done == ["skipped the check-in of round 1", "reminded unanswered groups of round 1"]
        assert not any("did you manage to meet" in s.message.text for s in world.platform.sent)
        assert (
            "check-in for round 1 was due while I was offline"
            in world.platform.to("boss")[0].message.text
        )

    async def test_the_notice_is_sent_once_however_often_the_steps_run(self, world: World) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await tick_with_grace(world, days=7)
        await tick_with_grace(world, seconds=1)
        assert len(world.platform.to("boss")) == 1


class TestNextDue:
    async def test_the_next_due_step_follows_the_round(self, world: World) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        # first the heads-up, a day before matching, then the matching itself
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == datetime(
            2026, 3, 8, 9, 30, tzinfo=UTC
        )
        await world.tick(days=4)
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == datetime(
            2026, 3, 9, 9, 30, tzinfo=UTC
        )
        await world.tick(days=1)
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == datetime(
            2026, 3, 16, 9, 30, tzinfo=UTC
        )
