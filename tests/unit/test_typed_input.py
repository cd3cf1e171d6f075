"""Every way in meets the same limits: the use cases check what they store, not just the parser."""

from __future__ import annotations

import pytest

from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError, UsageError
from pairing_core.programme import GENERAL
from pairing_core.services.admin import change_settings
from pairing_core.services.answers import submit_reflection
from pairing_core.services.context import Actor
from pairing_core.services.membership import join_pool, set_contact
from pairing_core.typed_input import (
    CONTACT,
    ORGANISATION,
    TAKEAWAY,
    FieldRefused,
    checked,
    checked_reflection_fields,
    display_name,
    quoted,
)
from tests.unit.conftest import COMMUNITY, World

ALICE = Actor("alice", "Alice")


async def paired(world: World) -> None:
    for who in ("alice", "bob"):
        await world.say(who, "join")
    await world.tick(days=5)


async def stored_takeaways(world: World) -> list[str]:
    async with world.uow:
        return [r.text for r in await world.uow.reflections.list(COMMUNITY, GENERAL)]


class TestChecked:
    @pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\ud800"])
    def test_control_characters_and_lone_surrogates_are_refused(self, bad: str) -> None:
        with pytest.raises(UsageError, match=r"holds a control character \(U\+"):
            checked(ORGANISATION, f"Devon{bad}CC")

    def test_a_one_line_field_is_made_one_line(self) -> None:
        typed = "  Devon\n\n# Heading\r\n• bullet\u2028end\tx "
        assert checked(ORGANISATION, typed) == "Devon # Heading • bullet end x"

    def test_a_takeaway_keeps_its_lines_with_one_kind_of_line_break(self) -> None:
        assert checked(TAKEAWAY, "one\r\ntwo\rthree\u2028four\n\n- five") == (
            "one\ntwo\nthree\nfour\n\n- five"
        )

    def test_the_limit_counts_the_value_as_stored(self) -> None:
        assert checked(CONTACT, "x" * 300 + "\n\n") == "x" * 300
        with pytest.raises(UsageError, match="to 300 characters"):
            checked(CONTACT, "x" * 301)

    def test_a_reply_quotes_at_most_a_short_prefix(self) -> None:
        assert quoted("<" * 100_000) == "'" + "&lt;" * 40 + "…'"

    def test_a_platform_display_name_is_tidied_rather_than_refused(self) -> None:
        assert display_name("Ann\x00\nLee", "U1") == "Ann Lee"
        assert len(display_name("a" * 500, "U1")) == 80
        assert display_name("\n\x00", "U1") == "U1"


class TestUseCasesCheckWhatTheyStore:
    async def test_a_takeaway_from_a_form_is_held_to_the_same_length(self, world: World) -> None:
        await paired(world)
        # what the Slack form's submission calls, skipping the slash command's parser
        cmd = c.SubmitReflection("x" * 100_000, True, None, 1)
        with pytest.raises(UsageError, match="Please keep your takeaway to 2000 characters"):
            await submit_reflection(cmd, ALICE, COMMUNITY, world.services)
        assert await stored_takeaways(world) == []
        await world.deliver()
        assert [s for s in world.platform.sent if s.kind == "channel"] == []

    @pytest.mark.parametrize("rating", [999, -7, 0, 6])
    async def test_a_rating_outside_one_to_five_is_refused(self, world: World, rating: int) -> None:
        await paired(world)
        cmd = c.SubmitReflection("Good chat", True, rating, 1)
        with pytest.raises(UsageError, match="The rating is a number from 1 to 5."):
            await submit_reflection(cmd, ALICE, COMMUNITY, world.services)
        assert await stored_takeaways(world) == []

    async def test_a_takeaway_with_a_nul_is_refused_whichever_way_it_came(
        self, world: World
    ) -> None:
        await paired(world)
        reply = await handle(
            c.SubmitReflection("a\x00b", True, 5, 1), ALICE, COMMUNITY, world.services
        )
        assert reply.text.startswith("Your takeaway holds a control character (U+0000)")
        assert await stored_takeaways(world) == []

    async def test_an_organisation_from_a_platform_form_is_made_one_line(
        self, world: World
    ) -> None:
        await join_pool(
            c.JoinPool("Devon\n# Heading\n• x", programme_id=GENERAL),
            ALICE,
            COMMUNITY,
            world.services,
        )
        async with world.uow:
            member = await world.uow.members.get(COMMUNITY, "alice", programme_id=GENERAL)
        assert member is not None and member.organisation == "Devon # Heading • x"

    async def test_a_contact_note_over_the_limit_is_refused(self, world: World) -> None:
        await world.say("alice", "join")
        with pytest.raises(DomainError, match="to 300 characters"):
            await set_contact(c.SetContact("x" * 301), ALICE, COMMUNITY, world.services)

    async def test_an_admin_role_longer_than_its_column_is_refused(self, world: World) -> None:
        boss = Actor("boss", "Boss")
        cmd = c.ChangeSettings({"admin-role": f"<@&{'1' * 65}>"})
        with pytest.raises(DomainError, match="is not a role I recognise"):
            await change_settings(cmd, boss, COMMUNITY, world.services)


