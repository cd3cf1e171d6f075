from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.message import Message, OutboxStatus, Target
from pairing_core.pacing import CONVERSATION_KEY
from pairing_core.programme import GENERAL
from tests.integration.objects import T0, a_member, an_outbox_item

NewUow = Callable[[], SqlAlchemyUnitOfWork]


class TestOutboxRepository:
    async def test_gives_back_the_item_with_every_field(
        self, community: Community, new_uow: NewUow
    ) -> None:
        item = an_outbox_item(
            "round:1:group:0:intro",
            target=Target.channel("C-reflections"),
            message=Message("Plain text"),
            status=OutboxStatus.FAILED,
            attempts=3,
            last_error="channel_not_found",
            sent_at=T0 + timedelta(minutes=1),
            conversation_id="G123",
            not_before=T0 + timedelta(hours=1),
            extra={"round": 1, "members": ["ana", "bo"], "nested": {"ok": True}},
        )
        async with new_uow() as uow:
            assert await uow.outbox.add(item) is True
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.outbox.get(community.id, item.key) == item
            assert await uow.outbox.get(community.id, "no-such-key") is None

    async def test_adds_each_key_once_and_keeps_the_transaction_usable(
        self, community: Community, new_uow: NewUow
    ) -> None:
        original = an_outbox_item("round:1:intro", message=Message("first"))
        async with new_uow() as uow:
            assert await uow.outbox.add(original) is True
            assert await uow.outbox.add(an_outbox_item("round:1:intro")) is False
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.outbox.add(an_outbox_item("round:1:intro")) is False
            await uow.members.add(a_member("ana"))
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.outbox.get(community.id, "round:1:intro") == original
            assert await uow.members.get(community.id, "ana", programme_id=GENERAL) is not None

    async def test_saves_delivery_progress(self, community: Community, new_uow: NewUow) -> None:
        item = an_outbox_item("round:1:intro")
        async with new_uow() as uow:
            await uow.outbox.add(item)
            await uow.commit()
        item.status, item.attempts, item.sent_at = OutboxStatus.SENT, 1, T0 + timedelta(seconds=5)
        item.conversation_id, item.extra = "G1", {"ref": "m1"}
        async with new_uow() as uow:
            await uow.outbox.save(item)
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.outbox.get(community.id, item.key) == item

    async def test_pending_gives_due_pending_items_oldest_first(
        self, community: Community, new_uow: NewUow
    ) -> None:
        now = T0 + timedelta(hours=1)
        items = [
            an_outbox_item("newest", created_at=T0 + timedelta(minutes=3)),
            an_outbox_item("oldest", created_at=T0),
            an_outbox_item("due-now", created_at=T0 + timedelta(minutes=1), not_before=now),
            an_outbox_item("later", created_at=T0, not_before=now + timedelta(seconds=1)),
            an_outbox_item("sent", created_at=T0, status=OutboxStatus.SENT),
            an_outbox_item("failed", created_at=T0, status=OutboxStatus.FAILED),
            an_outbox_item("middle", created_at=T0 + timedelta(minutes=2)),
        ]
        async with new_uow() as uow:
            for item in items:
                await uow.outbox.add(item)
            await uow.commit()
        async with new_uow() as uow:
            due = await uow.outbox.pending(now)
            first_two = await uow.outbox.pending(now, limit=2)
        assert [i.key for i in due] == ["oldest", "due-now", "middle", "newest"]
        assert [i.key for i in first_two] == ["oldest", "due-now"]

    async def test_a_second_worker_skips_items_the_first_holds_on_postgresql(
        self, community: Community, new_uow: NewUow, engine: AsyncEngine
    ) -> None:
        async with new_uow() as uow:
            for key in ("a", "b", "c"):
                await uow.outbox.add(an_outbox_item(key))
            await uow.commit()
        async with new_uow() as first, new_uow() as second:
            held = await first.outbox.pending(T0, limit=2)
            rest = await second.outbox.pending(T0)
        assert [i.key for i in held] == ["a", "b"]
        # SQLite has no row locks (its writers take turns), so there both workers see every item.
        expected = ["c"] if engine.dialect.name == "postgresql" else ["a", "b", "c"]
        assert [i.key for i in rest] == expected


