"""A whole round through Teams: 1:1 intro cards with a group-chat link, the check-in updated in
place, the takeaway form card, the post in the reflections channel; and after a restart."""

from __future__ import annotations

from typing import Any

from adapters.teams.listeners.actions import NOT_YOURS
from pairing_core.programme import GENERAL
from pairing_core.round import Round, RoundChoice
from pairing_core.services.round_calendar import run_due_steps
from tests.adapters.teams.conftest import (
    CHANNEL,
    COMMUNITY,
    TeamsWorld,
    card_of,
    card_text,
    restarted,
)
from tests.adapters.teams.fake_teams import BOT_ID, Call

BOT_MENTION = {
    "type": "mention",
    "text": "<at>UnMentoring</at>",
    "mentioned": {"id": BOT_ID, "name": "UnMentoring"},
}


async def in_channel(
    world: TeamsWorld, letter: str, words: str, *entities: dict[str, Any]
) -> list[str]:
    """@mention the bot in the team's channel with ``words``; return the cards it sent."""
    return await world.say(
        letter, f"<at>UnMentoring</at> {words}", channel=True, entities=[BOT_MENTION, *entities]
    )


async def start_round(world: TeamsWorld, *letters: str) -> Round:
    await world.install("z")
    reflections = {
        "type": "mention",
        "text": "<at>Reflections</at>",
        "mentioned": {"id": CHANNEL, "name": "Reflections"},
    }
    [saved] = await in_channel(
        world, "z", "admin settings channel=<at>Reflections</at>", reflections
    )
    assert saved.startswith("Saved."), saved
    for letter in letters:
        [joined] = await in_channel(world, letter, "join Devon County Council")
        assert joined.startswith("You're in the pot (organisation: Devon County Council)!"), joined
    started = (await in_channel(world, "z", "admin round now"))[0]
    assert started.startswith("Round 1 has started"), started
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(COMMUNITY, GENERAL, 1)
    assert round_ is not None
    return round_


async def move_to(world: TeamsWorld, moment: Any) -> None:
    world.clock.current = moment
    await run_due_steps(world.services(), COMMUNITY, GENERAL)
    await world.deps.deliver()


def with_button(world: TeamsWorld, letter: str, title: str) -> dict[str, Any]:
    """The latest card the person was sent with a button titled ``title``."""
    found = [card_of(c) for c in cards_to(world, letter)]
    return next(c for c in reversed(found) if title in [a["title"] for a in c.get("actions", [])])


def cards_to(world: TeamsWorld, letter: str) -> list[Call]:
    chat = f"a:chat-{world.fake.person(letter).user_id}"
    return [c for c in world.fake.sent() if c.path == f"/v3/conversations/{chat}/activities"]