class TestPeopleNamedMustBeInTheCommunity:
    @pytest.mark.parametrize(
        ("who", "text", "admin"),
        [
            ("alice", "never <@nobody>", False),
            ("boss", "admin optout <@nobody>", True),
            ("boss", "admin optin <@nobody>", True),
            ("boss", "admin block <@alice> <@nobody>", True),
        ],
    )
    async def test_someone_who_never_joined_is_refused_with_the_reason(
        self, world: World, who: str, text: str, admin: bool
    ) -> None:
        await world.say("alice", "join")
        reply = await world.say(who, text, admin=admin)
        assert reply == "<@nobody> has never joined UnMentoring here."
        async with world.uow:
            assert await world.uow.blocks.list(COMMUNITY) == []

    async def test_a_platform_that_names_someone_unknown_gets_the_same_reply(
        self, world: World
    ) -> None:
        await world.say("alice", "join")
        reply = await handle(c.NeverPair("U404"), ALICE, COMMUNITY, world.services)
        assert reply.text == "<@U404> has never joined UnMentoring here."

    async def test_a_huge_name_is_refused_without_being_echoed(self, world: World) -> None:
        await world.say("alice", "join")
        reply = await handle(c.NeverPair("x" * 100_000), ALICE, COMMUNITY, world.services)
        assert reply.text == "That is not a person I recognise."

    async def test_removing_someone_who_is_no_admin_says_so(self, world: World) -> None:
        reply = await world.say("boss", "admin settings remove-admin=<@carol>", admin=True)
        assert reply == "<@carol> was not made an admin here with add-admin."


class TestEchoesAreShort:
    async def test_never_with_a_huge_argument_answers_briefly(self, world: World) -> None:
        await world.say("alice", "join")
        reply = await world.say("alice", "never " + "x" * 100_000)
        assert len(reply) < 200

    async def test_an_unknown_setting_is_quoted_briefly(self, world: World) -> None:
        reply = await world.say("boss", "admin settings " + "k" * 10_000 + "=1", admin=True)
        assert reply.startswith(f"There is no setting '{'k' * 40}…'.")


class TestIntrosShowOneLineFields:
    async def test_an_organisation_stored_with_line_breaks_cannot_shape_the_intro(
        self, world: World
    ) -> None:
        for who in ("alice", "bob"):
            await world.say(who, "join")
        async with world.uow:
            member = await world.uow.members.get(COMMUNITY, "alice", programme_id=GENERAL)
            assert member is not None
            # as stored before organisations were made one line
            member.organisation = "Devon\n# Heading\n• <@bob> owes me"
            member.contact = "call\nme"
            await world.uow.members.save(member)
            await world.uow.commit()
        await world.tick(days=5)
        [intro] = [s for s in world.platform.sent if "say hello" in s.message.text]
        assert "• <@alice> (Devon # Heading • &lt;@bob&gt; owes me) — reach me: call me\n" in (
            intro.message.text
        )


class TestReflectionFields:
    def test_a_form_may_send_the_rating_and_round_as_digits(self) -> None:
        assert checked_reflection_fields(" Worth it\r\n", " 5 ", "3") == ("Worth it", 5, 3)
        assert checked_reflection_fields("Worth it", "", None) == ("Worth it", None, None)

    @pytest.mark.parametrize(
        ("text", "rating", "round_number", "field"),
        [
            ("x" * 2001, None, None, "takeaway"),
            ("a\x00b", None, None, "takeaway"),
            ("ok", True, None, "rating"),
            ("ok", "³", None, "rating"),
            ("ok", 4.0, None, "rating"),
            ("ok", None, "abc", "round"),
            ("ok", None, -1, "round"),
        ],
    )
    def test_a_refusal_names_the_field_at_fault(
        self, text: str, rating: object, round_number: object, field: str
    ) -> None:
        with pytest.raises(FieldRefused) as refused:
            checked_reflection_fields(text, rating, round_number)
        assert refused.value.field == field
