"""A member's about line, time zone and working hours: commands, checks, status, intros, data rights."""

from __future__ import annotations

import json
from datetime import time

import pytest

from pairing_core import commands as c
from pairing_core.command_text import USAGE, parse_command
from pairing_core.dispatch import handle, handle_text, help_text
from pairing_core.errors import InvalidSetting, UsageError
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from pairing_core.services.context import Actor
from pairing_core.working_hours import checked_timezone, matching_timezones, parse_hours
from tests.unit.conftest import COMMUNITY, World


async def person(world: World, who: str) -> list[tuple[str, object, object, object, object]]:
    """The person's profile as stored in each of their memberships."""
    async with world.uow:
        memberships = await world.uow.members.memberships(COMMUNITY, who)
    return [(m.programme_id, m.about, m.timezone, m.work_start, m.work_end) for m in memberships]


class TestParsing:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("timezone Europe/Dublin", c.SetTimezone("Europe/Dublin")),
            ("timezone europe/dublin", c.SetTimezone("Europe/Dublin")),
            ("timezone --clear", c.SetTimezone(None)),
            ("hours 08:00-16:00", c.SetWorkingHours(time(8, 0), time(16, 0))),
            ("hours 8:30 - 17:15", c.SetWorkingHours(time(8, 30), time(17, 15))),
            ("about I run a library service", c.SetAbout("I run a library service")),
            ("about It's  data,\nmostly", c.SetAbout("It's data, mostly")),
            ("about --clear", c.SetAbout(None)),
        ],
    )
    def test_reads_every_form(self, text: str, expected: c.Command) -> None:
        assert parse_command(text) == expected

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            (
                "timezone Mars/Base",
                "Unknown timezone 'Mars/Base': use an IANA name such as Europe/Dublin.",
            ),
            ("timezone", "Give one time zone, like Europe/Dublin."),
            ("timezone Europe/Dublin Europe/Paris", "Give one time zone, like Europe/Dublin."),
            ("hours", "Give your working hours, like 08:00-16:00."),
            ("hours 9-5", "'9-5' is not working hours like 08:00-16:00 (HH:MM-HH:MM)."),
            (
                "hours 17:00-09:00",
                "Your working hours end (09:00) before they start (17:00): give them like "
                "08:00-16:00.",
            ),
            ("hours 09:00-09:00", "Your working hours end (09:00) before they start (09:00)"),
            ("hours 09:00-09:20", "Your working hours must be at least 30 minutes long."),
            ("hours 24:00-25:00", "hours go from 00 to 23 and minutes from 00 to 59."),
            ("about", "Write one line about yourself after the command."),
            ("about " + "x" * 201, "Please keep your about line to 200 characters"),
        ],
    )
    def test_refuses_with_a_one_line_reason_and_the_usage(self, text: str, reason: str) -> None:
        with pytest.raises(UsageError) as refused:
            parse_command(text)
        assert reason in str(refused.value) and "\n" not in str(refused.value)
        assert refused.value.usage == USAGE[text.split()[0]]

    def test_help_lists_the_three_commands(self) -> None:
        text = help_text(is_admin=False)
        for command in ("timezone", "hours", "about"):
            assert f"• `/unmentor {command} " in text

    def test_the_zone_check_ignores_case_and_refuses_paths(self) -> None:
        assert checked_timezone(" asia/KOLKATA ") == "Asia/Kolkata"
        for bad in ("", "../etc/passwd", "Europe/", "x" * 65):
            with pytest.raises(InvalidSetting):
                checked_timezone(bad)

    def test_hours_a_minute_short_of_half_an_hour_are_refused_and_half_an_hour_is_not(
        self,
    ) -> None:
        assert parse_hours("10:00-10:30") == (time(10, 0), time(10, 30))
        with pytest.raises(InvalidSetting):
            parse_hours("10:00-10:29")

    def test_matching_zones_start_with_what_was_typed_then_contain_it_at_most_25(self) -> None:
        assert matching_timezones("europe/dub") == ["Europe/Dublin"]
        found = matching_timezones("lon")
        assert found[:2] == ["Arctic/Longyearbyen", "Europe/London"] and len(found) <= 25
        assert all("lon" in name.lower() for name in found)
        assert found.index("America/Blanc-Sablon") > found.index("Europe/London")
        assert len(matching_timezones("")) == 25
        assert matching_timezones("new york") == ["America/New_York"]


