"""`/unmentor-admin stats` on Discord: the table and the outcome chart, both private."""

from __future__ import annotations

from pairing_core.services.outcome_figures import CHART_FILENAME
from tests.adapters.discord.conftest import DiscordWorld
from tests.adapters.discord.test_round import ADMIN, ALICE, BOB, start_round

PNG = b"\x89PNG"


class TestStatsChart:
    async def test_the_reply_is_ephemeral_and_carries_the_png_chart(
        self, world: DiscordWorld
    ) -> None:
        await start_round(world, ALICE, BOB)
        before = len(world.fake.calls)
        [stats] = await world.slash(ADMIN, "unmentor-admin stats", admin=True)
        assert stats.startswith("**UnMentoring in")
        [sent] = [c for c in world.fake.calls[before:] if c.json and c.json.get("files")]
        assert sent.json["flags"] & 64  # ephemeral
        [name] = sent.json["files"]
        assert name == CHART_FILENAME and name.endswith(".png")
        assert sent.json["files"][name].startswith(PNG)

    async def test_before_any_round_there_is_no_chart(self, world: DiscordWorld) -> None:
        before = len(world.fake.calls)
        [stats] = await world.slash(ADMIN, "unmentor-admin stats", admin=True)
        assert "No rounds have run yet." in stats
        assert not [c for c in world.fake.calls[before:] if c.json and c.json.get("files")]
