"""The round's close on Slack: the summary in the reflections channel links each takeaway's post."""

from __future__ import annotations

from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.test_round import move_to, posted, start_round


class TestRoundSummary:
    async def test_the_summary_links_each_takeaway_to_its_post(self, world: SlackWorld) -> None:
        round_ = await start_round(world, "U1", "U2")
        await world.command("U1", "reflect Councils share more than we think")
        [takeaway] = posted(world, "CREFL")
        [asked] = world.slack.called("chat.getPermalink")
        assert asked.args["channel"] == "CREFL"
        ts = asked.args["message_ts"]
        link = f"https://localgov.slack.com/archives/CREFL/p{ts.replace('.', '')}"

        await move_to(world, round_.close_at)
        [_, summary] = posted(world, "CREFL")
        assert summary["text"] == (
            "*Round 1 is over.* 0 of 1 group said they met.\n"
            "1 takeaway was shared:\n"
            f"> Councils share more than we think (<{link}|see the post>)"
        )
        assert takeaway["text"].endswith("> Councils share more than we think")
