"""The playground runs the real core, storage and round lifecycle through the console adapter."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console.platform import ConsolePlatform
from adapters.console.session import PlaygroundClock, PlaygroundSession
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import CheckInAnswer
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


class Transcript:
    def __init__(self, session: PlaygroundSession, lines: list[str]) -> None:
        self.session, self.lines = session, lines

    def restarted(self) -> Transcript:
        """Return the session as a restart leaves it: the same storage, a new screen's memory."""
        old = self.session
        platform = ConsolePlatform(self.lines.append, old.files_dir)
        session = PlaygroundSession(
            old.services, platform, old.clock, old.community_id, old.files_dir
        )
        return Transcript(session, self.lines)

    async def type(self, line: str) -> list[str]:
        """Type a line and return what the screen shows in answer."""
        before = len(self.lines)
        await self.session.handle_line(line)
        return self.lines[before:]


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Transcript]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}")
    lines: list[str] = []
    async with open_storage(settings) as storage:
        clock = PlaygroundClock(START)
        services = services_for(storage, clock, seed=1)
        await ensure_community(
            storage.uow,
            START,
            "playground",
            "console",
            "the playground",
            ProgrammeSettings(admins=frozenset({"admin"}), reflections_channel="reflections"),
        )
        platform = ConsolePlatform(lines.append, tmp_path / "files", now=clock.now)
        session = PlaygroundSession(services, platform, clock, "playground", tmp_path / "files")
        yield Transcript(session, lines)


def written_files(screen: list[str], where: str = "") -> list[Path]:
    """The files the screen says were written (``where``: only those it says went there)."""
    return [
        Path(line.split(" written to ")[1].rstrip(")"))
        for line in screen
        if " written to " in line and where in line
    ]


