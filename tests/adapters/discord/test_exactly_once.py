"""A message Discord took, retried after its answer was lost, shows once (nonce, enforce_nonce)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from adapters.discord.platform import DiscordPlatform
from pairing_core.message import Message, OutboxStatus
from pairing_core.services.delivery import LEASE
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld
from tests.adapters.discord.fake_discord import GUILD, Call
from tests.adapters.discord.test_round import ALICE, BOB, start_round, thread_of


class TestAnIntroWhoseAnswerWasLost:
    async def test_is_shown_once_when_sent_again(self, world: DiscordWorld) -> None:
        lost: list[Call] = []

        def first_intro_post(call: Call) -> bool:
            if call.method == "POST" and call.path.endswith("/messages") and not lost:
                lost.append(call)
                return True
            return False

        world.fake.lost_answers.append(first_intro_post)
        round_ = await start_round(world, ALICE, BOB)
        thread = thread_of(world, round_.groups[0].members)
        assert len(lost) == 1  # Discord took it; the bot heard a 503
        world.clock.advance(minutes=1)  # past the retry's backoff
        await world.bot.deps.deliver()

        posts = world.fake.called("POST", f"/channels/{thread}/messages")
        assert len(posts) == 2  # sent again, with the same nonce, enforced
        assert posts[0].json["nonce"] == posts[1].json["nonce"]
        assert posts[1].json["enforce_nonce"] is True
        assert len(world.fake.messages[thread]) == 1  # shown once
        async with world.services().uow as uow:
            item = await uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.SENT
        assert len(world.fake.threads) == 1  # the retry reused the group's thread


class DiesOnce(DiscordPlatform):
    died = False  # set on the instance when it dies

    def die_once(self) -> None:
        if not self.died:
            self.died = True
            raise asyncio.CancelledError  # what a dying process leaves: nothing recorded


class DiesAfterPosting(DiesOnce):
    """The bot process dies just after Discord took the intro, before the send is recorded."""

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        ref = await super().send(community_id, conversation_id, message)
        self.die_once()
        return ref


class DiesAfterOpening(DiesOnce):
    """The bot process dies just after Discord opened the group's thread, before it is recorded."""

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        thread = await super().open_group(community_id, member_ids)
        self.die_once()
        return thread


class TestAnIntroCutShortByACrash:
    async def test_is_retried_in_the_same_thread_and_shown_once(self, world: DiscordWorld) -> None:
        deps = world.bot.deps
        deps.platform = DiesAfterPosting(deps.http, deps.intros_channel)
        round_ = await start_round(world, ALICE, BOB)
        thread = thread_of(world, round_.groups[0].members)
        assert len(world.fake.messages[thread]) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.PENDING

        # a new process, which knows nothing of the thread, once the lease has run out
        deps.platform = DiscordPlatform(deps.http, deps.intros_channel)
        world.clock.advance(seconds=LEASE.total_seconds() + 1)
        await deps.deliver()
        assert len(world.fake.threads) == 1
        assert len(world.fake.messages[thread]) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.SENT


class TestAGroupThreadOpenedJustBeforeACrash:
    async def test_is_reused_so_the_group_sees_one_thread(self, world: DiscordWorld) -> None:
        deps = world.bot.deps
        deps.platform = DiesAfterOpening(deps.http, deps.intros_channel)
        await start_round(world, ALICE, BOB)
        assert len(world.fake.threads) == 1
        [opened] = world.fake.threads
        assert world.fake.messages.get(opened) is None  # died before the intro was posted

        # a new process, which knows nothing of the thread, once the lease has run out
        deps.platform = DiscordPlatform(deps.http, deps.intros_channel)
        world.clock.advance(seconds=LEASE.total_seconds() + 1)
        await deps.deliver()
        assert list(world.fake.threads) == [opened]
        assert sorted(world.fake.threads[opened]["members"]) == sorted([ALICE, BOB])
        assert len(world.fake.messages[opened]) == 1
        async with world.services().uow as uow:
            item = await uow.outbox.get(COMMUNITY, "round:1:group:0:intro")
        assert item is not None and item.status is OutboxStatus.SENT
        assert item.conversation_id == opened

    async def test_a_first_attempt_does_not_look_for_one(self, world: DiscordWorld) -> None:
        await start_round(world, ALICE, BOB)
        assert len(world.fake.threads) == 1
        assert world.fake.called("GET", f"/guilds/{GUILD}/threads/active") == []
