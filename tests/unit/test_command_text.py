from __future__ import annotations

from datetime import date

import pytest

from pairing_core import commands as c
from pairing_core.command_text import (
    USAGE,
    parse_channel,
    parse_command,
    parse_mention,
    parse_role,
)
from pairing_core.errors import UsageError
from tests.unit.conftest import World


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
            (
                "pause",
                "Tell me how long to pause for.",
                "pause [programme] <2w|10d|until YYYY-MM-DD>",
            ),
            ("pause until tomorrow", "'tomorrow' is not a date like 2026-12-31.", "pause"),
            ("pause 900d", "A pause lasts from 1 day to a year.", "pause"),
            ("never bob", "'bob' is not a person I recognise.", "never @someone"),
            ("admin block <@U1>", "Name the two people who must never be paired.", "admin block"),
            ("admin round later", "Say `round now` or `round skip`.", "admin round now|skip"),
            ("reflect --rating 9 x", "The rating is a number from 1 to 5.", "reflect"),
            ("admin settings 'unclosed", "I couldn't read that: No closing quotation.", ""),
            ("reflect --rating", "The rating is a number from 1 to 5.", "reflect"),
            # a superscript digit is a digit to str.isdigit but no number to int()
            ("reflect --rating ³ x", "The rating is a number from 1 to 5.", "reflect"),
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


class TestExtraWordsAreRefused:
    @pytest.mark.parametrize(
        ("text", "usage"),
        [
            ("status extra args", "status"),
            ("privacy now", "privacy"),
            ("my-data x", "my-data"),
            ("admin stats x", "admin stats"),
            ("pause 2w please", "pause"),
            ("pause 2 weeks please", "pause"),
            ("pause until 2026-12-31 please", "pause"),
        ],
    )
    def test_words_a_command_does_not_take_are_named_with_the_usage(
        self, text: str, usage: str
    ) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command(text)
        assert str(caught.value).startswith("I don't understand the extra words '")
        assert caught.value.usage == USAGE[usage]

    def test_pause_says_which_words_are_extra(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("pause 2w please")
        assert str(caught.value) == "I don't understand the extra words 'please'."

    def test_a_pause_that_is_no_length_of_time_says_so(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("pause soon")
        assert str(caught.value) == "'soon' is not a length of time like 2w or 10d."

    def test_help_explains_a_known_command(self) -> None:
        assert parse_command("help pause") == c.ShowHelp("pause")
        assert parse_command("help admin settings") == c.ShowHelp("admin settings")

    def test_help_on_something_that_is_no_command_is_refused(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("help me")
        assert str(caught.value) == "I have no help on 'me'."
        assert caught.value.usage == USAGE["help"]


class TestOrganisation:
    @pytest.mark.parametrize(
        "text", ['join --org "A" --org "B"', "join A --org B", "join --org A --org"]
    )
    def test_a_second_org_flag_is_refused(self, text: str) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command(text)
        assert str(caught.value) == "Give one organisation (--org once)."

    @pytest.mark.parametrize("text", ['join "Devon CC', "join --org 'Devon CC", "join \u201cDevon"])
    def test_an_unclosed_quote_is_refused_rather_than_stored(self, text: str) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command(text)
        assert str(caught.value) == "The quote before your organisation is never closed."

    def test_lines_and_bullets_in_an_organisation_become_one_line(self) -> None:
        assert parse_command("join Devon\n# Heading\n• bullet") == c.JoinPool(
            "Devon # Heading • bullet"
        )


class TestTypedValuesWithinLimits:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("join Devon\x00CC", "Your organisation holds a control character (U+0000)"),
            ("contact call\x00me", "Your contact note holds a control character (U+0000)"),
            ("reflect Great\x1bchat", "Your takeaway holds a control character (U+001B)"),
            (
                "join " + "x" * 121,
                "Please keep your organisation to 120 characters (this one has 121).",
            ),
            ("contact " + "x" * 301, "Please keep your contact note to 300 characters"),
            ("reflect " + "x" * 2001, "Please keep your takeaway to 2000 characters"),
            (
                "admin settings admin-role=" + "r" * 201,
                "Please keep your setting to 200 characters",
            ),
        ],
    )
    def test_a_value_outside_the_core_limits_is_refused_with_the_usage(
        self, text: str, message: str
    ) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command(text)
        assert str(caught.value).startswith(message)
        assert caught.value.usage


class TestEchoes:
    def test_a_reply_quotes_only_a_short_prefix_of_what_was_typed(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("never " + "x" * 100_000)
        assert str(caught.value) == f"'{'x' * 40}…' is not a person I recognise."

    def test_an_overlong_mention_names_nobody(self) -> None:
        assert parse_mention("<@" + "U" * 65 + ">") is None


class TestPeopleNamedInSettings:
    def test_add_admin_is_read_with_the_platforms_own_way_of_naming(self) -> None:
        def at_name(token: str) -> str | None:
            return token[1:] if token.startswith("@") else None

        assert parse_command("admin settings add-admin=@carol", at_name) == c.ChangeSettings(
            {"add-admin": "<@carol>"}
        )

    def test_an_unrecognised_person_is_refused(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("admin settings remove-admin=@carol")
        assert str(caught.value) == "'@carol' is not a person I recognise."

    def test_an_unrecognised_person_in_a_block_is_named(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse_command("admin block <@U1> @bob")
        assert str(caught.value) == "'@bob' is not a person I recognise."


class TestHelpTopics:
    async def test_help_on_a_command_shows_its_usage(self, world: World) -> None:
        assert await world.say("alice", "help pause") == (
            "Usage:\n• `/unmentor pause [programme] &lt;2w|10d|until YYYY-MM-DD&gt;`"
        )

    async def test_help_on_admin_lists_every_admin_command(self, world: World) -> None:
        reply = await world.say("alice", "help admin")
        assert reply.count("• `/unmentor admin ") == len(
            [k for k in USAGE if k.startswith("admin")]
        )

    async def test_help_on_an_unknown_topic_is_refused_with_the_usage(self, world: World) -> None:
        assert await world.say("alice", "help me") == (
            "I have no help on 'me'.\nUsage: `/unmentor help [command]`"
        )
