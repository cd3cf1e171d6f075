"""The round's close on Slack: one message with the summary and its chart, linking each takeaway."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.platform import CHART_NOT_ATTACHED, SlackPlatform
from adapters.slack.shares import COMMENT_LIMIT, comment_within_limit
from pairing_core.message import OutboxItem, OutboxStatus
from pairing_core.services.outcome_figures import CHART_FILENAME
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM, Call, Failure, slack_error
from tests.adapters.slack.test_round import move_to, start_round
from tests.adapters.slack.test_stats_chart import PNG

Answer = tuple[int, dict[str, object], dict[str, str]]


def summaries(world: SlackWorld) -> list[dict[str, Any]]:
    """The round summaries people see in the reflections channel."""
    return [m for m in world.slack.shown_in("CREFL") if "is over" in str(m["text"])]


async def summary_item(world: SlackWorld) -> OutboxItem:
    async with world.services().uow as uow:
        item = await uow.outbox.get(TEAM, "round:1:summary")
    assert item is not None
    return item


def refuse(method: str, error: str, times: int | None = None) -> Failure:
    """A scripted failure: ``method`` answers ``error`` (the first ``times`` calls, or always)."""
    refused: list[Call] = []

    def answer(call: Call) -> Answer | None:
        if call.method == method and (times is None or len(refused) < times):
            refused.append(call)
            return (500, {"ok": False}, {}) if method == "upload" else slack_error(error)
        return None

    return answer


class TestRoundSummary:
    async def test_the_summary_links_each_takeaway_to_its_post(self, world: SlackWorld) -> None:
        round_ = await start_round(world, "U1", "U2")
        await world.command("U1", "reflect Councils share more than we think")
        [asked] = world.slack.called("chat.getPermalink")
        assert asked.args["channel"] == "CREFL"
        ts = asked.args["message_ts"]
        link = f"https://localgov.slack.com/archives/CREFL/p{ts.replace('.', '')}"

        await move_to(world, round_.close_at)
        [takeaway, summary] = world.slack.shown_in("CREFL")
        assert summary["text"] == (
            "*Round 1 is over.* 0 of 1 group said they met.\n"
            "1 takeaway was shared:\n"
            f"> Councils share more than we think (<{link}|see the post>)"
        )
        assert takeaway["text"].endswith("> Councils share more than we think")

    async def test_the_summary_and_its_chart_arrive_as_one_message(self, world: SlackWorld) -> None:
        round_ = await start_round(world, "U1", "U2")
        await move_to(world, round_.close_at)
        [summary] = world.slack.shown_in("CREFL")
        assert summary["text"].startswith("*Round 1 is over.*")
        [chart] = summary["files"]
        assert (chart["name"], chart["mimetype"]) == (CHART_FILENAME, "image/png")
        assert world.slack.uploaded(chart["id"]).startswith(PNG)
        to_channel = [
            c.method
            for c in world.slack.calls
            if "CREFL" in (c.args.get("channel"), c.args.get("channel_id"))
        ]
        assert to_channel == ["files.completeUploadExternal", "chat.getPermalink"]
        item = await summary_item(world)
        assert item.status is OutboxStatus.SENT
        ts = str(summary["ts"]).replace(".", "")
        assert item.link == f"https://localgov.slack.com/archives/CREFL/p{ts}"

    async def test_before_slack_names_the_shared_message_the_summary_links_its_chart(
        self, world: SlackWorld
    ) -> None:
        world.slack.shares_pending = True
        round_ = await start_round(world, "U1", "U2")
        await move_to(world, round_.close_at)
        [summary] = summaries(world)
        [chart] = summary["files"]
        item = await summary_item(world)
        assert item.status is OutboxStatus.SENT and item.link == chart["permalink"]
        assert not world.slack.called("chat.getPermalink")

    async def test_a_summary_too_long_to_share_whole_is_cut_at_a_line_and_says_so(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, *(f"U{n}" for n in range(1, 7)))
        assert len(round_.groups) == 3
        for group in round_.groups:
            await world.command(group.members[0], f"reflect {group.index} " + "x" * 1800)
        await move_to(world, round_.close_at)
        [summary] = summaries(world)
        full = (await summary_item(world)).message.text
        assert len(full) > COMMENT_LIMIT >= len(summary["text"])
        assert summary["text"] == comment_within_limit(full)
        *kept, note = summary["text"].split("\n")
        assert full.startswith("\n".join(kept) + "\n")
        assert note.startswith("_…and 1 more line: ") and "own post in this channel" in note
        assert len(summary["files"]) == 1


class TestRoundSummaryRetries:
    @pytest.mark.parametrize(
        "step", ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    )
    async def test_a_failed_step_retried_after_a_restart_shows_the_summary_once(
        self, world: SlackWorld, step: str
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        world.slack.failures.append(refuse(step, "internal_error", times=1))
        await move_to(world, round_.close_at)
        assert summaries(world) == []
        assert (await summary_item(world)).status is OutboxStatus.PENDING

        # a new process (or another replica) takes over: it knows nothing of the first attempt
        client = world.deps.platform.client
        world.deps.platform = SlackPlatform(AsyncWebClient(token="x", base_url=client.base_url))
        await move_to(world, round_.close_at + timedelta(minutes=1))
        [summary] = world.slack.shown_in("CREFL")
        [chart] = summary["files"]
        assert world.slack.uploaded(chart["id"]).startswith(PNG)
        assert (await summary_item(world)).status is OutboxStatus.SENT

    async def test_a_share_slack_made_whose_answer_was_lost_is_found_not_shared_again(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        lost: list[Call] = []

        def first_share(call: Call) -> bool:
            if call.method == "files.completeUploadExternal" and not lost:
                lost.append(call)
                return True
            return False

        world.slack.lost_answers.append(first_share)
        await move_to(world, round_.close_at)
        assert len(summaries(world)) == 1  # Slack shared it; the bot heard a 500
        assert (await summary_item(world)).status is OutboxStatus.PENDING

        await move_to(world, round_.close_at + timedelta(minutes=1))
        [summary] = summaries(world)
        assert len(world.slack.called_apart_from_invites("files.completeUploadExternal")) == 1
        item = await summary_item(world)
        assert item.status is OutboxStatus.SENT
        assert (
            item.link
            == f"https://localgov.slack.com/archives/CREFL/p{summary['ts'].replace('.', '')}"
        )


class TestRoundSummaryRefusals:
    @pytest.mark.parametrize(
        ("error", "note"),
        [
            ("missing_scope", CHART_NOT_ATTACHED),  # an install from before files:write
            (
                "file_uploads_disabled",
                "_The outcome chart isn't attached: Slack refused the upload "
                "(file_uploads_disabled)._",
            ),
        ],
        ids=["without-files-write", "uploads-disabled"],
    )
    async def test_a_file_refused_before_sharing_leaves_the_text_posted_once_saying_why(
        self, world: SlackWorld, error: str, note: str
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        world.slack.failures.append(refuse("files.getUploadURLExternal", error))
        await move_to(world, round_.close_at)
        [summary] = world.slack.shown_in("CREFL")
        item = await summary_item(world)
        assert summary["text"] == f"{item.message.text}\n{note}" and not summary["files"]
        assert summary["text"].startswith("*Round 1 is over.*")
        assert not world.slack.called("chat.update") and not world.slack.called_apart_from_invites(
            "upload"
        )
        assert item.status is OutboxStatus.SENT

    async def test_a_share_refused_for_good_shows_nothing_and_tells_the_admins_why(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")
        world.slack.failures.append(refuse("files.completeUploadExternal", "not_in_channel"))
        await move_to(world, round_.close_at)
        assert world.slack.shown_in("CREFL") == []
        item = await summary_item(world)
        assert (item.status, item.last_error) == (OutboxStatus.FAILED, "not_in_channel")
        await world.deps.deliver()
        [notice] = [m for m in world.slack.shown_in("DUADMIN") if "round:1:summary" in m["text"]]
        assert "<#CREFL>" in notice["text"] and "not_in_channel" in notice["text"]
