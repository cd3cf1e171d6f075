"""The round's close on Slack: the summary links each takeaway's post; the chart follows it."""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.platform import CHART_NOT_ATTACHED
from pairing_core.services.outcome_report import CHART_FILENAME
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import Call, slack_error
from tests.adapters.slack.test_round import move_to, posted, start_round
from tests.adapters.slack.test_stats_chart import PNG, refuse_uploads

Answer = tuple[int, dict[str, object], dict[str, str]]


def summaries(world: SlackWorld) -> list[dict[str, object]]:
    return [m for m in posted(world, "CREFL") if "is over" in str(m["text"])]


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

    async def test_the_chart_is_uploaded_to_the_channel_after_the_summary(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        await move_to(world, round_.close_at)
        [summary] = summaries(world)
        assert "Round 1 is over." in str(summary["text"])
        [asked] = world.slack.called("files.getUploadURLExternal")
        assert asked.args["filename"] == CHART_FILENAME
        [completed] = world.slack.called("files.completeUploadExternal")
        assert completed.args["channel_id"] == "CREFL"
        [uploaded] = completed.args["files"]
        assert world.slack.uploaded(uploaded["id"]).startswith(PNG)
        to_channel = [
            c.method
            for c in world.slack.calls
            if "CREFL" in (c.args.get("channel"), c.args.get("channel_id"))
        ]
        assert to_channel == [
            "chat.postMessage",
            "files.completeUploadExternal",
            "chat.getPermalink",
        ]

    async def test_an_upload_that_fails_for_a_while_does_not_post_the_summary_twice(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        failed: list[Call] = []

        def slack_down_once(call: Call) -> Answer | None:
            if call.method == "files.getUploadURLExternal" and not failed:
                failed.append(call)
                return slack_error("internal_error")
            return None

        world.slack.failures.append(slack_down_once)
        await move_to(world, round_.close_at)
        assert len(summaries(world)) == 1 and not world.slack.called("upload")
        await move_to(world, round_.close_at + timedelta(minutes=1))
        assert len(summaries(world)) == 1
        [completed] = world.slack.called("files.completeUploadExternal")
        assert completed.args["channel_id"] == "CREFL"

    async def test_without_files_write_the_summary_says_the_chart_is_missing(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        world.slack.failures.append(refuse_uploads)
        await move_to(world, round_.close_at)
        [summary] = summaries(world)
        [update] = world.slack.called("chat.update")
        assert update.args["channel"] == "CREFL"
        assert update.args["text"] == f"{summary['text']}\n{CHART_NOT_ATTACHED}"
        assert "files:write" in CHART_NOT_ATTACHED
        async with world.services().uow as uow:
            item = await uow.outbox.get("T1", "round:1:summary")
        assert item is not None and item.status.value == "sent"
