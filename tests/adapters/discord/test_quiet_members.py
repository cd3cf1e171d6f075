"""Quiet members through Discord: the automatic pause arrives as a DM whose Resume button works."""

from __future__ import annotations

from datetime import timedelta

from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, texts
from tests.adapters.discord.test_round import ALICE, BOB, move_to

PAUSED = "I've paused you"


async def status_of(world: DiscordWorld, member: str) -> MemberStatus:
    async with world.services().uow as uow:
        found = await uow.members.get(COMMUNITY, member, programme_id=GENERAL)
    assert found is not None
    return found.status


class TestQuietMembers:
    async def test_the_pause_message_arrives_with_a_resume_button_that_works(
        self, world: DiscordWorld
    ) -> None:
        for member in (ALICE, BOB):
            await world.slash(member, "unmentor join")
        # rounds 1-3 run with nobody answering, a day at a time so every step is sent when due
        for _ in range(5 + 14 * 3):
            await move_to(world, world.clock.now() + timedelta(days=1))
        assert await status_of(world, ALICE) is MemberStatus.PAUSED

        dms = world.fake.messages.get(f"9{ALICE}", [])
        [notice] = [m for m in dms if m["content"].startswith(PAUSED)]
        assert "last 3 rounds (1, 2, 3)" in notice["content"]
        buttons = [b["label"] for row in notice["components"] for b in row["components"]]
        assert buttons == ["Resume"]

        replies = await world.click(ALICE, notice, "Resume")
        assert any("Welcome back" in text for text in texts(replies))
        assert await status_of(world, ALICE) is MemberStatus.ACTIVE
