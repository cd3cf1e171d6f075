"""Members who leave after their group's intro: the rest of the group carries on without them."""

from __future__ import annotations

import pytest

from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, RoundState
from pairing_core.services import round_steps
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import Sent

CHECKIN, PROMPT = "Half-way check-in", "What did you take away"


async def introduced(world: World, *people: str) -> None:
    """Put everyone in one group (a pair, or a trio from three people) and introduce it."""
    for who in people:
        await world.say(who, "join")
    await world.tick(days=5)


async def to_checkin(world: World) -> list[Sent]:
    before = len(world.platform.sent)
    assert await world.tick(days=7) == ["sent check-ins for round 1"]
    return world.platform.sent[before:]


async def to_prompt(world: World) -> list[Sent]:
    before = len(world.platform.sent)
    assert await world.tick(days=5) == ["prompted reflections for round 1"]
    return world.platform.sent[before:]


def intro(world: World) -> Sent:
    return next(s for s in world.platform.sent if "say hello" in s.message.text)


def only(sent: list[Sent], text: str) -> Sent:
    (found,) = [s for s in sent if text in s.message.text]
    return found


class TestTheCheckInAndPromptAfterSomeoneLeft:
    async def test_a_whole_group_hears_in_the_intro_conversation(self, world: World) -> None:
        await introduced(world, "a", "b", "c")
        checkin = only(await to_checkin(world), CHECKIN)
        assert sorted(checkin.to) == ["a", "b", "c"]
        assert checkin.conversation == intro(world).conversation
        assert "Not everyone" not in checkin.message.text

    async def test_pausing_mid_round_keeps_you_in_the_conversation(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("b", "pause 2w")
        checkin = only(await to_checkin(world), CHECKIN)
        assert checkin.conversation == intro(world).conversation
        assert sorted(only(await to_prompt(world), PROMPT).to) == ["a", "b"]

    @pytest.mark.parametrize(
        ("how", "admin"),
        [("leave", False), ("admin optout <@c>", True), ("forget-me --confirm", False)],
    )
    async def test_the_others_hear_in_a_conversation_without_the_leaver(
        self, world: World, how: str, admin: bool
    ) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("boss" if admin else "c", how, admin=admin)
        sent = await to_checkin(world) + await to_prompt(world)
        checkin, prompt = only(sent, CHECKIN), only(sent, PROMPT)
        assert sorted(checkin.to) == sorted(prompt.to) == ["a", "b"]
        assert checkin.conversation != intro(world).conversation
        assert prompt.conversation == checkin.conversation
        assert "Not everyone from your group" in checkin.message.text
        assert all("<@c>" not in s.message.text and "erased-" not in s.message.text for s in sent)
        assert [s for s in sent if any(m != "a" and m != "b" for m in s.to)] == []

    async def test_someone_leaving_after_the_checkin_misses_only_the_prompt(
        self, world: World
    ) -> None:
        await introduced(world, "a", "b", "c")
        assert sorted(only(await to_checkin(world), CHECKIN).to) == ["a", "b", "c"]
        await world.say("c", "leave")
        prompt = only(await to_prompt(world), PROMPT)
        assert sorted(prompt.to) == ["a", "b"]
        assert prompt.conversation not in (intro(world).conversation, None)
        assert sorted(world.platform.groups[prompt.conversation]) == ["a", "b"]

    async def test_an_erasure_after_the_checkin_moves_the_prompt_to_a_new_conversation(
        self,
    ) -> None:
        world = World()
        await world.setup(group_size=4)
        await introduced(world, "a", "b", "c", "d")
        await world.say("d", "leave")
        checkin = only(await to_checkin(world), CHECKIN)
        assert sorted(world.platform.groups[checkin.conversation or ""]) == ["a", "b", "c"]
        await world.say("c", "forget-me --confirm")
        prompt = only(await to_prompt(world), PROMPT)
        assert prompt.conversation != checkin.conversation
        assert sorted(world.platform.groups[prompt.conversation or ""]) == ["a", "b"]


class TestAnErasureBeforeTheIntro:
    async def test_the_pseudonym_left_in_the_group_is_not_introduced(self, world: World) -> None:
        for who in ("a", "b", "c"):
            await world.say(who, "join")
        world.clock.advance(days=5)
        await round_steps.match_round(
            world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
        )
        await world.say("c", "forget-me --confirm")
        await world.tick(seconds=1)
        assert sorted(intro(world).to) == ["a", "b"]


class TestAMemberLeftOnTheirOwn:
    async def test_gets_one_direct_message_and_no_checkin_or_prompt(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("b", "leave")
        sent = await to_checkin(world) + await to_prompt(world)
        (notice,) = sent
        assert notice.kind == "direct" and notice.to == ("a",)
        assert "the person you were paired with has left" in notice.message.text
        assert "You'll be in the next round, which starts Monday 23 March" in notice.message.text
        assert "<@b>" not in notice.message.text

    async def test_a_paused_member_is_told_when_they_are_back(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("a", "pause 4w")
        await world.say("b", "leave")
        (notice,) = await to_checkin(world)
        assert "back in the pot for the first round after your pause ends" in notice.message.text

    async def test_is_told_once_when_the_last_partner_leaves_after_the_checkin(
        self, world: World
    ) -> None:
        await introduced(world, "a", "b")
        await to_checkin(world)
        await world.say("a", "forget-me --confirm")
        (notice,) = await to_prompt(world)
        assert notice.to == ("b",) and "has left" in notice.message.text

    async def test_a_step_run_again_writes_nothing_new(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("b", "leave")
        world.clock.advance(days=7)
        for _ in range(2):
            await round_steps.send_checkins(world.uow, COMMUNITY, GENERAL, 1, world.clock.now())
            await rewind_to_introduced(world)  # as if the step had to run again
        await round_steps.send_checkins(world.uow, COMMUNITY, GENERAL, 1, world.clock.now())
        await round_steps.prompt_reflections(world.uow, COMMUNITY, GENERAL, 1, world.clock.now())
        await world.deliver()
        assert [s.kind for s in world.platform.to("a")] == ["group", "direct"]  # intro, notice
        async with world.uow:
            keys = [i.key for i in await world.uow.outbox.list(COMMUNITY)]
        assert keys.count("round:1:group:0:partner-left") == 1


async def rewind_to_introduced(world: World) -> None:
    async with world.uow:
        round_1 = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert round_1 is not None
        round_1.state = RoundState.INTRODUCED
        await world.uow.rounds.save(round_1)
        await world.uow.commit()


class TestAnswersFromSomeoneWhoLeft:
    async def test_a_checkin_press_is_refused_and_the_group_can_still_answer(
        self, world: World
    ) -> None:
        await introduced(world, "a", "b", "c")
        await to_checkin(world)
        await world.say("c", "leave")
        cmd = c.RecordCheckIn(1, 0, CheckInAnswer.NOT_THIS_TIME)
        refused = await handle(cmd, Actor("c", "C"), COMMUNITY, world.services)
        assert refused.text.startswith("You're no longer taking part in UnMentoring")
        met = c.RecordCheckIn(1, 0, CheckInAnswer.MET)
        answered = await record_checkin(met, Actor("a", "A"), COMMUNITY, world.services)
        assert answered.reply.text == "Thanks, noted."

    async def test_a_takeaway_from_them_is_refused(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("b", "leave")
        reply = await world.say("b", "reflect We talked about buses")
        assert reply.startswith("You're no longer taking part in UnMentoring")

    async def test_a_takeaway_credits_only_those_still_taking_part(self, world: World) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("c", "forget-me --confirm")
        await world.say("b", "leave")
        await world.say("a", "reflect Buses are a data problem")
        post = world.platform.sent[-1]
        assert post.kind == "channel"
        assert "<@a>" in post.message.text
        assert "<@b>" not in post.message.text and "erased-" not in post.message.text


class TestStatusAfterSomeoneLeft:
    async def test_names_only_the_partners_still_taking_part(self, world: World) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("c", "leave")
        status = await world.say("a", "status")
        assert "you're with <@b> until" in status and "<@c>" not in status
        assert "Round 1" not in await world.say("c", "status")

    async def test_says_nothing_of_a_round_whose_partners_all_left(self, world: World) -> None:
        await introduced(world, "a", "b")
        await world.say("b", "forget-me --confirm")
        status = await world.say("a", "status")
        assert "Round 1" not in status and "erased-" not in status


class TestRejoiningMidRound:
    """Leaving mid-round takes a member out of that group for good: rejoining puts them back in
    the pot for the next round, not back in the conversation they left."""

    @pytest.mark.parametrize(
        ("out", "back", "admin"),
        [("leave", "join", False), ("admin optout <@c>", "admin optin <@c>", True)],
    )
    async def test_status_no_longer_shows_the_abandoned_group(
        self, world: World, out: str, back: str, admin: bool
    ) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("boss" if admin else "c", out, admin=admin)
        await world.say("boss" if admin else "c", back, admin=admin)
        status = await world.say("c", "status")
        assert "Status: *active*" in status and "Round 1" not in status
        assert "you're with <@b> until" in await world.say("a", "status")

    async def test_the_check_in_and_prompt_leave_them_out(self, world: World) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("c", "leave")
        await world.say("c", "join")
        sent = await to_checkin(world) + await to_prompt(world)
        assert sorted(only(sent, CHECKIN).to) == sorted(only(sent, PROMPT).to) == ["a", "b"]

    async def test_their_answers_for_that_group_are_refused_and_credit_nobody(
        self, world: World
    ) -> None:
        await introduced(world, "a", "b", "c")
        await world.say("c", "leave")
        await world.say("c", "join")
        press = c.RecordCheckIn(1, 0, CheckInAnswer.MET)
        refused = await handle(press, Actor("c", "C"), COMMUNITY, world.services)
        assert refused.text.startswith("You left UnMentoring during round 1")
        assert "recent conversation" in await world.say("c", "reflect Hello")
        reply = await world.say("a", "reflect Fine")
        assert "credited to you and <@b>," in reply
        assert "<@c>" not in world.platform.sent[-1].message.text
