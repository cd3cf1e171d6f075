from __future__ import annotations

import json
from datetime import timedelta

from pairing_core import commands as c
from pairing_core.command_text import parse_command
from pairing_core.dispatch import handle
from pairing_core.member import MemberStatus
from pairing_core.privacy import FORGET_ACTION
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from pairing_core.services.data_rights import erase_departed
from tests.unit.conftest import COMMUNITY, World


async def a_round_with_a_takeaway(world: World) -> None:
    """Alice and Bob meet in round 1; Alice blocks Carol, Carol blocks Alice, Alice reflects."""
    for who in ("alice", "bob"):
        await world.say(who, f"join {who.title()} Council")
    await world.say("carol", "join")
    await world.say("carol", "pause 2w")
    await world.say("alice", "contact alice@example.org")
    await world.say("alice", "never <@carol>")
    await world.say("carol", "never <@alice>")
    await world.tick(days=5)
    await record_checkin(
        c.RecordCheckIn(1, 0, CheckInAnswer.MET), Actor("alice", "Alice"), COMMUNITY, world.services
    )
    await world.say("alice", "reflect --rating 4 Councils share more than they think")


async def a_round_of_alice_and_bob(world: World) -> None:
    for who in ("alice", "bob"):
        await world.say(who, f"join {who.title()} Council")
    await world.say("alice", "contact alice@example.org")
    await world.tick(days=5)


async def export_of(world: World, who: str) -> dict:  # type: ignore[type-arg]
    reply = await handle(c.ExportMyData(), Actor(who, who.title()), COMMUNITY, world.services)
    (attachment,) = reply.attachments
    assert attachment.filename.endswith(".json")
    return json.loads(attachment.content)  # type: ignore[no-any-return]


class TestPrivacy:
    async def test_the_notice_says_what_why_how_long_and_who_sees_it(self, world: World) -> None:
        text = await world.say("alice", "privacy")
        for heading in ("What is stored", "Why", "How long", "Who sees it"):
            assert heading in text
        assert "180 days" in text
        assert "display name and the contact details you gave become [removed]" in text


class TestExportMyData:
    async def test_the_export_holds_the_member_their_groups_answers_and_takeaways(
        self, world: World
    ) -> None:
        await a_round_with_a_takeaway(world)
        data = await export_of(world, "alice")
        assert data["member"]["contact"] == "alice@example.org"
        assert data["member"]["organisation"] == "Alice Council"
        assert data["rounds"][0]["partners"] == ["bob"]
        assert data["checkin_answers_you_gave"] == [
            {"programme": "general", "round": 1, "group": 0, "answer": "met"}
        ]
        assert [p["programme"] for p in data["programmes"]] == ["general"]
        assert data["reflections"][0]["rating"] == 4
        assert data["reflections"][0]["written_by_you"] is True
        assert any("UnMentoring round 1" in m["text"] for m in data["messages_to_you"])

    async def test_blocks_others_set_on_the_member_are_never_in_their_export(
        self, world: World
    ) -> None:
        await a_round_with_a_takeaway(world)
        alice = await export_of(world, "alice")
        assert alice["never_pair_blocks_you_set"] == [
            {"first": "alice", "second": "carol", "kind": "member"}
        ]
        bob = await export_of(world, "bob")
        assert bob["never_pair_blocks_you_set"] == []
        assert bob["reflections"][0]["written_by_you"] is False
        assert bob["checkin_answers_you_gave"] == []

    async def test_someone_never_seen_is_told_nothing_is_held(self, world: World) -> None:
        reply = await handle(c.ExportMyData(), Actor("zed", "Zed"), COMMUNITY, world.services)
        assert reply.text == "UnMentoring holds nothing about you here."
        assert reply.attachments == ()


