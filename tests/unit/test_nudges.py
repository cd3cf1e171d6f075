from __future__ import annotations

from datetime import UTC, datetime

from pairing_core import commands as c
from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import CheckInAnswer, Round, RoundState
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from pairing_core.services.nudges import nudge_at
from pairing_core.services.outcome_figures import outcome_report
from pairing_core.services.round_calendar import next_due_at
from tests.unit.conftest import COMMUNITY, World

REMINDER = "A reminder, in case the check-in got buried"
# Round 1 (fortnightly from Monday 9 March 09:30 London): check-in Monday 16 March 09:30,
# reminder Wednesday 18 March 09:30, reflection prompt Saturday 21 March.
CHECKIN = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
NUDGE = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)


async def checked_in(world: World, *people: str) -> None:
    for who in people or ("alice", "bob"):
        await world.say(who, "join")
    await world.tick(days=5)  # round 1 introduced
    await world.tick(days=7)  # its check-in sent


def reminders(world: World) -> list[object]:
    return [s for s in world.platform.sent if s.message.text.startswith(REMINDER)]


async def answer(world: World, who: str, answer: CheckInAnswer, number: int = 1) -> None:
    group = next(g for g in (await world.rounds())[number - 1].groups if g.has(who))
    await record_checkin(
        c.RecordCheckIn(number, group.index, answer), Actor(who, who), COMMUNITY, world.services
    )


class TestReminder:
    async def test_a_silent_group_is_reminded_once_in_the_check_ins_conversation(
        self, world: World
    ) -> None:
        await checked_in(world)
        assert world.clock.now() < NUDGE
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == NUDGE
        assert reminders(world) == []
        done = await world.tick(days=2)
        assert done == ["reminded unanswered groups of round 1"]
        (reminder,) = reminders(world)
        checkin = next(s for s in world.platform.sent if "Half-way check-in" in s.message.text)
        assert reminder.conversation == checkin.conversation  # type: ignore[attr-defined]
        assert [a.value for a in reminder.message.actions] == [  # type: ignore[attr-defined]
            a.value
            for a in checkin.message.actions  # type: ignore[attr-defined]
        ]
        assert (await world.rounds())[0].state is RoundState.NUDGED
        await world.tick(hours=1)
        assert len(reminders(world)) == 1

    async def test_its_buttons_record_the_answer(self, world: World) -> None:
        await checked_in(world)
        await world.tick(days=2)
        (reminder,) = reminders(world)
        value = reminder.message.actions[0].value  # type: ignore[attr-defined]
        number, index, chosen = value.split(":")
        await record_checkin(
            c.RecordCheckIn(int(number), int(index), CheckInAnswer(chosen)),
            Actor("alice", "alice"),
            COMMUNITY,
            world.services,
        )
        assert (await world.rounds())[0].groups[0].checkin is CheckInAnswer(chosen)

    async def test_a_group_that_answered_is_not_reminded(self, world: World) -> None:
        await checked_in(world)
        await answer(world, "alice", CheckInAnswer.NOT_THIS_TIME)
        await world.tick(days=2)
        assert reminders(world) == []

    async def test_no_reminder_when_the_setting_is_off(self, world: World) -> None:
        assert "nudge" in await world.say("boss", "admin settings nudge=off", admin=True)
        await checked_in(world)
        await world.tick(days=2)
        assert reminders(world) == []
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == datetime(
            2026, 3, 21, 9, 30, tzinfo=UTC
        )

    async def test_the_reflection_prompt_coming_first_means_no_reminder(self, world: World) -> None:
        await world.say("boss", "admin settings nudge=6d", admin=True)
        await checked_in(world)
        await world.tick(days=6)
        assert reminders(world) == []
        assert (await world.rounds())[0].state is RoundState.REFLECTING

    async def test_the_reminder_keeps_local_time_across_the_clock_change(self) -> None:
        settings = ProgrammeSettings(nudge_days=2)  # Europe/London: BST from 29 March 2026
        round_ = Round(
            COMMUNITY,
            1,
            RoundState.CHECKED_IN,
            intro_at=datetime(2026, 3, 20, 9, 30, tzinfo=UTC),
            checkin_at=datetime(2026, 3, 27, 9, 30, tzinfo=UTC),
            reflection_at=datetime(2026, 4, 1, 8, 30, tzinfo=UTC),
            close_at=datetime(2026, 4, 3, 8, 30, tzinfo=UTC),
        )
        assert nudge_at(settings, round_) == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)

    async def test_bad_values_are_refused_with_a_reason(self, world: World) -> None:
        reply = await world.say("boss", "admin settings nudge=soon", admin=True)
        assert "nudge is a number of days such as 2d, or off" in reply
        reply = await world.say("boss", "admin settings quiet-after=1", admin=True)
        assert "quiet-after is a number of rounds from 2" in reply


