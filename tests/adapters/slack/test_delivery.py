"""Deliveries through the Slack Web API: rate limits are waited out, refusals reported once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.slack.platform import SlackPlatform
from pairing_core.message import SENT_REF, OutboxStatus
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM, Call, rate_limited, slack_error
from tests.adapters.slack.test_round import start_round


class TestRateLimits:
    async def test_a_429_is_retried_after_retry_after_without_duplicates_or_losses(
        self, world: SlackWorld
    ) -> None:
        limited = {"left": 1}

        def once_limited(call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
            if call.method == "chat.postMessage" and limited["left"]:
                limited["left"] -= 1
                return rate_limited(30)
            return None

        world.slack.failures.append(once_limited)
        await start_round(world, "U1", "U2")
        attempts = world.slack.called("chat.postMessage")
        assert len(attempts) == 1  # refused with 429
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.PENDING
        assert item.not_before == world.clock.now() + timedelta(seconds=30)
        assert item.last_error == "ratelimited"

        await world.deps.deliver()  # too early: Slack asked for 30 seconds
        assert len(world.slack.called("chat.postMessage")) == 1

        world.clock.advance(seconds=31)
        await world.deps.deliver()
        await world.deps.deliver()
        assert len(world.slack.called("chat.postMessage")) == 2
        assert len(world.slack.called("conversations.open")) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, "round:1:group:0:intro")
        # the 429 was a request to slow down, not a failed attempt: one attempt is counted
        assert item is not None and item.status is OutboxStatus.SENT and item.attempts == 1


class TestRefusals:
    @pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
    async def test_an_unusable_reflections_channel_fails_the_post_and_tells_admins_once(
        self, world: SlackWorld, error: str
    ) -> None:
        world.slack.failures.append(
            lambda call: (
                slack_error(error)
                if call.method == "chat.postMessage" and call.args["channel"] == "CREFL"
                else None
            )
        )
        await start_round(world, "U1", "U2")
        reply = await world.command("U1", "reflect Good chat")
        assert reply == (
            "Thank you — your takeaway for round 1, credited to you and <@U2>, will appear in "
            "<#CREFL>."
        )
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, "round:1:group:0:takeaway")
        assert item is not None
        assert (item.status, item.last_error) == (OutboxStatus.FAILED, error)

        await world.deps.deliver()
        notices = [
            c.args for c in world.slack.called("chat.postMessage") if c.args["channel"] == "DUADMIN"
        ]
        assert len(notices) == 1
        assert "I couldn't deliver a message (round:1:group:0:takeaway) to <#CREFL>" in str(
            notices[0]["text"]
        )
        assert error in str(notices[0]["text"])

    async def test_a_person_who_left_slack_is_not_retried(self, world: SlackWorld) -> None:
        world.slack.failures.append(
            lambda call: (
                slack_error("user_not_found") if call.method == "conversations.open" else None
            )
        )
        await start_round(world, "U1", "U2")
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.FAILED
        assert item.last_error == "user_not_found" and item.attempts == 1


class TestPermalinks:
    """A takeaway already posted is recorded sent once, unlinked, whatever fails in linking it."""

    @pytest.mark.parametrize(
        "failure",
        ["chat.getPermalink refused", "workspace no longer installed", "token store unreachable"],
    )
    async def test_a_failure_after_the_post_leaves_it_sent_once_with_the_plain_reference(
        self, world: SlackWorld, failure: str
    ) -> None:
        def posted_to_channel() -> bool:
            return any(
                c.args.get("channel") == "CREFL" for c in world.slack.called("chat.postMessage")
            )

        failed = {"done": False}

        async def token(team_id: str) -> str | None:
            """The workspace's token, but the first lookup after the post fails as scripted."""
            if failure == "chat.getPermalink refused" or failed["done"] or not posted_to_channel():
                return "xoxb-test"
            failed["done"] = True
            if failure == "token store unreachable":
                raise ConnectionRefusedError("could not reach the database")
            return None

        world.deps.platform = SlackPlatform(world.deps.platform.client, tokens=token)
        if failure == "chat.getPermalink refused":
            world.slack.failures.append(
                lambda call: (
                    slack_error("internal_error") if call.method == "chat.getPermalink" else None
                )
            )
        await start_round(world, "U1", "U2")
        await world.command("U1", "reflect Good chat")
        world.clock.advance(minutes=10)  # past any retry's backoff and the claim's lease
        await world.deps.deliver()

        [takeaway] = world.slack.shown_in("CREFL")
        async with world.services().uow as uow:
            item = await uow.outbox.get(TEAM, "round:1:group:0:takeaway")
        assert item is not None and item.status is OutboxStatus.SENT
        assert item.extra[SENT_REF] == f"CREFL:{takeaway['ts']}" and item.link is None