class TestWholeRound:
    async def test_intro_cards_check_in_takeaway_form_and_the_channel_post(
        self, world: TeamsWorld
    ) -> None:
        round_ = await start_round(world, "a", "b", "c", "d")
        group = round_.groups[0]
        by_member = {world.member(x): x for x in "abcd"}
        first, second = (by_member[m] for m in group.members)
        intro = cards_to(world, first)[-1]
        text = card_text(intro)
        assert text.startswith(f"Your UnMentoring group: you and **Person {second.upper()}**.")
        assert "**UnMentoring round 1** — say hello!" in text
        [link] = [a for a in card_of(intro)["actions"] if a["type"] == "Action.OpenUrl"]
        assert link["url"] == (
            f"https://teams.microsoft.com/l/chat/0/0?users={second}@council.gov.uk"
            "&topicName=UnMentoring%20round%201"
        )

        await move_to(world, round_.checkin_at)
        checkin = with_button(world, second, "We've met")
        buttons = [a["title"] for a in checkin["actions"] if a["type"] == "Action.Execute"]
        assert buttons == ["We've met", "It's booked", "Not this time"]
        updated = await world.press(second, checkin, "We've met")
        assert "answered “We've met”" in updated["body"][0]["text"]
        assert "actions" not in updated  # answered: the card shows no buttons any more
        again = await world.press(first, with_button(world, first, "It's booked"), "It's booked")
        assert "already answered" in again["body"][0]["text"]

        await move_to(world, round_.reflection_at)
        prompt = with_button(world, first, "Share a takeaway")
        form = await world.press(first, prompt, "Share a takeaway")
        assert [b.get("id") for b in form["body"][1:]] == ["takeaway", "rating", "private"]
        thanks = await world.press(
            first,
            form,
            "Share",
            takeaway="Councils share more than we think",
            rating="4",
            private="false",
        )
        assert thanks["body"][0]["text"].startswith("Thank you — your takeaway for round 1")
        [post] = [
            c for c in world.fake.sent() if c.path == f"/v3/conversations/{CHANNEL}/activities"
        ]
        assert "Councils share more than we think" in card_text(post)
        async with world.services().uow as uow:
            [reflection] = await uow.reflections.list(COMMUNITY, GENERAL)
        assert reflection.rating == 4 and reflection.public

    async def test_a_stranger_cannot_answer_a_groups_check_in(self, world: TeamsWorld) -> None:
        round_ = await start_round(world, "a", "b", "c", "d")
        await move_to(world, round_.checkin_at)
        group = round_.groups[0]
        member = next(x for x in "abcd" if world.member(x) in group.members)
        outsider = next(x for x in "abcd" if world.member(x) not in group.members)
        checkin = with_button(world, member, "We've met")
        refused = await world.press(outsider, checkin, "We've met")
        assert refused["body"][0]["text"] == NOT_YOURS

    async def test_cards_sent_before_a_restart_still_work(self, world: TeamsWorld) -> None:
        round_ = await start_round(world, "a", "b")
        await move_to(world, round_.checkin_at)
        checkin = with_button(world, "a", "We've met")
        world = await restarted(world)
        try:
            updated = await world.press("a", checkin, "We've met")
            assert "answered “We've met”" in updated["body"][0]["text"]
            # the restarted bot still reaches everyone (their 1:1 chats were stored)
            opened = len([c for c in world.fake.calls if c.path == "/v3/conversations"])
            await move_to(world, round_.reflection_at)
            assert with_button(world, "b", "Share a takeaway")
            assert len([c for c in world.fake.calls if c.path == "/v3/conversations"]) == opened
        finally:
            await world.stop()


class TestInPlace:
    async def test_an_answer_shows_on_every_members_copy_of_the_check_in(
        self, world: TeamsWorld
    ) -> None:
        round_ = await start_round(world, "a", "b")
        await move_to(world, round_.checkin_at)
        await world.press("a", with_button(world, "a", "We've met"), "We've met")
        updates = [c for c in world.fake.calls if c.method == "PUT"]
        chats = {c.path.split("/")[3] for c in updates}
        assert chats == {f"a:chat-{world.fake.person(x).user_id}" for x in "ab"}
        for update in updates:
            content = card_of(update)
            assert "answered “We've met”" in content["body"][0]["text"]
            assert not [a for a in content.get("actions", []) if a["type"] == "Action.Execute"]

    async def test_a_refused_takeaway_brings_the_form_back_with_what_was_typed(
        self, world: TeamsWorld
    ) -> None:
        round_ = await start_round(world, "a", "b")
        await move_to(world, round_.reflection_at)
        form = await world.press(
            "a", with_button(world, "a", "Share a takeaway"), "Share a takeaway"
        )
        again = await world.press("a", form, "Share", takeaway="Good chat", rating="9")
        assert again["body"][0]["text"] == "The rating is a number from 1 to 5."
        assert again["body"][1]["value"] == "Good chat"
        assert not [
            c for c in world.fake.sent() if c.path == f"/v3/conversations/{CHANNEL}/activities"
        ]


class TestHeadsUp:
    async def test_skip_on_the_heads_up_card_leaves_the_person_out_of_the_next_round(
        self, world: TeamsWorld
    ) -> None:
        round_ = await start_round(world, "a", "b")
        for moment in (round_.checkin_at, round_.reflection_at):
            await move_to(world, moment)
        heads_up = with_button(world, "a", "Skip this round")
        answered = await world.press("a", heads_up, "Skip this round")
        assert "round 2" in answered["body"][0]["text"], answered
        async with world.services().uow as uow:
            choices = await uow.rounds.choices(COMMUNITY, GENERAL, 2)
        assert choices == {world.member("a"): RoundChoice.SKIP}
