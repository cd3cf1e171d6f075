"""Text people type goes into messages escaped: shown as written, never read as markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from pairing_core.command_text import USAGE
from pairing_core.dispatch import help_text
from pairing_core.member import Member
from pairing_core.message import (
    Message,
    OutboxItem,
    Target,
    escape_markup,
    escape_prose,
    unescape_markup,
)
from pairing_core.ports import DeliveryError
from pairing_core.privacy import scrub_outbox_item
from pairing_core.reflection import Reflection
from pairing_core.round import Round, RoundState
from pairing_core.texts import reflection_post, round_summary
from tests.unit.conftest import World

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
PING = "<!channel> hi & bye"


def takeaway(text: str) -> Reflection:
    return Reflection("T1", 1, 0, "U1", ("U1", "U2"), text, True, NOW)


class TestEscapeMarkup:
    @given(st.text())
    def test_typed_text_comes_back_exactly_and_holds_no_markup(self, typed: str) -> None:
        escaped = escape_markup(typed)
        assert "<" not in escaped and ">" not in escaped
        assert unescape_markup(escaped) == typed

    def test_an_entity_typed_as_text_is_kept_as_typed(self) -> None:
        assert escape_markup("&amp; &lt;") == "&amp;amp; &amp;lt;"
        assert unescape_markup("&amp;amp; &amp;lt;") == "&amp; &lt;"


class TestEscapeProse:
    def test_a_named_person_stays_a_bare_mention_and_the_rest_is_text(self) -> None:
        typed = "Thanks <@U2|bob>, <@!123> & <@U3|https://evil.example> <!channel> <#C1>"
        assert escape_prose(typed) == (
            "Thanks <@U2>, <@123> &amp; <@U3> &lt;!channel&gt; &lt;#C1&gt;"
        )

    @given(st.text().filter(lambda t: "<@" not in t))
    def test_without_mentions_it_is_escape_markup(self, typed: str) -> None:
        assert escape_prose(typed) == escape_markup(typed)

    @given(st.text())
    def test_only_bare_mentions_survive_as_markup(self, typed: str) -> None:
        shown = escape_prose(typed)
        outside = shown
        for mention in set(re.findall(r"<@[A-Za-z0-9]+>", shown)):
            outside = outside.replace(mention, "")
        assert "<" not in outside and ">" not in outside


class TestMessagesQuoteTypedText:
    def test_a_takeaway_post_quotes_the_text_as_written(self) -> None:
        post = reflection_post(takeaway(PING)).text
        assert post == (
            "*Takeaway from round 1* — <@U1> and <@U2>:\n> &lt;!channel&gt; hi &amp; bye"
        )

    def test_the_round_summary_quotes_each_takeaway_as_written(self) -> None:
        closed = Round("T1", 1, RoundState.CLOSED, NOW, NOW, NOW, NOW)

        summary = round_summary(closed, [(PING, "https://x.example/p1"), ("a & b", None)])
        assert "> &lt;!channel&gt; hi &amp; bye (<https://x.example/p1|see the post>)" in (
            summary.text
        )
        assert summary.text.endswith("\n> a &amp; b")

    def test_the_help_shows_the_usage_placeholders_as_text(self) -> None:
        text = help_text(is_admin=False)
        assert f"`/unmentor {escape_markup(USAGE['pause'])}`" in text
        assert "<2w" not in text


class TestErasure:
    def test_a_contact_note_is_scrubbed_from_an_intro_that_quotes_it_escaped(self) -> None:
        member = Member("T1", "U1", "Ann", NOW, contact="ann & co")
        text = f"Ask U3 about {escape_markup(member.contact or '')} later"
        item = OutboxItem("T1", "k", Target.channel("C1"), Message(text), NOW)

        scrubbed = scrub_outbox_item(item, "U1", ["ann & co"], "erased-1")

        assert scrubbed is not None
        assert scrubbed.message.text == "Ask U3 about [erased] later"


class TestRepliesQuoteTypedText:
    async def test_organisation_and_contact_note_are_echoed_as_written(self, world: World) -> None:
        joined = await world.say("alice", "join R&D <!here>")
        contact = await world.say("alice", "contact <https://evil.example|my calendar>")
        status = await world.say("alice", "status")

        assert "(organisation: R&amp;D &lt;!here&gt;)" in joined
        assert contact.endswith(": &lt;https://evil.example|my calendar&gt;")
        assert "Organisation: R&amp;D &lt;!here&gt;" in status
        assert "Contact note: &lt;https://evil.example|my calendar&gt;" in status

    async def test_an_unknown_command_is_quoted_as_text(self, world: World) -> None:
        reply = await world.say("alice", "<!channel>")
        assert reply.startswith("I don't know the command '&lt;!channel&gt;'.")

    async def test_a_delivery_failure_quotes_the_platforms_reason_as_text(
        self, world: World
    ) -> None:
        def refused(kind: str, to: tuple[str, ...]) -> None:
            if kind != "direct":
                raise DeliveryError("<!channel> refused & gone", permanent=True)

        world.platform.fail = refused
        for who in ("alice", "carol"):
            await world.say(who, "join")
        await world.tick(days=5)
        await world.deliver()

        [notice] = world.platform.to("boss")
        assert ": &lt;!channel&gt; refused &amp; gone." in notice.message.text