class TestClaimsByPlatform:
    async def test_a_worker_for_one_platform_claims_only_its_communities_items(
        self, community: Community, new_uow: NewUow
    ) -> None:
        import dataclasses

        discord = dataclasses.replace(community, id="discord:42", platform="discord")
        async with new_uow() as uow:
            await uow.communities.add(discord)
            await uow.outbox.add(an_outbox_item("slack-intro"))
            await uow.outbox.add(
                dataclasses.replace(an_outbox_item("discord-intro"), community_id=discord.id)
            )
            await uow.commit()
        async with new_uow() as uow:
            claimed = await uow.outbox.claim(T0, 10, timedelta(minutes=5), "discord")
            await uow.commit()
        assert [i.key for i in claimed] == ["discord-intro"]
        async with new_uow() as uow:
            rest = await uow.outbox.claim(T0, 10, timedelta(minutes=5))
        assert [i.key for i in rest] == ["slack-intro"]

    async def test_a_worker_excluding_the_playground_never_claims_nor_waits_for_its_items(
        self, community: Community, new_uow: NewUow
    ) -> None:
        playground = dataclasses.replace(community, id="playground", platform="console")
        async with new_uow() as uow:
            await uow.communities.add(playground)
            await uow.outbox.add(an_outbox_item("slack-intro"))
            await uow.outbox.add(
                dataclasses.replace(an_outbox_item("playground-intro"), community_id=playground.id)
            )
            await uow.outbox.pause(playground.id, "send", T0 + timedelta(seconds=5))
            await uow.commit()
        async with new_uow() as uow:
            claimed = await uow.outbox.claim(
                T0, 10, timedelta(minutes=5), except_platform="console"
            )
            paused = await uow.outbox.paused_until(T0, except_platform="console")
            await uow.commit()
        assert [i.key for i in claimed] == ["slack-intro"]
        assert paused is None
        async with new_uow() as uow:
            left = await uow.outbox.get(playground.id, "playground-intro")
        assert left is not None and left.status is OutboxStatus.PENDING and left.attempts == 0


class TestReleasingClaimedItems:
    async def test_release_makes_untried_items_due_later_and_gives_back_their_attempt(
        self, community: Community, new_uow: NewUow
    ) -> None:
        until = T0 + timedelta(seconds=30)
        async with new_uow() as uow:
            for key in ("tried", "untried-1", "untried-2", "sent-meanwhile"):
                await uow.outbox.add(an_outbox_item(key))
            await uow.commit()
        async with new_uow() as uow:
            claimed = await uow.outbox.claim(T0, 10, timedelta(minutes=5))
            await uow.commit()
        assert all(i.attempts == 1 for i in claimed)
        async with new_uow() as uow:
            sent = await uow.outbox.get(community.id, "sent-meanwhile")
            assert sent is not None
            sent.status = OutboxStatus.SENT
            await uow.outbox.save(sent)
            await uow.commit()
        keys = [(community.id, k) for k in ("untried-1", "untried-2", "sent-meanwhile")]
        async with new_uow() as uow:
            await uow.outbox.release(keys, until)
            await uow.commit()
        async with new_uow() as uow:
            items = {i.key: i for i in await uow.outbox.list(community.id)}
        assert {k: (i.attempts, i.not_before) for k, i in items.items()} == {
            "tried": (1, T0 + timedelta(minutes=5)),
            "untried-1": (0, until),
            "untried-2": (0, until),
            "sent-meanwhile": (1, T0 + timedelta(minutes=5)),  # no longer pending: left alone
        }
        async with new_uow() as uow:
            assert await uow.outbox.claim(until - timedelta(seconds=1), 10, timedelta(0)) == []
            again = await uow.outbox.claim(until, 10, timedelta(minutes=5))
        assert [i.key for i in again] == ["untried-1", "untried-2"]


