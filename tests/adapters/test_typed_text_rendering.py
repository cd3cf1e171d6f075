"""Typed text escaped by the core reaches Discord and the console character for character.

On Discord, typed text never makes a masked link, a mention, a custom emoji or a timestamp: the
"<" and "[" that would start one are escaped. Discord's own markdown in it (``__``, ``~~``,
``||``, a "#", "-#" or ">" at a line's start) formats as its writer meant, as ``*bold*`` does on
Slack: escaping it (``discord.utils.escape_markdown``) would also undo the core's own bold and
italics, which the rendering cannot tell from typed text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from adapters.console.platform import render
from adapters.discord.render import chunks, discord_text
from pairing_core.message import escape_markup
from pairing_core.reflection import Reflection
from pairing_core.texts import reflection_post

# Discord shows "\" before any ASCII punctuation as that character alone (outside code).
_DISCORD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# "*" and "`" are the markup's own bold and code in every platform (Slack cannot escape them),
# so a typed "*x*" becomes "**x**" on Discord: the properties are about every other character.
prose = st.text().filter(lambda t: "*" not in t and "`" not in t)


def with_escapes_read(content: str) -> str:
    """Return the characters of Discord content with its backslash escapes read, as Discord does."""
    return _DISCORD_ESCAPE.sub(r"\1", content)


# A takeaway whose second line is written to look like the bot's own header for another group.
FAKE_HEADER = "Great chat\n*Takeaway from round 1* — @a and @b:\r\nFake"


def post_of(typed: str) -> str:
    now = datetime(2026, 3, 4, tzinfo=UTC)
    return reflection_post(Reflection("T1", 1, 0, "1", ("1", "2"), typed, True, now)).text


class TestDiscordGetsTypedText:
    @given(prose)
    def test_escaped_text_arrives_character_for_character(self, typed: str) -> None:
        assert with_escapes_read(discord_text(escape_markup(typed))) == typed

    @given(prose)
    def test_a_takeaway_post_carries_the_takeaway_character_for_character(self, typed: str) -> None:
        quoted = "\n".join(f"> {line}" for line in typed.splitlines() or [""])
        expected = f"**Takeaway from round 1** — <@1> and <@2>:\n{quoted}"
        assert with_escapes_read(discord_text(post_of(typed))) == expected

    def test_every_line_of_a_takeaway_is_quoted_so_none_passes_for_the_header(self) -> None:
        post = discord_text(post_of(FAKE_HEADER))
        header, *rest = post.split("\n")
        assert header == "**Takeaway from round 1** — <@1> and <@2>:"
        assert rest == ["> Great chat", "> **Takeaway from round 1** — @a and @b:", "> Fake"]

    @given(prose)
    def test_typed_text_never_makes_a_masked_link_a_mention_an_emoji_or_a_timestamp(
        self, typed: str
    ) -> None:
        content = discord_text(escape_markup(typed))
        assert re.search(r"(?<!\\)<[@#:at]", content) is None
        assert re.search(r"(?<!\\)\[[^\]]*\]\(", content) is None

    def test_discords_own_markdown_in_typed_text_is_left_to_format(self) -> None:
        typed = "__init__ ||x|| ~~y~~\n# heading\n-# small\n> quote"
        assert discord_text(escape_markup(typed)) == typed

    @given(prose.filter(lambda t: "\n" not in t))
    def test_a_long_line_is_never_split_inside_an_escape(self, typed: str) -> None:
        parts = chunks(discord_text(escape_markup(typed * 20)), limit=50)
        assert "".join(with_escapes_read(part) for part in parts) == typed * 20

    def test_the_core_markup_around_typed_text_is_still_converted(self) -> None:
        text = f"*Hi* <@1|ann>, see <https://x.example|this>: {escape_markup('<@2> & [a](b)')}"
        assert discord_text(text) == (
            "**Hi** <@1>, see [this](https://x.example): \\<@2> & \\[a](b)"
        )

    def test_inside_code_the_characters_show_without_escapes(self) -> None:
        assert discord_text(f"`/unmentor {escape_markup('pause <2w|10d>')}`") == (
            "`/unmentor pause <2w|10d>`"
        )


class TestConsoleShowsTypedText:
    @given(st.text())
    def test_escaped_text_shows_as_typed(self, typed: str) -> None:
        assert render(escape_markup(typed)) == typed

    def test_a_takeaway_post_shows_the_takeaway_as_typed(self) -> None:
        assert render(post_of("<!channel> a & b")).endswith("\n> <!channel> a & b")

    def test_every_line_of_a_takeaway_is_quoted_so_none_passes_for_the_header(self) -> None:
        header, *rest = render(post_of(FAKE_HEADER)).split("\n")
        assert header == "*Takeaway from round 1* — @1 and @2:"
        assert rest == ["> Great chat", "> *Takeaway from round 1* — @a and @b:", "> Fake"]
