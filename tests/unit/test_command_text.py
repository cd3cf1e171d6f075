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
            ('join "unclosed', "I couldn't read that: No closing quotation.", ""),
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
