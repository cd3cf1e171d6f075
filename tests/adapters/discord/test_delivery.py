"""Delivery over Discord: rate limits, closed DMs, DMs when there is no intros channel, restarts."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from adapters.discord.app import UnmentorBot
from adapters.discord.platform import ClosedDMs, delivery_error
from pairing_core.message import OutboxStatus
from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import (
    COMMUNITY,
    REFLECTIONS,
    DiscordWorld,
    UserRef,
    edit_of,
    texts,
)
from tests.adapters.discord.fake_discord import (
    OWNER,
    Call,
    discord_error,
    rate_limited,
)
from tests.adapters.discord.test_round import ADMIN, ALICE, BOB, move_to, start_round, thread_of


def _http_error(status: int, code: int, headers: dict[str, str] | None = None) -> Exception:
    response = SimpleNamespace(status=status, reason="", headers=headers or {})
    return discord.HTTPException(response, {"code": code, "message": "refused"})  # type: ignore[arg-type]


class TestErrorMapping:
    @pytest.mark.parametrize(
        ("status", "code", "permanent"),
        [(403, 50007, True), (403, 50001, True), (404, 10003, True), (400, 50035, True)],
    )
    def test_refusals_are_permanent(self, status: int, code: int, permanent: bool) -> None:
        assert delivery_error(_http_error(status, code)).permanent is permanent

    def test_closed_dms_are_recognised(self) -> None:
        assert isinstance(delivery_error(_http_error(403, 50007)), ClosedDMs)

    def test_rate_limits_and_server_errors_are_retried_after_discords_wait(self) -> None:
        limited = delivery_error(_http_error(429, 0, {"Retry-After": "2.5"}))
        assert (limited.permanent, limited.retry_after) == (False, 2.5)
        assert delivery_error(_http_error(503, 0)).permanent is False
        too_long = delivery_error(discord.RateLimited(120.0))
        assert (too_long.permanent, too_long.retry_after) == (False, 120.0)


async def _outbox_status(world: DiscordWorld, key: str) -> OutboxStatus:
    async with world.services().uow as uow:
        item = await uow.outbox.get(COMMUNITY, key)
    assert item is not None
    return item.status


class TestRateLimits:
    async def test_a_429_is_waited_out_and_the_intro_is_sent_once(
        self, world: DiscordWorld
    ) -> None:
        refused: list[Call] = []

        def once(call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
            if call.method == "POST" and call.path.endswith("/messages") and not refused:
                refused.append(call)
                return rate_limited(0.05)
            return None

        world.fake.failures.append(once)
        round_ = await start_round(world, ALICE, BOB)
        thread = thread_of(world, round_.groups[0].members)
        assert len(refused) == 1
        assert len(world.fake.called("POST", f"/channels/{thread}/messages")) == 2
        assert len(world.fake.messages[thread]) == 1
        assert await _outbox_status(world, "round:1:group:0:intro") is OutboxStatus.SENT

    async def test_a_server_error_leaves_the_intro_to_retry_in_the_same_thread(
        self, world: DiscordWorld
    ) -> None:
        down = [True]

        def unavailable(call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
            if down[0] and call.path.endswith("/messages"):
                return discord_error(503, 0, "Service Unavailable")
            return None

        world.fake.failures.append(unavailable)
        round_ = await start_round(world, ALICE, BOB)
        assert await _outbox_status(world, "round:1:group:0:intro") is OutboxStatus.PENDING
        down[0] = False
        world.clock.current = round_.intro_at.replace(hour=23)
        await world.bot.deps.deliver()
        assert len(world.fake.threads) == 1  # the retry used the thread opened the first time
        [thread] = world.fake.threads
        assert len(world.fake.messages[thread]) == 1


class TestDirectMessages:
    async def test_without_an_intros_channel_each_member_gets_a_dm_naming_their_partner(
        self, world: DiscordWorld
    ) -> None:
        await start_round(world, ALICE, BOB, channel=False)
        assert world.fake.threads == {}
        alice_dm, bob_dm = world.fake.messages[f"9{ALICE}"], world.fake.messages[f"9{BOB}"]
        bob_name = world.fake.users[BOB]["global_name"]
        assert alice_dm[0]["content"].startswith(
            f"Your UnMentoring group: you and **{bob_name}** (<@{BOB}>)."
        )
        assert "**UnMentoring round 1**" in bob_dm[0]["content"]

    async def test_closed_dms_get_a_private_thread_and_the_admins_are_told_once(
        self, world: DiscordWorld
    ) -> None:
        world.fake.closed_dms.add(ALICE)
        world.fake.system_channel = "600000000000000003"
        round_ = await start_round(world, ALICE, BOB, channel=False)

        [thread] = world.fake.threads
        assert world.fake.threads[thread]["members"] == [ALICE]
        # with its suggested times the intro is over Discord's 2000 characters: two parts
        told, rest = world.fake.messages[thread]
        assert told["content"].startswith(f"<@{ALICE}> I couldn't send you a direct message")
        assert "**UnMentoring round 1**" in told["content"]
        assert rest["content"].startswith("Find a time before")
        assert len(world.fake.messages[f"9{BOB}"]) == 1
        [notice] = world.fake.messages[f"9{OWNER}"]  # no admins named: the server owner
        assert notice["content"].startswith(f"<@{ALICE}> doesn't accept direct messages")

        await move_to(world, round_.checkin_at)
        assert len(world.fake.messages[f"9{OWNER}"]) == 1  # told once, not at every message
        assert len(world.fake.messages[thread]) == 3

    async def test_with_nowhere_to_tell_them_the_message_fails_and_admins_hear_why(
        self, world: DiscordWorld
    ) -> None:
        world.fake.closed_dms.update({ALICE, BOB})
        await world.slash(ADMIN, "unmentor-admin settings", admin=True, add_admin=UserRef(ADMIN))
        await start_round(world, ALICE, BOB, channel=False)
        assert await _outbox_status(world, "round:1:group:0:intro") is OutboxStatus.FAILED
        notices = [m["content"] for m in world.fake.messages[f"9{ADMIN}"]]
        assert any("I couldn't deliver a message (round:1:group:0:intro)" in n for n in notices)
        assert sum("doesn't accept direct messages" in n for n in notices) == 2


class TestRestart:
    async def test_buttons_posted_before_a_restart_still_work(self, world: DiscordWorld) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.checkin_at)
        checkin = world.fake.messages[thread_of(world, round_.groups[0].members)][-1]

        await world.bot.close()
        services = world.bot.deps.new_services
        restarted = UnmentorBot(services, world.clock, sync_commands=False)
        await restarted.login("test-token")
        world.bot = restarted
        replies = await world.click(ALICE, checkin, "Not this time")
        assert "answered" in edit_of(replies)["content"]
        assert texts(replies)[-1:] == ["Thanks, noted."]
        async with services().uow as uow:
            stored = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert stored is not None and stored.groups[0].checkin_by == ALICE
        assert REFLECTIONS not in world.fake.messages