class TestForgetMe:
    async def test_without_confirmation_nothing_is_erased_and_buttons_offer_both_choices(
        self, world: World
    ) -> None:
        await a_round_with_a_takeaway(world)
        before = world.uow.committed
        reply = await handle(c.ForgetMe(), Actor("alice", "Alice"), COMMUNITY, world.services)
        assert "--confirm" in reply.text
        assert {a.action_id for a in reply.actions} == {FORGET_ACTION}
        assert {a.value for a in reply.actions} == {"delete", "anonymise"}
        assert world.uow.committed is before

    async def test_confirmed_the_member_is_gone_and_their_groups_keep_a_placeholder(
        self, world: World
    ) -> None:
        await a_round_with_a_takeaway(world)
        reply = await world.say("alice", "forget-me --confirm")
        assert reply.startswith("Done: everything")
        state = world.uow.committed
        assert (COMMUNITY, GENERAL, "alice") not in state.members
        (tombstone,) = [m for m in state.members.values() if m.status is MemberStatus.ERASED]
        assert tombstone.member_id.startswith("erased-") and tombstone.display_name == ""
        group = state.rounds[(COMMUNITY, GENERAL, 1)].groups[0]
        assert set(group.members) == {tombstone.member_id, "bob"}
        assert group.checkin_by == tombstone.member_id and group.checkin is CheckInAnswer.MET
        assert state.reflections == []
        assert state.blocks == []
        assert "alice" not in repr(state)

    async def test_takeaways_can_be_kept_with_the_name_removed(self, world: World) -> None:
        await a_round_with_a_takeaway(world)
        await world.say("alice", "forget-me --confirm --keep-reflections-anonymised")
        (reflection,) = world.uow.committed.reflections
        assert reflection.author.startswith("erased-")
        assert set(reflection.authors) == {reflection.author, "bob"}
        assert reflection.text == "Councils share more than they think"
        assert "alice" not in repr(world.uow.committed)

    async def test_kept_takeaways_lose_the_members_mentions_names_and_contact_note(
        self, world: World
    ) -> None:
        await a_round_of_alice_and_bob(world)
        await world.say("alice", "reflect ALICE (<@alice>, alice@example.org) thanks Bob")
        await world.say("alice", "forget-me --confirm --keep-reflections-anonymised")
        (reflection,) = world.uow.committed.reflections
        assert reflection.text == "[removed] ([removed], [removed]) thanks Bob"

    async def test_the_words_parse_with_both_options(self) -> None:
        assert parse_command("forget-me --confirm --keep-reflections-anonymised") == c.ForgetMe(
            confirm=True, keep_reflections_anonymised=True
        )
        assert "Usage" in (await _usage("forget-me --now"))


async def _usage(text: str) -> str:
    world = World()
    await world.setup()
    return await world.say("alice", text)


class TestRetention:
    async def test_members_who_left_longer_ago_than_the_period_are_erased(
        self, world: World
    ) -> None:
        await a_round_with_a_takeaway(world)
        await world.say("alice", "leave")
        world.clock.advance(days=100)
        await world.say("bob", "leave")
        world.clock.advance(days=80)
        erased = await erase_departed(world.services, timedelta(days=180))
        assert [e.reason for e in erased] == ["retention"]
        state = world.uow.committed
        assert (COMMUNITY, GENERAL, "alice") not in state.members
        assert state.members[(COMMUNITY, GENERAL, "bob")].status is MemberStatus.LEFT
        # they did not ask for deletion: what they shared stays, without their name
        assert state.reflections[0].author.startswith("erased-")
        assert await erase_departed(world.services, timedelta(days=180)) == []

    async def test_what_stays_loses_the_name_and_contact_note_stored_for_the_member(
        self, world: World
    ) -> None:
        await a_round_of_alice_and_bob(world)
        await world.say("bob", "reflect Alice said: write to alice@example.org")
        await world.say("alice", "leave")
        world.clock.advance(days=181)
        await erase_departed(world.services, timedelta(days=180))
        (reflection,) = world.uow.committed.reflections
        assert reflection.text == "[removed] said: write to [removed]"


class TestRoundSummary:
    async def test_closing_a_round_posts_who_met_and_the_takeaways_once(self, world: World) -> None:
        await a_round_with_a_takeaway(world)
        await world.tick(days=14)
        summaries = [s for s in world.platform.sent if "is over" in s.message.text]
        assert [s.to for s in summaries] == [("CREFL",)]
        assert summaries[0].message.text == (
            "*Round 1 is over.* 1 of 1 group said they met.\n"
            "1 takeaway was shared:\n> Councils share more than they think"
        )
        await world.tick(days=14)
        assert len([s for s in world.platform.sent if "Round 1 is over" in s.message.text]) == 1