class TestPlayground:
    async def test_a_whole_round_from_joining_to_a_posted_takeaway(
        self, playground: Transcript
    ) -> None:
        for line in (
            'as alice: /unmentor join --org "Devon CC"',
            "as bob: /unmentor join Leeds CC",
        ):
            screen = await playground.type(line)
            assert "You're in the pot" in screen[0]
        screen = await playground.type("advance 5d")
        assert "  (bot: matched round 1)" in screen and "  (bot: introduced round 1)" in screen
        intro = next(s for s in screen if "say hello" in s)
        assert intro.startswith("  [group DM @alice, @bob]") or intro.startswith(
            "  [group DM @bob, @alice]"
        )
        assert "@alice (Devon CC)" in intro and "@bob (Leeds CC)" in intro

        screen = await playground.type("advance 7d")
        assert any(
            "buttons: [1] We've met  [2] It's booked  [3] Not this time" in s for s in screen
        )
        screen = await playground.type("as bob: press met")
        assert screen[0].endswith("@bob answered “We've met”. Thank you!")
        screen = await playground.type("as alice: press 1")
        assert screen == ["  [only @alice sees] Your group has already answered “We've met”."]

        await playground.type("advance 5d")
        screen = await playground.type("as alice: press share")
        assert "/unmentor reflect" in screen[0]
        screen = await playground.type(
            "as alice: /unmentor reflect Councils share more than we think"
        )
        assert screen[-1].startswith("  [#reflections] *Takeaway from round 1*")

    async def test_a_group_silent_after_the_check_in_is_reminded_and_can_answer_there(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        await playground.type("advance 5d")
        await playground.type("advance 7d")  # the check-in, Monday 16 March
        screen = await playground.type("advance 1d")
        assert not any("A reminder" in s for s in screen)
        screen = await playground.type("advance 1d")
        assert "  (bot: reminded unanswered groups of round 1)" in screen
        at = next(i for i, s in enumerate(screen) if "A reminder, in case the check-in" in s)
        assert screen[at].startswith(("  [group DM @alice, @bob]", "  [group DM @bob, @alice]"))
        assert screen[at + 1] == "    buttons: [1] We've met  [2] It's booked  [3] Not this time"

        screen = await playground.type("as alice: press booked")
        assert screen[0].endswith(
            "@alice answered “It's booked”. Thank you! If that changes, press the new answer."
        )
        async with playground.session.services.uow as uow:
            round_ = await uow.rounds.get("playground", GENERAL, 1)
        assert round_ is not None
        assert round_.groups[0].checkin is CheckInAnswer.BOOKED
        assert round_.groups[0].checkin_by == "alice"
        assert not any("A reminder" in s for s in await playground.type("advance 2d"))

    async def test_a_check_in_press_answers_the_same_before_and_after_a_restart(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        await playground.type("advance 5d")
        await playground.type("advance 7d")
        screen = await playground.type("as bob: press not this time")
        assert screen[0].endswith(
            "@bob answered “Not this time”. Thank you! If that changes, press the new answer."
        )
        assert screen[1] == "    buttons: [1] We've met  [2] It's booked"

        restarted = playground.restarted()
        screen = await restarted.type("as alice: press met")
        assert screen[0].endswith("@alice answered “We've met”. Thank you!")
        assert screen[-1] == "  [only @alice sees] Thanks, noted: your group's answer is updated."

        before = await restarted.type("as bob: press booked")
        assert before == ["  [only @bob sees] Your group has already answered “We've met”."]
        assert await restarted.restarted().type("as bob: press booked") == before

    async def test_the_round_summary_is_posted_and_its_chart_written_to_a_file(
        self, playground: Transcript, tmp_path: Path
    ) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        await playground.type("advance 5d")
        await playground.type("as alice: /unmentor reflect Worth the hour")
        screen = await playground.type("advance 14d")
        summary = next(s for s in screen if "Round 1 is over" in s)
        assert summary.startswith("  [#reflections] *Round 1 is over.*")
        # the console gives no links, so the takeaway is quoted alone
        assert summary.endswith("> Worth the hour")
        # the next round's intro writes its calendar invites too; the chart is the channel's file
        [path] = written_files(screen, "posted in #reflections")
        assert path.parent == tmp_path / "files"
        assert path.name.startswith("playground-reflections-") and path.suffix == ".png"
        assert path.read_bytes().startswith(b"\x89PNG")

    async def test_every_rounds_chart_gets_its_own_file(self, playground: Transcript) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        charts: list[Path] = []
        for _ in range(4):
            charts += written_files(await playground.type("advance 14d"), "posted in #")
        assert len(charts) >= 2  # one per closed round
        charts += written_files(await playground.type("admin: /unmentor admin stats"))
        charts += written_files(await playground.type("admin: /unmentor admin stats"))
        assert len(set(charts)) == len(charts)
        assert all(chart.read_bytes().startswith(b"\x89PNG") for chart in charts)

    async def test_one_advance_goes_at_most_400_days(self, playground: Transcript) -> None:
        screen = await playground.type("advance 1000000d")
        assert screen == ["  One `advance` goes at most 400 days: type it again to go further."]
        screen = await playground.type("time")
        assert screen[0] == "  It is 2026-03-04 12:00 UTC."
        screen = await playground.type("advance 400d")
        assert screen[0] == "  (time is now 2027-04-08 12:00 UTC)"
        screen = await playground.type("advance 576001m")
        assert screen[0].startswith("  One `advance` goes at most 400 days")

    async def test_one_long_advance_runs_every_step_that_fell_due_in_it(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob", "carol", "dan", "erin", "fay"):
            await playground.type(f"as {who}: /unmentor join")
        screen = await playground.type("advance 400d")
        # 400 days of fortnightly rounds: round 29 is the one running at the end
        assert "  (bot: introduced round 29)" in screen
        assert "  (bot: matched round 30)" not in screen
        # every message is shown, more than one delivery batch of them: 3 intros a round
        intros = [line for line in screen if "*UnMentoring round 29*" in line]
        assert len(intros) == 3
        assert await playground.type("time") == [
            "  It is 2027-04-08 12:00 UTC.",
            "  Round 30 starts Monday 19 April (2027-04-19 08:30 UTC).",
        ]
        # nothing was left over for the next line to run
        assert await playground.type("dance") == [
            "  I didn't understand that line. Type `help` for what you can do."
        ]

    async def test_each_reply_is_shown_only_to_its_sender(self, playground: Transcript) -> None:
        screen = await playground.type("as carol: /unmentor pause 2w")
        assert screen == [
            "  [only @carol sees] You're not in the pot yet — join with `/unmentor join`."
        ]

    async def test_members_cannot_use_admin_commands_but_the_admin_can(
        self, playground: Transcript
    ) -> None:
        screen = await playground.type("as mallory: /unmentor admin round now")
        assert "only this community's admins" in screen[0]
        screen = await playground.type("admin: /unmentor admin round now")
        assert "Round 1 has started" in screen[0]

    async def test_unknown_lines_and_commands_explain_what_to_do(
        self, playground: Transcript
    ) -> None:
        assert "Type `help`" in (await playground.type("dance"))[0]
        screen = await playground.type("as alice: /unmentor dance")
        assert "I don't know the command 'dance'. Try `/unmentor help`." in screen[0]

    async def test_an_advance_it_cannot_read_says_how_to_write_one(
        self, playground: Transcript
    ) -> None:
        for line in ("advance", "advance -5d", "advance 3x", "advance 2 weeks"):
            screen = await playground.type(line)
            assert screen == [
                "  Say how far to go, in whole days, hours or minutes: `advance 7d`, "
                "`advance 12h` or `advance 30m` (time only moves forward)."
            ], line
        assert (await playground.type("time"))[0] == "  It is 2026-03-04 12:00 UTC."

    async def test_a_press_naming_no_button_says_how_to_name_one(
        self, playground: Transcript
    ) -> None:
        screen = await playground.type("as bob: press")
        assert screen == ["  Say which button: `as bob: press 1`, or part of its label."]

    async def test_state_survives_a_restart(self, tmp_path: Path) -> None:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'again.db'}")
        for _ in range(2):
            async with open_storage(settings) as storage:
                services = services_for(storage, PlaygroundClock(START), seed=1)
                await ensure_community(storage.uow, START, "p", "console", "p")
                async with storage.uow:
                    members = await storage.uow.members.list("p", programme_id=GENERAL)
                if not members:
                    from pairing_core.dispatch import handle_text
                    from pairing_core.services.context import Actor

                    await handle_text("join", Actor("alice", "alice"), "p", services)
        assert [m.member_id for m in members] == ["alice"]


class TestDataRights:
    async def test_my_data_writes_a_json_file_and_says_where(
        self, playground: Transcript, tmp_path: Path
    ) -> None:
        await playground.type("as alice: /unmentor join Devon CC")
        screen = await playground.type("as alice: /unmentor my-data")
        path = tmp_path / "files" / "playground-alice-20260304-1200-unmentor-my-data.json"
        assert f"  (file for @alice written to {path})" in screen
        assert json.loads(path.read_text())["member"]["organisation"] == "Devon CC"

    async def test_forget_me_asks_first_then_a_button_press_erases(
        self, playground: Transcript
    ) -> None:
        await playground.type("as alice: /unmentor join Devon CC")
        screen = await playground.type("as alice: /unmentor forget-me")
        assert any("Erase me, keep takeaways anonymised" in line for line in screen)
        screen = await playground.type("as alice: press 2")
        assert any(
            "everything UnMentoring held about you here is erased" in line for line in screen
        )
        screen = await playground.type("as alice: /unmentor my-data")
        assert any("holds nothing about you" in line for line in screen)


class TestLeavingMidRound:
    async def test_whoever_leaves_hears_nothing_more_and_the_others_carry_on(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob", "carol"):
            await playground.type(f"as {who}: /unmentor join")
        screen = await playground.type("advance 5d")
        intro = next(s for s in screen if "say hello" in s)
        assert all(f"@{who}" in intro.split("]")[0] for who in ("alice", "bob", "carol"))
        await playground.type("as carol: /unmentor leave")

        after = await playground.type("advance 7d")
        screen = await playground.type("as carol: press met")
        assert screen == ["  @carol has no button 'met' to press."]
        screen = await playground.type("as bob: press met")
        assert screen[0].endswith("@bob answered “We've met”. Thank you!")
        after += await playground.type("advance 5d")
        headings = [s.split("]")[0] for s in after if s.startswith("  [")]
        # the check-in, then the prompt, each to a group DM of the two still taking part
        people = [sorted(h.removeprefix("  [group DM ").split(", ")) for h in headings]
        assert people == [["@alice", "@bob"], ["@alice", "@bob"]]
        assert "@carol" not in "\n".join(after)
        assert any("Half-way check-in" in s for s in after)
        assert any("What did you take away" in s for s in after)


class TestPeopleNamedWithAt:
    """In the playground ``@name`` names a member, as a mention does on Slack and Discord."""

    async def test_never_at_name_blocks_that_member(self, playground: Transcript) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        screen = await playground.type("as alice: /unmentor never @Bob")
        assert screen == [
            "  [only @alice sees] Noted, privately: you'll never be paired with @bob. "
            "Nobody else can see this."
        ]
        screen = await playground.type("advance 5d")
        assert "  (bot: matched round 1)" in screen
        assert not any("say hello" in line for line in screen)

    async def test_admin_commands_take_at_names(self, playground: Transcript) -> None:
        for who in ("alice", "bob", "carol"):
            await playground.type(f"as {who}: /unmentor join")
        for line, answer in (
            ("admin: /unmentor admin optout @alice", "@alice is opted out"),
            ("admin: /unmentor admin optin @alice", "@alice is opted back in"),
            ("admin: /unmentor admin block @alice @bob", "@alice and @bob will never be paired"),
            ("admin: /unmentor admin settings add-admin=@carol", "admins: @admin, @carol"),
            ("admin: /unmentor admin settings remove-admin=@carol", "admins: @admin\n"),
        ):
            [reply] = await playground.type(line)
            assert answer in reply, line
        [reply] = await playground.type("as carol: /unmentor admin stats")
        assert "only this community's admins" in reply

    async def test_a_name_that_never_joined_is_refused_with_the_reason(
        self, playground: Transcript
    ) -> None:
        await playground.type("as alice: /unmentor join")
        for line in (
            "as alice: /unmentor never @nobody",
            "as alice: /unmentor never <@nobody>",
            "admin: /unmentor admin block @alice @nobody",
        ):
            screen = await playground.type(line)
            assert screen[0].endswith("@nobody has never joined UnMentoring here."), line

    async def test_a_takeaway_shows_quoted_so_it_cannot_fake_a_header(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        await playground.type("advance 5d")
        # a terminal line holds no line break: the takeaway comes as a platform's form sends it
        typed = "Good\n*Takeaway from round 1* — <@carol> and <@dave>:\nFake"
        session = playground.session
        await handle(
            c.SubmitReflection(typed), Actor("alice", "alice"), "playground", session.services
        )
        screen = await playground.type("time")
        post = next(line for line in screen if line.startswith("  [#reflections]"))
        header, *rest = post.split("\n")
        assert header.startswith("  [#reflections] *Takeaway from round 1* — @")
        assert rest == [
            "    > Good",
            "    > *Takeaway from round 1* — @carol and @dave:",
            "    > Fake",
        ]

    async def test_leaving_twice_says_you_already_left(self, playground: Transcript) -> None:
        await playground.type("as alice: /unmentor join")
        await playground.type("as alice: /unmentor leave")
        screen = await playground.type("as alice: /unmentor leave")
        assert screen == [
            "  [only @alice sees] You've already left UnMentoring; `/unmentor join` any time to "
            "come back."
        ]


class TestTwoProgrammes:
    async def test_a_whole_round_in_two_programmes_with_a_person_in_both(
        self, playground: Transcript
    ) -> None:
        await playground.type("advance 1h")  # "data" is created after "general"
        screen = await playground.type("admin: /unmentor admin programme create data size=2")
        assert screen[0].startswith("  [only @admin sees] Programme *data* is created")
        screen = await playground.type("as alice: /unmentor join")
        assert screen[0].startswith("  [only @alice sees] Which programme? There are several")
        assert "buttons: [1] general  [2] data" in screen[1]
        screen = await playground.type("as alice: press data")
        assert screen[0].startswith("  [only @alice sees] You're in the data pot!")
        await playground.type("as alice: /unmentor join general")
        await playground.type("as bob: /unmentor join general")
        await playground.type("as carol: /unmentor join data")
        status = await playground.type("as alice: /unmentor status")
        assert any("[general] Status: *active*" in line for line in status)
        assert any("[data] Status: *active*" in line for line in status)

        screen = await playground.type("advance 5d")
        assert "  (bot: general: introduced round 1)" in screen
        assert "  (bot: data: introduced round 1)" in screen
        intros = [line for line in screen if "say hello" in line]
        assert len(intros) == 2
        assert any("[general] *UnMentoring round 1*" in line for line in intros)
        assert any("[data] *UnMentoring round 1*" in line for line in intros)

        await playground.type("advance 12d")
        screen = await playground.type(
            "as carol: /unmentor reflect --programme data Data people think alike"
        )
        assert "for round 1, credited to you and @alice" in screen[0]
        screen = await playground.type("as bob: /unmentor reflect Councils differ less")
        assert "for round 1, credited to you and @alice" in screen[0]
        listing = await playground.type("as alice: /unmentor programmes")
        assert any("✓ *general*" in line for line in listing)
        assert any("✓ *data*" in line for line in listing)


class TestProfileInThePlayground:
    async def test_zone_hours_and_about_are_set_and_shown_in_the_intro(
        self, playground: Transcript
    ) -> None:
        await playground.type("as alice: /unmentor join Devon CC")
        await playground.type("as bob: /unmentor join")
        screen = await playground.type("as alice: /unmentor timezone Asia/Kolkata")
        assert screen == ["  [only @alice sees] Your time zone is Asia/Kolkata."]
        screen = await playground.type("as alice: /unmentor hours 8:00-16:00")
        assert screen == [
            "  [only @alice sees] Your working hours are 08:00-16:00, Monday to Friday."
        ]
        screen = await playground.type("as alice: /unmentor about Runs the library service")
        assert screen == [
            "  [only @alice sees] Your intros will say about you: Runs the library service"
        ]
        screen = await playground.type("as bob: /unmentor timezone Mars/Base")
        assert screen[0].startswith(
            "  [only @bob sees] Unknown timezone 'Mars/Base': use an IANA name such as "
            "Europe/Dublin.\n"
        )
        screen = await playground.type("advance 5d")
        intro = next(s for s in screen if "say hello" in s)
        assert "@alice (Devon CC, local time IST): Runs the library service" in intro


class TestHeadsUpInThePlayground:
    async def test_pressing_skip_on_the_heads_up_leaves_one_out_of_that_round(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob", "carol"):
            await playground.type(f"as {who}: /unmentor join")
        screen = await playground.type("advance 4d")
        assert "  (bot: sent the heads-up for round 1)" in screen
        heads_up = next(
            i for i, s in enumerate(screen) if "@alice" in s and "Round 1 starts tomorrow" in s
        )
        assert "you're in." in screen[heads_up]
        assert screen[heads_up + 1] == "    buttons: [1] Skip this round  [2] Pause 2 weeks"
        screen = await playground.type("as alice: press skip this round")
        assert "You'll skip round 1" in screen[0]
        screen = await playground.type("as alice: /unmentor status")
        assert any("You're skipping round 1" in s for s in screen)

        screen = await playground.type("advance 1d")
        intro = next(s for s in screen if "say hello" in s)
        assert "@bob" in intro and "@carol" in intro and "@alice" not in intro
        assert not any("No conversation for you" in s for s in screen)
        screen = await playground.type("as alice: press 1")
        assert screen == [
            "  [only @alice sees] Round 1 was already matched; "
            "skip the next one with `/unmentor skip`."
        ]


class TestSuggestedTimes:
    async def test_the_intro_shows_slots_writes_invites_and_a_book_press_tells_the_group(
        self, playground: Transcript
    ) -> None:
        from tests.unit.test_suggested_times import parse_ics

        await playground.type("as alice: /unmentor join")
        await playground.type("as bob: /unmentor join")
        await playground.type("as bob: /unmentor timezone America/New_York")
        screen = await playground.type("advance 5d")
        intro = next(s for s in screen if "say hello" in s)
        assert "Suggested times (30 minutes, inside everyone's working hours)" in intro
        assert intro.count("Outlook (https://outlook.office.com/calendar/0/deeplink/compose?") == 3
        assert "&startdt=" in intro and "&amp;" not in intro
        assert any(
            "buttons: [1] Book slot 1  [2] Book slot 2  [3] Book slot 3" in s for s in screen
        )
        invites = written_files(screen)
        assert [p.name.rsplit("-", 4)[-4:] for p in invites] == [
            ["round", "1", "slot", f"{n}.ics"] for n in (1, 2, 3)
        ]
        (event,) = parse_ics(invites[2].read_bytes())
        assert event["SUMMARY"] == "UnMentoring conversation"

        screen = await playground.type("as alice: press book slot 3")
        assert screen[0].startswith("  [only @alice sees] Booked slot 3: ")
        told = next(s for s in screen if "booked slot 3" in s)
        assert told.startswith("  [group DM ") and "@alice booked slot 3: " in told
        assert " for @bob" in told and " for @alice" in told
        [booked] = written_files(screen)
        (again,) = parse_ics(booked.read_bytes())
        assert (again["UID"], again["DTSTART"]) == (event["UID"], event["DTSTART"])
        screen = await playground.type("as bob: /unmentor book 3")
        assert screen == ["  [only @bob sees] Your group has already booked slot 3."]


class TestQuietMembersInThePlayground:
    async def test_three_silent_rounds_pause_a_member_and_its_resume_button_works(
        self, playground: Transcript
    ) -> None:
        for who in ("alice", "bob"):
            await playground.type(f"as {who}: /unmentor join")
        screen: list[str] = []
        for _ in range(50):  # a day at a time, so each step is sent when due: rounds 1-4
            screen += await playground.type("advance 1d")
        notice = next(i for i, s in enumerate(screen) if "@alice" in s and "I've paused you" in s)
        assert "last 3 rounds (1, 2, 3)" in screen[notice]
        assert screen[notice + 1] == "    buttons: [1] Resume"
        reply = await playground.type("as alice: press resume")
        assert "Welcome back" in reply[0]
        status = await playground.type("as alice: /unmentor status")
        assert status[0].startswith("  [only @alice sees] Status: *active*")
