"""An intro's suggested times on Discord: links, .ics attachments, Book buttons that book."""

from __future__ import annotations

import re

from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, texts
from tests.adapters.discord.test_round import ALICE, BOB, start_round, thread_of
from tests.unit.test_suggested_times import parse_ics, utc


async def test_the_intro_carries_slots_invites_and_book_buttons_that_book(
    world: DiscordWorld,
) -> None:
    round_ = await start_round(world, ALICE, BOB)
    thread = thread_of(world, round_.groups[0].members)
    [intro] = world.fake.messages[thread]
    content = intro["content"]
    assert "Suggested times (30 minutes, inside everyone's working hours)" in content
    assert (
        len(
            re.findall(
                r"\[Outlook\]\(https://outlook\.office\.com/calendar/0/deeplink/compose\?subject=UnMentoring\+conversation&startdt=",
                content,
            )
        )
        == 3
    )
    assert (
        len(
            re.findall(
                r"\[Google\]\(https://calendar\.google\.com/calendar/render\?action=TEMPLATE&text=",
                content,
            )
        )
        == 3
    )
    [posted] = world.fake.called("POST", f"/channels/{thread}/messages")
    files = posted.json["files"]
    assert sorted(files) == [f"unmentoring-round-1-slot-{n}.ics" for n in (1, 2, 3)]
    (event,) = parse_ics(files["unmentoring-round-1-slot-2.ics"])
    buttons = [b for row in intro["components"] for b in row["components"]]
    assert [b["label"] for b in buttons] == ["Book slot 1", "Book slot 2", "Book slot 3"]

    replies = await world.click(BOB, intro, "Book slot 2")
    assert any(t.startswith("Booked slot 2: ") for t in texts(replies)), texts(replies)
    await world.bot.deps.deliver()
    told = world.fake.messages[thread][-1]
    assert told["content"].startswith(f"<@{BOB}> booked slot 2: ")
    booked = world.fake.called("POST", f"/channels/{thread}/messages")[-1]
    (again,) = parse_ics(booked.json["files"]["unmentoring-round-1-slot-2.ics"])
    assert again["UID"] == event["UID"]
    async with world.services().uow as uow:
        stored = await uow.rounds.get(COMMUNITY, GENERAL, 1)
    assert stored is not None
    assert stored.groups[0].checkin is CheckInAnswer.BOOKED
    assert stored.groups[0].booked_slot_at == utc(event["DTSTART"])
    assert ALICE in stored.groups[0].members
