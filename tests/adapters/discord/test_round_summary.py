"""The round's close on Discord: the summary links each takeaway and carries the chart."""

from __future__ import annotations

from pairing_core.services.outcome_figures import CHART_FILENAME
from tests.adapters.discord.conftest import CHANNEL, REFLECTIONS, DiscordWorld
from tests.adapters.discord.fake_discord import GUILD
from tests.adapters.discord.test_round import ALICE, BOB, move_to, start_round
from tests.adapters.discord.test_stats_chart import PNG


async def share_takeaway(world: DiscordWorld, member: str, text: str) -> None:
    """Open the takeaway form with ``/unmentor reflect`` and submit it, shared publicly."""
    payload = world._base(member, 2, world._channel_of(CHANNEL), False)
    payload["data"] = world._command_data("unmentor reflect", {})
    [opened] = await world.dispatch(payload)
    await world.submit(member, opened.json["data"], {"takeaway": text}, CHANNEL)
    await world.bot.deps.deliver()


class TestRoundSummary:
    async def test_the_summary_links_each_takeaway_with_its_jump_url(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await share_takeaway(world, ALICE, "Councils share more than we think")
        [takeaway] = world.fake.messages[REFLECTIONS]
        jump = f"https://discord.com/channels/{GUILD}/{REFLECTIONS}/{takeaway['id']}"

        await move_to(world, round_.close_at)
        [_, summary] = world.fake.messages[REFLECTIONS]
        assert summary["content"] == (
            "**Round 1 is over.** 0 of 1 group said they met.\n"
            "1 takeaway was shared:\n"
            f"> Councils share more than we think ([see the post]({jump}))"
        )

    async def test_the_summary_carries_the_chart_as_a_png_file(self, world: DiscordWorld) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.close_at)
        [summary] = world.fake.messages[REFLECTIONS]
        assert summary["content"].startswith("**Round 1 is over.**")
        [post] = world.fake.called("POST", f"/channels/{REFLECTIONS}/messages")
        assert post.json["multipart"] and post.json["content"] == summary["content"]
        assert list(post.json["files"]) == [CHART_FILENAME]
        assert post.json["files"][CHART_FILENAME].startswith(PNG)
