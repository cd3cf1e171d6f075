"""Quiet members through Slack: the automatic pause arrives as a DM whose Resume button works."""

from __future__ import annotations

from datetime import timedelta

from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import move_to, posted, with_ts

PAUSED = "I've paused you"
_ONE_DAY = timedelta(days=1)


async def status_of(world: SlackWorld, user: str) -> MemberStatus:
    async with world.services().uow as uow:
        member = await uow.members.get(TEAM, user, programme_id=GENERAL)
    assert member is not None
    return member.status


class TestQuietMembers:
    async def test_the_pause_message_arrives_with_a_resume_button_that_works(
        self, world: SlackWorld
    ) -> None:
        for member in ("U1", "U2"):
            world.slack.add_user(member, member.lower())
            await world.command(member, "join")
        # rounds 1-3 run with nobody answering, a day at a time so every step is sent when due
        for _ in range(5 + 14 * 3):
            await move_to(world, world.clock.now() + _ONE_DAY)
        assert await status_of(world, "U1") is MemberStatus.PAUSED

        [notice] = [m for m in posted(world, "DU1") if m["text"].startswith(PAUSED)]
        assert "last 3 rounds (1, 2, 3)" in notice["text"]
        [shown] = [m for m in world.slack.shown_in("DU1") if m["text"].startswith(PAUSED)]
        await world.click("U1", with_ts(notice, shown["ts"]), "Resume", "DU1")
        assert "Welcome back" in world.slack.called("respond")[-1].args["text"]
        assert await status_of(world, "U1") is MemberStatus.ACTIVE
