from __future__ import annotations

from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, Round
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, World


async def paired(world: World) -> None:
    for who in ("alice", "bob"):
        await world.say(who, "join")
    await world.tick(days=5)


class TestCheckIn:
    async def test_a_better_answer_replaces_the_first_and_the_message_shows_it(
        self, world: World
    ) -> None:
        await paired(world)
        first = await record_checkin(
            c.RecordCheckIn(1, 0, CheckInAnswer.NOT_THIS_TIME),
            Actor("alice", "Alice"),
            COMMUNITY,
            world.services,
        )
        assert first.reply.text == "Thanks, noted."
        assert first.updated.text.startswith(
            "Half-way check-in: <@alice> answered “Not this time”. Thank you!"
        )
        assert [a.label for a in first.updated.actions] == ["We've met", "It's booked"]
        better = await record_checkin(
            c.RecordCheckIn(1, 0, CheckInAnswer.MET), Actor("bob", "Bob"), COMMUNITY, world.services
        )
        assert better.reply.text == "Thanks, noted: your group's answer is updated."
        assert better.updated.text == "Half-way check-in: <@bob> answered “We've met”. Thank you!"
        assert better.updated.actions == ()
        rounds = await world.rounds()
        assert (rounds[0].groups[0].checkin, rounds[0].groups[0].checkin_by) == (
            CheckInAnswer.MET,
            "bob",
        )

    async def test_booked_is_replaced_by_met_but_not_by_not_this_time(self, world: World) -> None:
        await paired(world)
        alice = Actor("alice", "Alice")
        booked = c.RecordCheckIn(1, 0, CheckInAnswer.BOOKED)
        await record_checkin(booked, alice, COMMUNITY, world.services)
        worse = c.RecordCheckIn(1, 0, CheckInAnswer.NOT_THIS_TIME)
        refused = await record_checkin(worse, Actor("bob", "Bob"), COMMUNITY, world.services)
        assert refused.reply.text == "Your group has already answered “It's booked”."
        assert [a.label for a in refused.updated.actions] == ["We've met"]
        met = c.RecordCheckIn(1, 0, CheckInAnswer.MET)
        assert (await record_checkin(met, alice, COMMUNITY, world.services)).updated.actions == ()
        assert (await world.rounds())[0].groups[0].checkin is CheckInAnswer.MET

    async def test_every_press_after_met_gets_the_same_one_reply(self, world: World) -> None:
        await paired(world)
        met = c.RecordCheckIn(1, 0, CheckInAnswer.MET)
        first = await record_checkin(met, Actor("alice", "Alice"), COMMUNITY, world.services)
        replies = set()
        for who in ("alice", "bob"):
            for answer in CheckInAnswer:
                press = c.RecordCheckIn(1, 0, answer)
                result = await record_checkin(press, Actor(who, who), COMMUNITY, world.services)
                replies.add(result.reply.text)
                assert result.updated == first.updated
        assert replies == {"Your group has already answered “We've met”."}
        assert (await world.rounds())[0].groups[0].checkin_by == "alice"

    async def test_someone_outside_the_group_cannot_answer_for_it(self, world: World) -> None:
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
            (stored,) = await world.uow.reflections.list(COMMUNITY, GENERAL)
        assert (stored.text, stored.public) == ("Useful chat", False)

    async def test_a_group_shares_one_takeaway_and_a_second_is_pointed_to_its_post(
        self, world: World
    ) -> None:
        world.platform.links = True
        await paired(world)
        await world.say("alice", "reflect First")
        post = world.platform.sent[-1]
        link = f"https://chat.example/CREFL/m{len(world.platform.sent)}"
        assert "First" in post.message.text
        assert await world.say("bob", "reflect Second") == (
            f"Your group already shared its takeaway for round 1 (from <@alice>): {link}"
        )
        async with world.uow:
            assert [r.text for r in await world.uow.reflections.list(COMMUNITY, GENERAL)] == [
                "First"
            ]
        assert world.platform.sent[-1] is post

    async def test_a_second_takeaway_before_the_first_is_posted_says_whose_it_is(
        self, world: World
    ) -> None:
        await paired(world)
        await world.say("alice", "reflect --private First")
        assert await world.say("bob", "reflect Second") == (
            "Your group already shared its takeaway for round 1 (from <@alice>)."
        )

    async def test_the_reply_names_the_round_and_the_partners_credited(self, world: World) -> None:
        await paired(world)
        assert await world.say("alice", "reflect Good chat") == (
            "Thank you — your takeaway for round 1, credited to you and <@bob>, will appear in "
            "<#CREFL>."
        )

    async def test_without_a_conversation_there_is_nothing_to_reflect_on(
        self, world: World
    ) -> None:
        await world.say("alice", "join")
        assert "recent conversation" in await world.say("alice", "reflect Hello")


def partner(round_: Round, who: str) -> str:
    group = round_.group_of(who)
    assert group is not None
    (other,) = [m for m in group.members if m != who]
    return other


async def second_round_introduced(world: World) -> tuple[Round, Round]:
    """Four people, paired in round 1 and again (with someone new) in round 2, just introduced."""
    for who in ("ann", "ben", "cat", "dan"):
        await world.say(who, "join")
    await world.tick(days=5)
    assert "introduced round 2" in await world.tick(days=14)
    first, second = (await world.rounds())[:2]
    assert partner(first, "ann") != partner(second, "ann")
    return first, second


class TestWhichRoundATakeawayIsFor:
    async def test_after_the_next_intro_it_goes_to_the_group_just_closed(
        self, world: World
    ) -> None:
        first, second = await second_round_introduced(world)
        met = partner(first, "ann")
        reply = await world.say("ann", "reflect What a chat")
        assert reply.startswith(
            f"Thank you — your takeaway for round 1, credited to you and <@{met}>,"
        )
        post = world.platform.sent[-1].message.text
        assert post.startswith("*Takeaway from round 1* —")
        assert f"<@{partner(second, 'ann')}>" not in post
        async with world.uow:
            (stored,) = await world.uow.reflections.list(COMMUNITY, GENERAL)
        assert (stored.round_number, sorted(stored.authors)) == (1, sorted(["ann", met]))

    async def test_once_the_closed_group_shared_one_the_new_group_gets_the_next(
        self, world: World
    ) -> None:
        first, second = await second_round_introduced(world)
        await world.say(partner(first, "ann"), "reflect Ours")
        reply = await world.say("ann", "reflect Already met my new partner")
        assert reply.startswith(
            f"Thank you — your takeaway for round 2, credited to you and <@{partner(second, 'ann')}>,"
        )

    async def test_after_the_next_check_in_it_goes_to_the_new_group(self, world: World) -> None:
        first, second = await second_round_introduced(world)
        await world.tick(days=7)
        reply = await world.say("ann", "reflect Late thoughts")
        assert f"for round 2, credited to you and <@{partner(second, 'ann')}>" in reply

    async def test_a_form_for_a_round_goes_to_that_round_only_for_its_own_group(
        self, world: World
    ) -> None:
        first, second = await second_round_introduced(world)
        await world.tick(days=7)
        ann = Actor("ann", "Ann")
        form = c.SubmitReflection("From the button", round_number=1)
        reply = await handle(form, ann, COMMUNITY, world.services)
        assert reply.text.startswith("Thank you — your takeaway for round 1,")
        elsewhere = c.SubmitReflection("Nope", round_number=5)
        reply = await handle(elsewhere, ann, COMMUNITY, world.services)
        assert reply.text == "You weren't in a group in round 5."