async def days(world: World, count: int) -> None:
    """Let ``count`` days pass a day at a time, so every step is sent when due."""
    for _ in range(count):
        await world.tick(days=1)


async def run_rounds(world: World, count: int) -> None:
    """Run ``count`` whole fortnightly rounds from round 1's intro, nobody answering."""
    await world.tick(days=5)
    await days(world, 14 * count)


def pause_notices(world: World, who: str) -> list[object]:
    return [s for s in world.platform.to(who) if "I've paused you" in s.message.text]


class TestQuietMembers:
    async def test_three_silent_rounds_pause_a_member_with_a_resume_button(
        self, world: World
    ) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await run_rounds(world, 3)  # rounds 1-3 ran silently; round 4 is being matched
        async with world.uow:
            alice = await world.uow.members.get(COMMUNITY, "alice", programme_id=GENERAL)
        assert alice is not None and alice.status is MemberStatus.PAUSED
        assert alice.paused_until is None
        (notice,) = pause_notices(world, "alice")
        assert "last 3 rounds (1, 2, 3)" in notice.message.text  # type: ignore[attr-defined]
        (button,) = notice.message.actions  # type: ignore[attr-defined]
        assert button.action_id == CHOOSE_PROGRAMME_ACTION
        assert "Welcome back" in await world.say("alice", button.value)
        async with world.uow:
            alice = await world.uow.members.get(COMMUNITY, "alice", programme_id=GENERAL)
        assert alice is not None and alice.status is MemberStatus.ACTIVE
        # resumed, they start afresh: another silent round does not pause them again
        await days(world, 14)
        assert len(pause_notices(world, "alice")) == 1

    async def test_a_member_whose_group_met_once_is_never_paused(self, world: World) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await world.tick(days=5)
        await answer(world, "bob", CheckInAnswer.MET)
        await days(world, 14 * 4)
        assert pause_notices(world, "alice") == [] and pause_notices(world, "bob") == []

    async def test_answering_or_sharing_a_takeaway_keeps_a_member_in(self, world: World) -> None:
        for who in ("alice", "bob", "carol", "dave"):
            await world.say(who, "join")
        await world.tick(days=5)
        await days(world, 14 * 2 + 7)  # round 3's check-in
        await answer(world, "alice", CheckInAnswer.NOT_THIS_TIME, number=3)
        await days(world, 7)  # round 4 matched: alice answered, nobody else ever did
        quiet = {who for who in ("alice", "bob", "carol", "dave") if pause_notices(world, who)}
        assert quiet == {"bob", "carol", "dave"}

    async def test_off_pauses_nobody(self, world: World) -> None:
        await world.say("boss", "admin settings quiet-after=off", admin=True)
        for who in ("alice", "bob"):
            await world.say(who, "join")
        await run_rounds(world, 4)
        assert pause_notices(world, "alice") == []


class TestFigures:
    async def test_nudged_met_after_nudge_and_auto_paused_are_counted(self, world: World) -> None:
        for who in ("alice", "bob", "carol", "dave"):
            await world.say(who, "join")
        await world.tick(days=5)
        await days(world, 9)  # round 1 reminded: nobody had answered
        await answer(world, "alice", CheckInAnswer.MET)
        await days(world, 5 + 14 + 14)  # round 4 matched
        report = await outcome_report(world.services, COMMUNITY, GENERAL)
        first = report.rounds[0]
        assert (first.nudged, first.met_after_nudge) == (2, 1)
        assert report.rounds[1].nudged == 2 and report.rounds[1].met_after_nudge == 0
        # alice and her round-1 partner met; the other two were quiet for rounds 1-3
        assert [r.auto_paused for r in report.rounds] == [0, 0, 0, 2]
        assert (report.cumulative.nudged, report.cumulative.auto_paused) == (6, 2)
        stats = await world.say("boss", "admin stats", admin=True)
        assert "nudged n-met paused" in stats
