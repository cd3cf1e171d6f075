from __future__ import annotations

from datetime import date

import pytest

from pairing_core import commands as c
from pairing_core.command_text import parse_channel, parse_command, parse_mention, parse_role
from pairing_core.errors import UsageError


class TestParseCommand:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", c.ShowHelp()),
            ("help", c.ShowHelp()),
            ("join", c.JoinPool(None)),
            ("join Devon County Council", c.JoinPool("Devon County Council")),
            ('join --org "Devon CC"', c.JoinPool("Devon CC")),
            ("pause 2w", c.PauseMembership(days=14)),
            ("pause 10d", c.PauseMembership(days=10)),
            ("pause until 2026-12-31", c.PauseMembership(until=date(2026, 12, 31))),
            ("never <@U123|alice>", c.NeverPair("U123")),
            ("never --undo <@U123>", c.NeverPair("U123", undo=True)),
            ("contact --clear", c.SetContact(None)),
            ("admin block <@U1> <@U2>", c.AdminBlock("U1", "U2")),
            ("admin round now", c.RunRoundNow()),
            ("admin round skip", c.SkipRound()),
            ("admin settings", c.ShowSettings()),
            (
                "admin settings cadence=weekly size 3",
                c.ChangeSettings({"cadence": "weekly", "size": "3"}),
            ),
            (
                "reflect --private --rating 5 Great",
                c.SubmitReflection("Great", public=False, rating=5),
            ),
        ],
    )
    def test_reads_every_command_form(self, text: str, expected: c.Command) -> None:
        assert parse_command(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("reflect It's worth asking why, isn't it?", "It's worth asking why, isn't it?"),
            ('reflect "Quoted whole"', "Quoted whole"),
            ("reflect \u201cSmart quotes\u201d", "Smart quotes"),
            ('reflect She said "try it"', 'She said "try it"'),
            ('reflect "Listen more" and "talk less"', '"Listen more" and "talk less"'),
            (
                "reflect \u201cAsk\u201d, then \u201clisten\u201d",
                "\u201cAsk\u201d, then \u201clisten\u201d",
            ),
            (
                "reflect Line one\n\n- a point  with  spacing",
                "Line one\n\n- a point  with  spacing",
            ),
            ("takeaway   Leading space goes", "Leading space goes"),
        ],
    )
    def test_a_takeaway_is_kept_as_written(self, text: str, expected: str) -> None:
        assert parse_command(text) == c.SubmitReflection(expected)

    @pytest.mark.parametrize(
        "text",
        [
            "reflect Great chat --private",
            "reflect Great chat --private --rating 4",
            "reflect --rating 4 Great chat --private",
        ],
    )
    def test_flags_count_wherever_they_are_and_never_reach_the_text(self, text: str) -> None:
        command = parse_command(text)
        assert isinstance(command, c.SubmitReflection)
        assert command.text == "Great chat"
        assert command.public is False

    def test_words_that_merely_start_like_a_flag_stay_in_the_text(self) -> None:
        command = parse_command("reflect Use --private-ish settings")
        assert command == c.SubmitReflection("Use --private-ish settings")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("join O'Brien & Partners", c.JoinPool("O'Brien & Partners")),
            ("join --org Devon's Council", c.JoinPool("Devon's Council")),
            (
                "contact Book me at https://cal.example/o'neil",
                c.SetContact("Book me at https://cal.example/o'neil"),
            ),
        ],
    )
    def test_prose_arguments_may_hold_apostrophes(self, text: str, expected: c.Command) -> None:
        assert parse_command(text) == expected

    @pytest.mark.parametrize(
        ("text", "message", "usage"),
        [
            ("dance", "I don't know the command 'dance'. Try `/unmentor help`.", ""),
            ("pause", "Tell me how long to pause for.", "pause <2w|10d|until YYYY-MM-DD>"),
            ("pause until tomorrow", "'tomorrow' is not a date like 2026-12-31.", "pause"),
            ("pause 900d", "A pause lasts from 1 day to a year.", "pause"),
            ("never bob", "'bob' is not a person I recognise.", "never @someone"),
            ("admin block <@U1>", "Name the two people who must never be paired.", "admin block"),
            ("admin round later", "Say `round now` or `round skip`.", "admin round now|skip"),
            ("reflect --rating 9 x", "The rating is a number from 1 to 5.", "reflect"),
            ("admin settings 'unclosed", "I couldn't read that: No closing quotation.", ""),
            ("reflect --rating", "The rating is a number from 1 to 5.", "reflect"),
            ("reflect --private", "Write your takeaway after the command.", "reflect"),
            ("join --org", "Give your organisation after --org.", "join"),
        ],
    )
    def test_bad_arguments_explain_themselves_with_the_usage(
        self, text: str, message: str, usage: str
    ) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command(text)
        assert str(caught.value) == message
        assert caught.value.usage.startswith(usage)


class TestReferences:
    @pytest.mark.parametrize("token", ["<@U123|alice>", "<@U123>", "<@!U123>"])
    def test_reads_every_user_reference_form(self, token: str) -> None:
        assert parse_mention(token) == "U123"

    @pytest.mark.parametrize(
        ("token", "channel"),
        [("<#C1|general>", "C1"), ("<#C1>", "C1"), ("#reflections", "reflections")],
    )
    def test_reads_every_channel_reference_form(self, token: str, channel: str) -> None:
        assert parse_channel(token) == channel

    @pytest.mark.parametrize(("token", "role"), [("<@&123>", "123"), ("123", "123")])
    def test_reads_every_role_reference_form(self, token: str, role: str) -> None:
        assert parse_role(token) == role

    @pytest.mark.parametrize("token", ["<@123>", "<#123>", "@mentors", ""])
    def test_anything_else_is_not_a_role(self, token: str) -> None:
        assert parse_role(token) is None
