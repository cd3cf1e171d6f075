"""An intro's suggested times on Slack: links, .ics files in its thread, Book buttons that book."""

from __future__ import annotations

from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import posted, start_round, with_ts
from tests.unit.test_suggested_times import parse_ics, utc

GROUP_DM = "GU1-U2"


async def test_the_intro_carries_slots_invites_and_book_buttons_that_book(
    world: SlackWorld,
) -> None:
    await start_round(world, "U1", "U2")
    [intro] = posted(world, GROUP_DM)
    assert "Suggested times (30 minutes, inside everyone's working hours)" in intro["text"]
    assert intro["text"].count("|Outlook>") == 3 and intro["text"].count("|Google>") == 3
    # the invites are files in the intro's thread, not code blocks in it
    assert [b["type"] for b in intro["blocks"]] == ["section", "actions"]
    labels = [e["text"]["text"] for e in intro["blocks"][1]["elements"]]
    assert labels == ["Book slot 1", "Book slot 2", "Book slot 3"]
    [shown, files] = world.slack.shown_in(GROUP_DM)
    assert files["thread_ts"] == shown["ts"]
    assert [f["name"] for f in files["files"]] == [
        f"unmentoring-round-1-slot-{n}.ics" for n in (1, 2, 3)
    ]
    (event,) = parse_ics(world.slack.uploaded(files["files"][0]["id"]))
    assert event["SUMMARY"] == "UnMentoring conversation"

    await world.click("U2", with_ts(intro, shown["ts"]), "Book slot 1", GROUP_DM)
    assert world.slack.called("respond")[-1].args["text"].startswith("Booked slot 1: ")
    await world.deps.deliver()
    told = posted(world, GROUP_DM)[-1]
    assert told["text"].startswith("<@U2> booked slot 1: ")
    booked_file = world.slack.shown_in(GROUP_DM)[-1]["files"][0]
    (again,) = parse_ics(world.slack.uploaded(booked_file["id"]))
    assert (again["UID"], again["DTSTART"]) == (event["UID"], event["DTSTART"])
    async with world.services().uow as uow:
        stored = await uow.rounds.get(TEAM, GENERAL, 1)
    assert stored is not None
    assert stored.groups[0].checkin is CheckInAnswer.BOOKED
    assert stored.groups[0].booked_slot_at == utc(event["DTSTART"])


async def test_without_files_write_the_intro_still_arrives_with_its_links(
    world: SlackWorld,
) -> None:
    from tests.adapters.slack.test_round_summary import refuse

    world.slack.failures.append(refuse("files.getUploadURLExternal", "missing_scope"))
    await start_round(world, "U1", "U2")
    [intro] = posted(world, GROUP_DM)
    assert intro["text"].count("|Outlook>") == 3
    assert [m.get("files") for m in world.slack.shown_in(GROUP_DM)] == [[]]  # no file share
