"""Every message of a round fits the size of the group it goes to: pairs, trios, groups of four,
and groups that shrank when someone left."""

from __future__ import annotations

import pytest

from pairing_core.programme import GENERAL
from pairing_core.services import round_steps
from pairing_core.texts import and_list
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import Sent

PEOPLE = ("a", "b", "c", "d")


async def grouped(size: int, leave_before_intro: int = 0) -> World:
    """One group of ``size``; the last ``leave_before_intro`` of them leave before its intro."""
    world = World()
    await world.setup(group_size=min(size, 4) if size > 1 else 2)
    for who in PEOPLE[:size]:
        await world.say(who, "join")
    world.clock.advance(days=5)
    await round_steps.match_round(
        world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
    )
    for who in PEOPLE[size - leave_before_intro : size]:
        await world.say(who, "leave")
    await world.tick(seconds=1)
    return world


def texts(world: World, kind: str = "group") -> list[str]:
    return [s.message.text for s in world.platform.sent if s.kind == kind]


def the(sent: list[Sent], words: str) -> Sent:
    (found,) = [s for s in sent if words in s.message.text]
    return found


class TestTheIntro:
    @pytest.mark.parametrize(
        ("size", "left", "says"),
        [
            (2, 0, "You've been paired at random"),
            (3, 0, "You've been put in a group of three at random"),
            (4, 0, "You've been put in a group of four at random"),
            (3, 1, "You've been paired at random"),
            (4, 1, "You've been put in a group of three at random"),
        ],
    )
    async def test_says_how_many_were_put_together(self, size: int, left: int, says: str) -> None:
        world = await grouped(size, left)
        (intro,) = texts(world)
        assert says in intro
        assert "paired" not in intro or size - left == 2

    @pytest.mark.parametrize(
        ("size", "why"),
        [(2, "the person you were matched with has"), (3, "the people you were matched with have")],
    )
    async def test_whoever_is_left_alone_before_it_is_told_why(self, size: int, why: str) -> None:
        world = await grouped(size, size - 1)
        (notice,) = texts(world, "direct")
        assert f"No conversation for you in round 1: {why} left the programme." in notice


class TestTheCheckInAndPrompt:
    @pytest.mark.parametrize(
        ("size", "left_mid_round", "credited"),
        [
            (2, 0, "you both"),
            (3, 0, "you all"),
            (4, 0, "you all"),
            (3, 1, "you both"),
            (4, 1, "you all"),
        ],
    )
    async def test_the_prompt_credits_the_people_it_goes_to(
        self, size: int, left_mid_round: int, credited: str
    ) -> None:
        world = await grouped(size)
        for who in PEOPLE[size - left_mid_round : size]:
            await world.say(who, "leave")
        await world.tick(days=7)
        before = len(world.platform.sent)
        await world.tick(days=5)
        prompt = the(world.platform.sent[before:], "What did you take away")
        assert len(prompt.to) == size - left_mid_round
        assert prompt.message.text.endswith(f"credited to {credited}.")
        checkin = the(world.platform.sent, "Half-way check-in")
        assert checkin.message.text.endswith("did you manage to meet?")

    @pytest.mark.parametrize(
        ("size", "who"),
        [(2, "the person you were paired with has"), (3, "everyone else in your group has")],
    )
    async def test_the_last_one_in_a_group_is_told_the_others_left(
        self, size: int, who: str
    ) -> None:
        world = await grouped(size)
        for other in PEOPLE[1:size]:
            await world.say(other, "leave")
        await world.tick(days=7)
        notice = the(world.platform.sent, "no more messages for your group")
        assert notice.to == ("a",) and f"{who} left the programme" in notice.message.text


class TestTheTakeaway:
    @pytest.mark.parametrize(
        ("size", "credited", "posted"),
        [
            (2, "you and <@b>", "<@a> and <@b>"),
            (3, "you, <@b> and <@c>", "<@a>, <@b> and <@c>"),
            (4, "you, <@b>, <@c> and <@d>", "<@a>, <@b>, <@c> and <@d>"),
        ],
    )
    async def test_the_reply_and_the_post_name_everyone_credited(
        self, size: int, credited: str, posted: str
    ) -> None:
        world = await grouped(size)
        round_ = (await world.rounds())[0]
        # the matcher lists each group in its own order; the texts keep it
        ordered = {m: f"<@{m}>" for m in round_.groups[0].members}
        order = [ordered[m] for m in round_.groups[0].members]
        reply = await world.say("a", "reflect Worth it")
        others = [p for p in order if p != "<@a>"]
        expected = and_list(["you", *others])
        assert f"for round 1, credited to {expected}, will appear" in reply
        assert sorted(expected.replace(" and ", ", ").split(", ")) == sorted(
            credited.replace(" and ", ", ").split(", ")
        )
        post = world.platform.sent[-1].message.text
        assert post.startswith(f"*Takeaway from round 1* — {and_list(order)}:")
        assert sorted(and_list(order).replace(" and ", ", ").split(", ")) == sorted(
            posted.replace(" and ", ", ").split(", ")
        )


class TestJoining:
    @pytest.mark.parametrize(
        ("size", "whom"), [(2, "someone"), (3, "two people"), (4, "three people")]
    )
    async def test_says_how_many_people_the_intro_will_bring(self, size: int, whom: str) -> None:
        world = World()
        await world.setup(group_size=size)
        assert f"introducing you to {whom} at random" in await world.say("a", "join")
