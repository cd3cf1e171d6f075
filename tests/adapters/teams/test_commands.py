"""Commands typed to the bot in its 1:1 chat, or after @mentioning it in a team's channel, run
through the core's own parsing and checks; replies go to the person's 1:1 chat."""

from __future__ import annotations

import json

import pytest

from pairing_core.message import Attachment, Message
from tests.adapters.teams.conftest import COMMUNITY, TeamsWorld, card_of
from tests.adapters.teams.test_round import in_channel

B_MENTION = {
    "type": "mention",
    "text": "<at>Person B</at>",
    "mentioned": {"id": "29:user-b", "name": "Person B"},
}


@pytest.fixture
async def joined(world: TeamsWorld) -> TeamsWorld:
    """The team with the bot installed by Z (its first admin); A and B joined in its channel."""
    await world.install("z")
    [reply] = await in_channel(world, "a", "join Devon CC")
    assert reply.startswith("You're in the pot (organisation: Devon CC)!")
    await in_channel(world, "b", "join")
    return world


class TestMemberCommands:
    @pytest.mark.parametrize(
        ("words", "starts"),
        [
            ("status", "Status: **active**\nOrganisation: Devon CC"),
            ("pause 2w", "Paused until Wednesday 18 March 2026."),
            ("contact https://meet.example/a", "Your intros will say how to reach you"),
            ("about I run digital", "Your intros will say about you: I run digital"),
            ("privacy", "**Your data in UnMentoring**"),
            ("help", "**UnMentoring** — random conversations across the network."),
            ("forget-me", "This erases everything UnMentoring holds about you"),
            ("reflect great chat", "You don't have a recent conversation"),
            ("leave", "You've left UnMentoring."),
            ("frobnicate", "I don't know the command 'frobnicate'."),
            ("/unmentor status", "Status: **active**"),
        ],
    )
    async def test_a_command_in_the_1_1_chat_acts_in_the_team_the_person_joined(
        self, joined: TeamsWorld, words: str, starts: str
    ) -> None:
        [reply] = await joined.say("a", words)
        assert reply.startswith(starts), reply

    async def test_a_person_is_named_by_mention(self, joined: TeamsWorld) -> None:
        [reply] = await joined.say("a", "never <at>Person B</at>", entities=[B_MENTION])
        assert reply.startswith("Noted, privately: you'll never be paired with **Person B**.")

    async def test_my_data_comes_back_as_the_json_itself(self, joined: TeamsWorld) -> None:
        before = len(joined.fake.sent())
        await joined.say("a", "my-data")
        [sent] = joined.fake.sent()[before:]
        body = card_of(sent)["body"]
        assert body[0]["text"] == "Here is everything UnMentoring stores about you, as JSON."
        exported = json.loads(body[1]["text"].strip("`\n"))
        assert exported["member"]["organisation"] == "Devon CC"

    async def test_the_reply_to_a_channel_command_is_private(self, joined: TeamsWorld) -> None:
        before = len(joined.fake.sent())
        await in_channel(joined, "a", "status")
        [reply] = joined.fake.sent()[before:]
        assert reply.path == "/v3/conversations/a:chat-29:user-a/activities"


class TestAdminCommands:
    async def test_the_person_who_added_the_bot_runs_the_team(self, joined: TeamsWorld) -> None:
        [reply] = await joined.say("z", "admin optout <at>Person B</at>", entities=[B_MENTION])
        assert reply == "**Person B** is opted out and won't be paired until opted back in."
        [stats] = await joined.say("z", "admin stats")
        assert stats.startswith("**UnMentoring in Digital**")

    async def test_others_are_refused_and_nothing_changes(self, joined: TeamsWorld) -> None:
        [reply] = await joined.say("a", "admin optout <at>Person B</at>", entities=[B_MENTION])
        assert reply == "Sorry, only this community's admins can do that."
        async with joined.services().uow as uow:
            community = await uow.communities.get(COMMUNITY)
        assert community is not None and community.settings.admins == {joined.member("z")}


class TestForgetting:
    async def test_forget_me_also_drops_how_the_bot_reached_them(self, joined: TeamsWorld) -> None:
        [reply] = await joined.say("a", "forget-me --confirm")
        assert "erased" in reply.lower(), reply
        references = joined.deps.references
        assert await references.member(COMMUNITY, joined.member("a")) is None
        assert await references.member(COMMUNITY, joined.member("b")) is not None

    async def test_people_who_never_joined_are_forgotten_after_a_day(
        self, joined: TeamsWorld
    ) -> None:
        await in_channel(joined, "c", "help")
        references = joined.deps.references
        assert await references.member(COMMUNITY, joined.member("c")) is not None
        joined.clock.advance(days=2)
        await joined.deps.deliver()
        assert await references.member(COMMUNITY, joined.member("c")) is None
        for kept in ("a", "b", "z"):  # members, and the admin who added the app
            assert await references.member(COMMUNITY, joined.member(kept)) is not None

    async def test_the_erase_button_erases_and_its_card_keeps_no_buttons(
        self, joined: TeamsWorld
    ) -> None:
        before = len(joined.fake.sent())
        await joined.say("a", "forget-me")
        [question] = joined.fake.sent()[before:]
        answered = await joined.press("a", card_of(question), "Erase me, delete my takeaways")
        assert "erased" in answered["body"][0]["text"].lower(), answered
        assert "actions" not in answered
        assert await joined.deps.references.member(COMMUNITY, joined.member("a")) is None
        async with joined.services().uow as uow:
            assert await uow.members.memberships(COMMUNITY, joined.member("a")) == []


class TestLargeFiles:
    async def test_a_data_export_too_long_for_one_card_arrives_whole_over_several(
        self, joined: TeamsWorld
    ) -> None:
        # Teams refuses a card over about 28 KB; a long history's export must still arrive whole.
        export = json.dumps({"rounds": [{"round": n, "note": "x" * 90} for n in range(600)]})
        message = Message(
            "Here is everything UnMentoring stores about you, as JSON.",
            attachments=(Attachment("my-data.json", export.encode(), "application/json"),),
        )
        before = len(joined.fake.sent())
        await joined.deps.platform.send_direct(COMMUNITY, joined.member("a"), message)
        sent = joined.fake.sent()[before:]
        assert len(sent) > 1
        assert all(len(json.dumps(card_of(call))) < 28_000 for call in sent)
        blocks = [block["text"] for call in sent for block in card_of(call)["body"]][1:]
        assert blocks[0].startswith(f"my-data.json, part 1 of {len(sent)}:")
        parts = [block.split("```\n", 1)[1].rsplit("\n```", 1)[0] for block in blocks]
        assert json.loads("".join(parts)) == json.loads(export)
        assert {call.path for call in sent} == {"/v3/conversations/a:chat-29:user-a/activities"}
