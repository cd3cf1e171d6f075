"""A message whose send may have reached Slack before the bot knew is looked for, not posted again.

Slack's Web API takes no idempotency key: each post carries its outbox key in its metadata, and
an item whose earlier attempt was cut short (a crash, or an answer lost on the way back) is
looked for in the conversation's recent history before it is sent again.
"""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from adapters.slack.platform import SlackPlatform
from bot.slack_config import SlackSettings
from bot.slack_wiring import slack_client
from pairing_core.message import SENT_REF, OutboxStatus
from tests.adapters.slack.conftest import SECRET, SlackWorld
from tests.adapters.slack.fake_slack import TEAM, Call, slack_error
from tests.adapters.slack.test_round import start_round

INTRO = "round:1:group:0:intro"
KEY = f"{TEAM}/{INTRO}"


def first_post_of_intro(call: Call) -> bool:
    return call.method == "chat.postMessage" and "say hello" in str(call.args.get("text"))


async def retry(world: SlackWorld) -> None:
    world.clock.advance(minutes=1)  # past the backoff of the failed attempt
    await world.deps.deliver()


class TestOutboxKeyInMetadata:
    async def test_each_post_carries_its_outbox_key_and_a_first_attempt_reads_no_history(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        [intro] = [c for c in world.slack.called("chat.postMessage") if first_post_of_intro(c)]
        assert intro.args["metadata"] == {
            "event_type": "unmentor_outbox",
            "event_payload": {"key": KEY},
        }
        assert world.slack.called("conversations.history") == []


class TestAPostWhoseAnswerWasLost:
    async def test_is_found_in_the_conversation_and_recorded_without_posting_again(
        self, world: SlackWorld
    ) -> None:
        lost = {"left": 1}

        def once(call: Call) -> bool:
            if first_post_of_intro(call) and lost["left"]:
                lost["left"] -= 1
                return True
            return False

        world.slack.lost_answers.append(once)
        await start_round(world, "U1", "U2")
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, INTRO)
        assert item is not None and item.status is OutboxStatus.PENDING
        assert item.attempt_started_at is not None  # may have reached Slack

        await retry(world)
        [shown] = world.slack.posted_for(KEY)  # once, not twice
        [look] = world.slack.called("conversations.history")
        assert look.args["channel"] == shown["channel"]
        assert look.args["include_all_metadata"] in ("1", "true", True)
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, INTRO)
        assert item is not None and item.status is OutboxStatus.SENT
        assert item.extra[SENT_REF] == f"{shown['channel']}:{shown['ts']}"
        assert item.attempt_started_at is None

    async def test_without_the_history_scope_it_is_posted_again_and_the_log_says_why(
        self, world: SlackWorld, caplog: pytest.LogCaptureFixture
    ) -> None:
        # an install from before the history scopes were asked for
        world.slack.lost_answers.append(first_post_of_intro)
        world.slack.failures.append(
            lambda call: (
                slack_error("missing_scope") if call.method == "conversations.history" else None
            )
        )
        await start_round(world, "U1", "U2")
        world.slack.lost_answers.clear()
        with caplog.at_level(logging.WARNING):
            await retry(world)
        assert len(world.slack.posted_for(KEY)) == 2  # as before the look-up existed
        assert any(
            "may have been posted already (missing_scope)" in r.getMessage() for r in caplog.records
        )

    async def test_a_history_that_fails_for_now_posts_nothing_until_it_can_be_read(
        self, world: SlackWorld
    ) -> None:
        world.slack.lost_answers.append(first_post_of_intro)
        down = {"on": True}
        world.slack.failures.append(
            lambda call: (
                (500, {"ok": False, "error": "internal_error"}, {})
                if call.method == "conversations.history" and down["on"]
                else None
            )
        )
        await start_round(world, "U1", "U2")
        world.slack.lost_answers.clear()
        await retry(world)
        assert len(world.slack.posted_for(KEY)) == 1
        down["on"] = False
        world.clock.advance(minutes=5)
        await world.deps.deliver()
        assert len(world.slack.posted_for(KEY)) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, INTRO)
        assert item is not None and item.status is OutboxStatus.SENT


class TestAPostWhoseConnectionDroppedBeforeTheAnswer:
    async def test_is_not_resent_blindly_but_found_on_the_retry(self, world: SlackWorld) -> None:
        dropped: list[Call] = []

        def once(call: Call) -> bool:
            if first_post_of_intro(call) and not dropped:
                dropped.append(call)
                return True
            return False

        world.slack.dropped_answers.append(once)
        # the client the bot runs with, which resends a call whose connection dropped
        settings = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{world.slack.base_url}/api/",
        )
        world.deps.platform = SlackPlatform(slack_client(settings))
        await start_round(world, "U1", "U2")
        assert len(dropped) == 1
        assert len(world.slack.posted_for(KEY)) == 1  # the client did not post it again at once
        await retry(world)
        assert len(world.slack.posted_for(KEY)) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, INTRO)
        assert item is not None and item.status is OutboxStatus.SENT


class TestAnAttemptThatNeverReachedSlack:
    async def test_is_looked_for_then_posted_once(self, world: SlackWorld) -> None:
        refused = {"left": 1}

        def once(call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
            if first_post_of_intro(call) and refused["left"]:
                refused["left"] -= 1
                return 500, {"ok": False, "error": "internal_error"}, {}
            return None

        world.slack.failures.append(once)
        await start_round(world, "U1", "U2")
        assert world.slack.posted_for(KEY) == []
        await retry(world)
        assert len(world.slack.posted_for(KEY)) == 1
        assert len(world.slack.called("conversations.history")) == 1
