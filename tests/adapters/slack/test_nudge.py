"""The check-in reminder through Slack: it reaches the group DM with working buttons."""

from __future__ import annotations

from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import CheckInAnswer
from pairing_core.services.nudges import nudge_at
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import move_to, posted, start_round, with_ts

GROUP_DM = "GU1-U2"
REMINDER = "A reminder, in case the check-in got buried"


class TestCheckInReminder:
    async def test_a_silent_group_is_reminded_in_its_dm_and_a_press_is_recorded(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        await move_to(world, round_.checkin_at)
        assert len(posted(world, GROUP_DM)) == 2  # the intro and the check-in
        due = nudge_at(ProgrammeSettings(nudge_days=2), round_)
        assert due is not None
        await move_to(world, due)

        [_, _, reminder] = posted(world, GROUP_DM)
        assert reminder["text"].startswith(REMINDER)
        # the conversation's own messages: an intro's calendar invites go into its thread
        in_dm = [m for m in world.slack.shown_in(GROUP_DM) if "thread_ts" not in m]
        reminder = with_ts(reminder, in_dm[2]["ts"])
        labels = [e["text"]["text"] for e in reminder["blocks"][1]["elements"]]
        assert labels == ["We've met", "It's booked", "Not this time"]

        await world.click("U1", reminder, "We've met", GROUP_DM)
        # the check-in and the reminder both show the answer in place of their buttons
        updates = world.slack.called("chat.update")
        shown = [m for m in world.slack.shown_in(GROUP_DM) if "thread_ts" not in m]
        assert sorted((u.args["channel"], u.args["ts"]) for u in updates) == sorted(
            (GROUP_DM, m["ts"]) for m in shown[1:3]
        )
        for update in updates:
            assert "<@U1> answered “We've met”" in update.args["text"]
            assert [b["type"] for b in update.args["blocks"]] == ["section"]
        assert world.slack.called("respond")[-1].args["text"] == "Thanks, noted."
        async with world.services().uow as uow:
            stored = await uow.rounds.get(TEAM, GENERAL, 1)
        assert stored is not None
        assert stored.groups[0].checkin is CheckInAnswer.MET
        assert stored.groups[0].checkin_by == "U1"

    async def test_no_reminder_when_the_setting_is_off(self, world: SlackWorld) -> None:
        round_ = await start_round(world, "U1", "U2")
        reply = await world.command("UADMIN", "admin settings nudge=off")
        assert reply.startswith("Saved."), reply
        await move_to(world, round_.checkin_at)
        due = nudge_at(ProgrammeSettings(nudge_days=2), round_)
        assert due is not None
        await move_to(world, due)
        assert len(posted(world, GROUP_DM)) == 2