class TestDeliveryPauses:
    async def test_a_claim_skips_only_the_items_whose_next_call_is_paused(
        self, community: Community, new_uow: NewUow
    ) -> None:
        other = dataclasses.replace(community, id="slack:T2")
        async with new_uow() as uow:
            await uow.communities.add(other)
            await uow.outbox.add(an_outbox_item("to-open"))
            await uow.outbox.add(an_outbox_item("opened", conversation_id="G1"))
            await uow.outbox.add(an_outbox_item("dm", target=Target.member("ana")))
            await uow.outbox.add(
                dataclasses.replace(an_outbox_item("elsewhere"), community_id=other.id)
            )
            await uow.outbox.pause(community.id, "open_group", T0 + timedelta(seconds=30))
            await uow.commit()
        async with new_uow() as uow:
            claimed = await uow.outbox.claim(T0, 10, timedelta(minutes=5))
            await uow.commit()
        assert sorted(i.key for i in claimed) == ["dm", "elsewhere", "opened"]
        async with new_uow() as uow:
            assert await uow.outbox.claim(T0 + timedelta(seconds=29), 10, timedelta(0)) == []
            later = await uow.outbox.claim(T0 + timedelta(seconds=30), 10, timedelta(0))
        assert [i.key for i in later] == ["to-open"]

    async def test_an_item_reusing_an_opened_conversation_is_held_back_by_a_send_pause_only(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            await uow.outbox.add(an_outbox_item("intro", conversation_id="G1"))
            await uow.outbox.add(an_outbox_item("intro-unopened"))
            await uow.outbox.add(an_outbox_item("checkin", extra={CONVERSATION_KEY: "intro"}))
            # its opener has no conversation yet: it may open one, or find it opened and send
            await uow.outbox.add(
                an_outbox_item("prompt", extra={CONVERSATION_KEY: "intro-unopened"})
            )
            await uow.outbox.add(an_outbox_item("dm", target=Target.member("ana")))
            await uow.outbox.pause(community.id, "send", T0 + timedelta(seconds=30))
            await uow.outbox.pause(community.id, "open_group", T0 + timedelta(seconds=60))
            await uow.commit()
        claims = []
        for seconds in (0, 30, 60):
            async with new_uow() as uow:
                claimed = await uow.outbox.claim(T0 + timedelta(seconds=seconds), 10, timedelta(0))
                claims.append(sorted(i.key for i in claimed))
                await uow.commit()
        assert claims == [
            ["dm"],
            ["checkin", "dm", "intro"],
            ["checkin", "dm", "intro", "intro-unopened", "prompt"],
        ]

    async def test_the_latest_end_of_a_pause_stands_and_the_earliest_running_is_reported(
        self, community: Community, new_uow: NewUow
    ) -> None:
        discord = dataclasses.replace(community, id="discord:42", platform="discord")
        async with new_uow() as uow:
            await uow.communities.add(discord)
            await uow.outbox.pause(community.id, "send", T0 + timedelta(seconds=30))
            await uow.outbox.pause(community.id, "send", T0 + timedelta(seconds=10))
            await uow.outbox.pause(community.id, "open_group", T0 + timedelta(seconds=20))
            await uow.outbox.pause(discord.id, "send", T0 + timedelta(seconds=5))
            await uow.commit()
        async with new_uow() as uow:
            assert await uow.outbox.paused_until(T0) == T0 + timedelta(seconds=5)
            assert await uow.outbox.paused_until(T0, "slack") == T0 + timedelta(seconds=20)
            after = T0 + timedelta(seconds=20)
            assert await uow.outbox.paused_until(after, "slack") == T0 + timedelta(seconds=30)
            assert await uow.outbox.paused_until(T0 + timedelta(seconds=30)) is None
