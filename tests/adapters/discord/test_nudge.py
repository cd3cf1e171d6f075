"""The check-in reminder through Discord: it reaches the group's thread with working buttons."""

from __future__ import annotations

from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import CheckInAnswer
from pairing_core.services.nudges import nudge_at
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, edit_of, texts
from tests.adapters.discord.test_round import ADMIN, ALICE, BOB, move_to, start_round, thread_of

REMINDER = "A reminder, in case the check-in got buried"


class TestCheckInReminder:
    async def test_a_silent_group_is_reminded_in_its_thread_and_a_press_is_recorded(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.checkin_at)
        thread = thread_of(world, round_.groups[0].members)
        assert not any(REMINDER in m["content"] for m in world.fake.messages[thread])
        due = nudge_at(ProgrammeSettings(nudge_days=2), round_)
        assert due is not None
        await move_to(world, due)

        reminder = world.fake.messages[thread][-1]
        assert reminder["content"].startswith(REMINDER)
        buttons = [b for row in reminder["components"] for b in row["components"]]
        assert [b["label"] for b in buttons] == ["We've met", "It's booked", "Not this time"]

        replies = await world.click(BOB, reminder, "It's booked")
        update = edit_of(replies)  # the reminder itself now shows the answer
        assert f"<@{BOB}> answered “It's booked”" in update["content"]
        assert texts(replies)[-1:] == ["Thanks, noted."]
        async with world.services().uow as uow:
            stored = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert stored is not None
        assert stored.groups[0].checkin is CheckInAnswer.BOOKED
        assert stored.groups[0].checkin_by == BOB

    async def test_a_group_that_answered_gets_no_reminder(self, world: DiscordWorld) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.checkin_at)
        thread = thread_of(world, round_.groups[0].members)
        await world.click(ALICE, world.fake.messages[thread][-1], "We've met")
        due = nudge_at(ProgrammeSettings(nudge_days=2), round_)
        assert due is not None
        await move_to(world, due)
        assert not any(REMINDER in m["content"] for m in world.fake.messages[thread])


class TestReminderSettings:
    async def test_nudge_and_quiet_after_are_slash_command_options(
        self, world: DiscordWorld
    ) -> None:
        [saved] = await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, nudge=5, quiet_after=4
        )
        assert saved.startswith("Saved."), saved
        assert "nudge" in saved or "reminder" in saved, saved
        async with world.services().uow as uow:
            [programme] = await uow.programmes.list(COMMUNITY)
        assert programme.settings.nudge_days == 5
        assert programme.settings.quiet_after == 4

        [saved] = await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, no_nudge=True, no_quiet_pause=True
        )
        assert saved.startswith("Saved."), saved
        async with world.services().uow as uow:
            [programme] = await uow.programmes.list(COMMUNITY)
        assert programme.settings.nudge_days is None
        assert programme.settings.quiet_after is None
