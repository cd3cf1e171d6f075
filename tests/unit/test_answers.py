from __future__ import annotations

from pairing_core import commands as c
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, World


async def paired(world: World) -> None:
    for who in ("alice", "bob"):
        await world.say(who, "join")
    await world.tick(days=5)


class TestCheckIn:
    async def test_the_first_answer_stands_and_the_message_says_who_answered(
        self, world: World
    ) -> None:
        await paired(world)
        cmd = c.RecordCheckIn(1, 0, CheckInAnswer.MET)
        first = await record_checkin(cmd, Actor("alice", "Alice"), COMMUNITY, world.services)
        assert first.updated.text == "Half-way check-in: <@alice> answered “We've met”. Thank you!"
        late = c.RecordCheckIn(1, 0, CheckInAnswer.NOT_THIS_TIME)
        second = await record_checkin(late, Actor("bob", "Bob"), COMMUNITY, world.services)
        assert second.reply.text == "Your group has already answered."
        assert second.updated.text == first.updated.text
        rounds = await world.rounds()
        assert rounds[0].groups[0].checkin is CheckInAnswer.MET

    async def test_someone_outside_the_group_cannot_answer_for_it(self, world: World) -> None:
        from pairing_core.dispatch import handle

        await paired(world)
        reply = await handle(
            c.RecordCheckIn(1, 0, CheckInAnswer.MET), Actor("eve", "Eve"), COMMUNITY, world.services
        )
        assert reply.text == "This check-in is for another group."


class TestReflection:
    async def test_a_public_takeaway_is_posted_to_the_channel_crediting_the_group(
        self, world: World
    ) -> None:
        await paired(world)
        reply = await world.say(
            "alice", "reflect --rating 4 Councils share more problems than we think"
        )
        assert "will appear in <#CREFL>" in reply
        post = world.platform.sent[-1]
        assert post.kind == "channel" and post.to == ("CREFL",)
        assert (
            "<@alice> and <@bob>" in post.message.text or "<@bob> and <@alice>" in post.message.text
        )
        assert "Councils share more problems than we think" in post.message.text

    async def test_a_private_takeaway_is_recorded_but_not_posted(self, world: World) -> None:
        await paired(world)
        sent = len(world.platform.sent)
        assert "recorded privately" in await world.say("bob", "reflect --private Useful chat")
        assert len(world.platform.sent) == sent
        async with world.uow:
            (stored,) = await world.uow.reflections.list(COMMUNITY)
        assert (stored.text, stored.public) == ("Useful chat", False)

    async def test_a_group_shares_one_takeaway(self, world: World) -> None:
        await paired(world)
        await world.say("alice", "reflect First")
        assert "<@alice> already shared" in await world.say("bob", "reflect Second")

    async def test_without_a_conversation_there_is_nothing_to_reflect_on(
        self, world: World
    ) -> None:
        await world.say("alice", "join")
        assert "recent conversation" in await world.say("alice", "reflect Hello")