class TestSettingTheProfile:
    async def test_each_is_stored_on_the_person_in_every_programme_and_cleared(
        self, world: World
    ) -> None:
        await world.say("boss", "admin programme create data", admin=True)
        await world.say("alice", "join general")
        await world.say("alice", "join data")
        assert (
            await world.say("alice", "timezone Asia/Kolkata") == "Your time zone is Asia/Kolkata."
        )
        assert await world.say("alice", "hours 08:00-16:00") == (
            "Your working hours are 08:00-16:00, Monday to Friday."
        )
        assert await world.say("alice", "about I look after <b>data</b>") == (
            "Your intros will say about you: I look after &lt;b&gt;data&lt;/b&gt;"
        )
        profile = ("I look after <b>data</b>", "Asia/Kolkata", time(8, 0), time(16, 0))
        assert await person(world, "alice") == [("data", *profile), (GENERAL, *profile)]
        assert await world.say("alice", "about --clear") == "Your about line is cleared."
        assert await world.say("alice", "timezone --clear") == (
            "Your time zone is cleared: your programme's time zone is used."
        )
        assert [p[1:3] for p in await person(world, "alice")] == [(None, None), (None, None)]

    async def test_joining_another_programme_keeps_the_profile(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "timezone Europe/Dublin")
        await world.say("alice", "about Librarian")
        await world.say("alice", "hours 10:00-18:00")
        await world.say("boss", "admin programme create data", admin=True)
        await world.say("alice", "join data")
        profile = ("Librarian", "Europe/Dublin", time(10, 0), time(18, 0))
        assert await person(world, "alice") == [("data", *profile), (GENERAL, *profile)]

    async def test_someone_not_in_the_pot_is_told_to_join(self, world: World) -> None:
        assert await world.say("zed", "timezone Europe/Dublin") == (
            "You're not in the pot yet — join with `/unmentor join`."
        )

    async def test_the_use_case_checks_what_an_adapter_built_itself(self, world: World) -> None:
        await world.say("alice", "join")
        ann = Actor("alice", "Alice")
        reply = await handle(c.SetTimezone("Mars/Base"), ann, COMMUNITY, world.services)
        assert reply.text == "Unknown timezone 'Mars/Base': use an IANA name such as Europe/Dublin."
        reply = await handle(c.SetAbout("a\x00b"), ann, COMMUNITY, world.services)
        assert reply.text.startswith("Your about line holds a control character (U+0000)")
        hours = c.SetWorkingHours(time(12, 0), time(9, 0))
        reply = await handle(hours, ann, COMMUNITY, world.services)
        assert reply.text.startswith("Your working hours end (09:00) before they start (12:00)")
        assert await person(world, "alice") == [(GENERAL, None, None, time(9, 0), time(17, 0))]


class TestPlatformTimezone:
    async def test_the_platforms_zone_is_taken_on_joining(self, world: World) -> None:
        slack = Actor("alice", "Alice", timezone="America/New_York")
        await handle_text("join", slack, COMMUNITY, world.services)
        assert (await person(world, "alice"))[0][2] == "America/New_York"

    async def test_a_member_without_a_zone_gets_the_platforms_on_first_contact(
        self, world: World
    ) -> None:
        await world.say("alice", "join")
        slack = Actor("alice", "Alice", timezone="Europe/Paris")
        await handle_text("status", slack, COMMUNITY, world.services)
        assert (await person(world, "alice"))[0][2] == "Europe/Paris"

    async def test_a_zone_set_by_command_wins_over_the_platforms(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "timezone Asia/Tokyo")
        slack = Actor("alice", "Alice", timezone="Europe/Paris")
        await handle_text("status", slack, COMMUNITY, world.services)
        assert (await person(world, "alice"))[0][2] == "Asia/Tokyo"

    async def test_a_zone_the_system_does_not_know_is_ignored(self, world: World) -> None:
        slack = Actor("alice", "Alice", timezone="Mars/Base")
        await handle_text("join", slack, COMMUNITY, world.services)
        assert (await person(world, "alice"))[0][2] is None


