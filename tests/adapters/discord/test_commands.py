"""``/unmentor`` and ``/unmentor-admin``: typed options in, private replies out."""

from __future__ import annotations

from tests.adapters.discord.conftest import DiscordWorld


class TestMemberCommands:
    async def test_join_answers_privately_and_creates_the_servers_community(
        self, world: DiscordWorld
    ) -> None:
        replies = await world.slash("111111111111111111", "unmentor join", organisation="Devon CC")
        assert len(replies) == 1 and replies[0].startswith("You're in the pot")
        assert "Devon CC" in replies[0]
