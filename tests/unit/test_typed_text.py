"""Text people type goes into messages escaped: shown as written, never read as markup."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from pairing_core.member import Member
from pairing_core.message import Message, OutboxItem, Target, escape_markup, unescape_markup
from pairing_core.privacy import scrub_outbox_item
from pairing_core.reflection import Reflection
from pairing_core.round import Round, RoundState
from pairing_core.texts import reflection_post, round_summary

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


class TestErasure:
    def test_a_contact_note_is_scrubbed_from_an_intro_that_quotes_it_escaped(self) -> None:
        member = Member("T1", "U1", "Ann", NOW, contact="ann & co")
        text = f"Ask U3 about {escape_markup(member.contact or '')} later"
        item = OutboxItem("T1", "k", Target.channel("C1"), Message(text), NOW)

        scrubbed = scrub_outbox_item(item, "U1", ["ann & co"], "erased-1")

        assert scrubbed is not None
        assert scrubbed.message.text == "Ask U3 about [erased] later"