class TestShown:
    async def test_status_shows_the_about_line_zone_and_hours(self, world: World) -> None:
        await world.say("alice", "join")
        text = await world.say("alice", "status")
        assert "About: not set\nTime zone: your programme's\n" in text
        assert "Working hours: 09:00-17:00, Monday to Friday" in text
        await world.say("alice", "timezone Europe/Dublin")
        await world.say("alice", "hours 07:30-15:30")
        await world.say("alice", "about Runs *the* clinic")
        text = await world.say("alice", "status")
        assert (
            "About: Runs *the* clinic\nTime zone: Europe/Dublin\n"
            "Working hours: 07:30-15:30, Monday to Friday\n"
        ) in text

    async def test_the_intro_shows_about_lines_and_local_zones_of_those_who_set_one(
        self, world: World
    ) -> None:
        await world.say("alice", "join Devon CC")
        await world.say("alice", "contact 07700 900123")
        await world.say("alice", "about Runs the library service")
        await world.say("alice", "timezone Asia/Kolkata")
        await world.say("bob", "join")
        await world.say("bob", "timezone Europe/London")
        await world.tick(days=5)  # Monday 9 March 2026: London is on GMT
        (intro,) = [s.message.text for s in world.platform.sent if "say hello" in s.message.text]
        assert (
            "<@alice> (Devon CC, local time IST): Runs the library service — reach me: 07700 900123"
        ) in intro
        assert "<@bob> (local time GMT)" in intro

    async def test_a_member_without_a_zone_or_about_line_reads_as_before(
        self, world: World
    ) -> None:
        await world.say("alice", "join Devon CC")
        await world.say("bob", "join")
        await world.tick(days=5)
        (intro,) = [s.message.text for s in world.platform.sent if "say hello" in s.message.text]
        assert "• <@bob>\n• <@alice> (Devon CC)\n\n" in intro
        assert "local time" not in intro


class TestDataRights:
    async def test_the_export_holds_the_about_line_zone_and_hours(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "timezone Europe/Dublin")
        await world.say("alice", "hours 08:00-16:30")
        await world.say("alice", "about Runs the library service")
        reply = await handle(c.ExportMyData(), Actor("alice", "Alice"), COMMUNITY, world.services)
        member = json.loads(reply.attachments[0].content)["member"]
        assert (member["about"], member["timezone"], member["working_hours"]) == (
            "Runs the library service",
            "Europe/Dublin",
            {"start": "08:00", "end": "16:30", "days": "Monday to Friday"},
        )

    async def test_the_export_says_when_the_zone_was_taken_from_the_platform(
        self, world: World
    ) -> None:
        slack = Actor("alice", "Alice", timezone="Europe/Paris")
        await handle_text("join", slack, COMMUNITY, world.services)
        reply = await handle(c.ExportMyData(), slack, COMMUNITY, world.services)
        member = json.loads(reply.attachments[0].content)["member"]
        assert (member["timezone"], member["timezone_synced_at"]) == (
            "Europe/Paris",
            world.clock.now().isoformat(),
        )

    async def test_erasure_drops_when_the_zone_was_taken_from_the_platform(
        self, world: World
    ) -> None:
        slack = Actor("alice", "Alice", timezone="Europe/Paris")
        await handle_text("join", slack, COMMUNITY, world.services)
        await handle_text("forget-me --confirm", slack, COMMUNITY, world.services)
        state = world.uow.committed
        (tombstone,) = [m for m in state.members.values() if m.status is MemberStatus.ERASED]
        assert (tombstone.timezone, tombstone.timezone_synced_at) == (None, None)

    async def test_erasure_leaves_no_about_line_zone_or_own_hours(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "timezone Europe/Dublin")
        await world.say("alice", "hours 06:00-14:00")
        await world.say("alice", "about Runs the Quixote library service")
        await world.say("alice", "forget-me --confirm")
        state = world.uow.committed
        (tombstone,) = [m for m in state.members.values() if m.status is MemberStatus.ERASED]
        assert (tombstone.about, tombstone.timezone) == (None, None)
        assert (tombstone.work_start, tombstone.work_end) == (time(9, 0), time(17, 0))
        assert "Quixote" not in repr(state) and "Dublin" not in repr(state)
