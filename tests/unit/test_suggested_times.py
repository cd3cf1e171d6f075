"""The intro's suggested times, their calendar invites, and ``book N``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pairing_core.calendar_invite import ics_invite, slot_uid
from pairing_core.meeting_slots import Slot
from pairing_core.message import Message
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, RoundState
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import Sent

# Round 1 is introduced on Monday 9 March 2026 09:30 London (GMT, UTC+0). New York moved to
# summer time (UTC-4) on 8 March; London moves (to UTC+1) on 29 March.
SLOT = re.compile(
    r"^(\d)\. (\w{3} \d{1,2} \w{3}) (\d\d:\d\d) for <@(\w+)>, (\d\d:\d\d) for <@(\w+)> — "
    r"<(https://outlook[^|]+)\|Outlook> · <(https://calendar.google[^|]+)\|Google>",
    re.MULTILINE,
)


def parse_ics(content: bytes) -> list[dict[str, str]]:
    """Read VEVENTs back: CRLF lines, folds joined, one dict of properties per event."""
    text = content.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    events: list[dict[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and line != "END:VEVENT":
            events[-1][name] = value
    return events


def utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


async def introduced(
    world: World, alice_zone: str = "America/New_York", hours: str | None = None
) -> Sent:
    for who in ("alice", "bob"):
        await world.say(who, "join")
        if hours:
            assert (await world.say(who, f"hours {hours}")).startswith("Your working hours")
    await world.say("alice", f"timezone {alice_zone}")
    await world.tick(days=5)
    return next(s for s in world.platform.sent if "*UnMentoring round 1*" in s.message.text)


class TestIntroSlots:
    async def test_three_slots_in_each_persons_time_inside_both_working_days(
        self, world: World
    ) -> None:
        intro = await introduced(world)
        slots = SLOT.findall(intro.message.text)
        assert (
            "Suggested times (30 minutes, inside everyone's working hours), to add to your "
            "calendar with a link or the attached .ics file:" in intro.message.text
        )
        assert [s[0] for s in slots] == ["1", "2", "3"]
        days = set()
        for _, day, first, who, second, other, *_ in slots:
            local = {who: time.fromisoformat(first), other: time.fromisoformat(second)}
            assert {who, other} == {"alice", "bob"}
            # New York is 4 hours behind London this week; both work 09:00-17:00
            minutes = {k: v.hour * 60 + v.minute for k, v in local.items()}
            assert minutes["bob"] - minutes["alice"] == 4 * 60
            assert time(9) <= local["alice"] and local["bob"] <= time(16, 30)
            days.add(day)
        assert len(days) == 3 and all(
            d.startswith(("Mon", "Tue", "Wed", "Thu", "Fri")) for d in days
        )

    async def test_each_slot_has_an_invite_links_and_a_book_button(self, world: World) -> None:
        intro = await introduced(world)
        message: Message = intro.message
        files = message.attachments
        assert [f.filename for f in files] == [
            f"unmentoring-round-1-slot-{n}.ics" for n in (1, 2, 3)
        ]
        assert {f.media_type for f in files} == {"text/calendar"}
        for number, line in enumerate(SLOT.findall(message.text), start=1):
            (event,) = parse_ics(files[number - 1].content)
            start, end = utc(event["DTSTART"]), utc(event["DTEND"])
            assert end - start == timedelta(minutes=30)
            bob = line[2] if line[3] == "bob" else line[4]
            assert start.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == bob
            assert event["UID"] == slot_uid(COMMUNITY, GENERAL, 1, 0, number)
            assert event["SUMMARY"] == "UnMentoring conversation"
            assert "Alice" in event["DESCRIPTION"] and "Bob" in event["DESCRIPTION"]
            assert not any(k.startswith("ATTENDEE") for k in event)
            stamp = start.strftime("%Y%m%dT%H%M%SZ")
            # the markup writes a link's "&" as "&amp;"
            assert f"startdt={start:%Y-%m-%dT%H:%M}:00Z&amp;" in line[6]
            assert f"dates={stamp}/{end:%Y%m%dT%H%M%SZ}" in line[7]
            assert "action=TEMPLATE&amp;text=UnMentoring+conversation" in line[7]
            action = message.actions[number - 1]
            assert (action.label, action.value) == (
                f"Book slot {number}",
                f"book {number} {start:%Y%m%dT%H%MZ}",
            )
        assert "meet.google" not in message.text and "zoom" not in message.text.lower()

    async def test_the_invites_uid_and_times_are_the_same_each_time_it_is_written(
        self, world: World
    ) -> None:
        from pairing_core.meeting_texts import slots_section
        from pairing_core.services.community_setup import load_programme

        intro = await introduced(world)
        async with world.uow:
            programme = await load_programme(world.uow, COMMUNITY, GENERAL)
            members = {
                m.member_id: m
                for m in await world.uow.members.list(COMMUNITY, programme_id=GENERAL)
            }
        round_ = (await world.rounds())[0]
        _, _, again = slots_section(programme, round_, round_.groups[0], members)
        assert [parse_ics(f.content) for f in again] == [
            parse_ics(f.content) for f in intro.message.attachments
        ]

    async def test_no_shared_hours_says_so_and_suggests_one_least_bad_time(
        self, world: World
    ) -> None:
        intro = await introduced(world, alice_zone="Pacific/Auckland", hours="09:00-10:00")
        text = intro.message.text
        assert (
            "No time falls inside everyone's working hours this week; the least awkward time, "
            in (text)
        )
        assert len(SLOT.findall(text)) == 1
        assert len(intro.message.attachments) == 1 and len(intro.message.actions) == 1


class TestInviteFile:
    def test_times_are_utc_so_a_slot_after_the_clock_change_reads_right(self) -> None:
        london = ZoneInfo("Europe/London")
        before = datetime(2026, 3, 27, 10, 0, tzinfo=london)  # GMT
        after = datetime(2026, 3, 30, 10, 0, tzinfo=london)  # BST
        stamp = datetime(2026, 3, 23, tzinfo=UTC)
        for local, expected in ((before, "20260327T100000Z"), (after, "20260330T090000Z")):
            slot = Slot(local, local + timedelta(minutes=30))
            (event,) = parse_ics(ics_invite(slot, "u@x", ["Ann", "Bo"], stamp))
            assert event["DTSTART"] == expected
            assert utc(event["DTSTART"]).astimezone(london).time() == time(10)

    def test_long_names_are_folded_and_escaped(self) -> None:
        slot = Slot(datetime(2026, 3, 9, 13, tzinfo=UTC), datetime(2026, 3, 9, 13, 30, tzinfo=UTC))
        names = ["Zoë O'Brien; Head, Data", "Bartholomew " * 6]
        content = ics_invite(slot, "u@x", names, slot.start)
        assert all(len(line.encode()) <= 75 for line in content.decode().split("\r\n"))
        (event,) = parse_ics(content)
        assert "Zoë O'Brien\\; Head\\, Data\\," in event["DESCRIPTION"]


class TestBook:
    async def test_booking_marks_the_group_booked_and_tells_it_with_the_invite(
        self, world: World
    ) -> None:
        intro = await introduced(world)
        reply = await world.say("bob", "book 2")
        assert reply.startswith("Booked slot 2: ") and reply.endswith("I've told your group.")
        group = (await world.rounds())[0].groups[0]
        (event,) = parse_ics(intro.message.attachments[1].content)
        assert group.checkin is CheckInAnswer.BOOKED and group.checkin_by == "bob"
        assert group.booked_slot_at == utc(event["DTSTART"])
        told = world.platform.sent[-1]
        assert told.message.text.startswith("<@bob> booked slot 2: ")
        assert set(told.to) == {"alice", "bob"}
        (booked,) = parse_ics(told.message.attachments[0].content)
        assert booked["UID"] == event["UID"] and booked["DTSTART"] == event["DTSTART"]
        assert await world.say("alice", "book 2") == "Your group has already booked slot 2."

    async def test_the_button_books_the_time_the_intro_showed(self, world: World) -> None:
        intro = await introduced(world)
        # New York 16:00-17:00 is 20:00-21:00 in London: no shared time now, one least-bad slot
        await world.say("alice", "hours 16:00-17:00")
        assert await world.say("alice", "book 3") == (
            "There is 1 suggested time: book 1, as numbered in your intro."
        )
        reply = await world.say("alice", intro.message.actions[2].value)
        assert reply.startswith("Booked slot 3: ")
        (event,) = parse_ics(intro.message.attachments[2].content)
        assert (await world.rounds())[0].groups[0].booked_slot_at == utc(event["DTSTART"])
        told = world.platform.sent[-1].message.attachments[0]
        assert parse_ics(told.content) == [event]  # the same invite, the same UID

    async def test_refusals_are_one_line(self, world: World) -> None:
        assert await world.say("alice", "book 1") == (
            "You're not in a group in a running round, so there's no time to book."
        )
        await introduced(world)
        assert await world.say("alice", "book 4") == (
            "There are 3 suggested times: book 1 to 3, as numbered in your intro."
        )
        assert (await world.say("alice", "book soon")).startswith(
            "Give the number of a suggested time, like `book 1`."
        )
        async with world.uow:  # the round ended and no later one has started
            round_ = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
            assert round_ is not None
            round_.state = RoundState.CLOSED
            await world.uow.rounds.save(round_)
            await world.uow.commit()
        assert await world.say("alice", "book 1") == (
            "Round 1 is over: there's nothing left to book."
        )

    async def test_a_group_that_met_has_nothing_to_book(self, world: World) -> None:
        from tests.unit.test_nudges import answer

        await introduced(world)
        await answer(world, "alice", CheckInAnswer.MET)
        assert await world.say("bob", "book 1") == (
            "Your group has already met this round: nothing to book."
        )
        assert (await world.rounds())[0].groups[0].booked_slot_at is None


class TestMetRateBySlot:
    async def test_groups_that_booked_a_slot_and_those_that_did_not_are_counted_apart(
        self, world: World
    ) -> None:
        from pairing_core.services.outcome_figures import outcome_report
        from tests.unit.test_nudges import answer

        for who in ("alice", "bob", "carol", "dan", "erin", "fay"):
            await world.say(who, "join")
        await world.tick(days=5)
        groups = (await world.rounds())[0].groups
        assert len(groups) == 3
        first, second, third = (g.members[0] for g in groups)
        await world.say(first, "book 1")  # booked, then met
        await answer(world, first, CheckInAnswer.MET)
        await world.say(second, "book 3")  # booked, did not meet
        await answer(world, third, CheckInAnswer.MET)  # met without booking
        report = await outcome_report(world.services, COMMUNITY, GENERAL)
        row = report.rounds[0]
        assert (row.groups, row.met, row.booked_slot, row.met_with_slot) == (3, 2, 2, 1)
        assert (row.met_rate_slot, row.met_rate_no_slot) == (0.5, 1.0)
        assert (report.cumulative.booked_slot, report.cumulative.met_with_slot) == (2, 1)
        stats = await world.say("boss", "admin stats", admin=True)
        assert "slot met|slot met|none" in stats
        assert "   2      50%     100%" in stats
