"""A whole round through Discord: private threads, check-in buttons, the takeaway form, the post."""

from __future__ import annotations

from typing import Any

from adapters.discord.listeners.components import NOT_THIS_CONVERSATION
from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.round_calendar import run_due_steps
from tests.adapters.discord.conftest import (
    COMMUNITY,
    REFLECTIONS,
    ChannelRef,
    DiscordWorld,
    edit_of,
    texts,
)
from tests.adapters.discord.fake_discord import GUILD

ADMIN = "100000000000000009"
ALICE, BOB, CAROL, DAN = (f"10000000000000000{i}" for i in range(1, 5))


async def start_round(world: DiscordWorld, *members: str, channel: bool = True) -> Round:
    """Configure the channel, let ``members`` join, and run ``round now`` as a server admin."""
    if channel:
        [saved] = await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, channel=ChannelRef(REFLECTIONS)
        )
        assert saved.startswith("Saved.") and f"<#{REFLECTIONS}>" in saved
    for member in members:
        await world.slash(member, "unmentor join")
    [started] = await world.slash(ADMIN, "unmentor-admin round now", admin=True)
    assert started.startswith("Round 1 has started"), started
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(COMMUNITY, GENERAL, 1)
    assert round_ is not None
    return round_


async def move_to(world: DiscordWorld, moment: Any) -> None:
    """Move the clock and run what falls due, as the scheduler would, then deliver."""
    world.clock.current = moment
    async with world.services().uow as uow:
        programmes = await uow.programmes.list(COMMUNITY)
    for programme in programmes:
        await run_due_steps(world.services(), COMMUNITY, programme.id)
    await world.bot.deps.deliver()


def thread_of(world: DiscordWorld, members: tuple[str, ...]) -> str:
    [thread] = [t for t, v in world.fake.threads.items() if sorted(v["members"]) == sorted(members)]
    return thread


class TestWholeRound:
    async def test_joins_threads_intros_check_in_takeaway_and_the_channel_post(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB, CAROL, DAN)

        created = world.fake.called("POST", f"/channels/{REFLECTIONS}/threads")
        assert len(created) == 2
        assert all(c.json["type"] == 12 and c.json["invitable"] is False for c in created)
        group = round_.groups[0]
        thread = thread_of(world, group.members)
        [intro] = world.fake.messages[thread]
        assert intro["content"].startswith("**UnMentoring round 1** — say hello!")
        assert all(f"<@{m}>" in intro["content"] for m in group.members)
        # only the people the intro names can be pinged: no @everyone, no roles, nobody else
        assert world.fake.called("POST", f"/channels/{thread}/messages")[0].json[
            "allowed_mentions"
        ] == {"parse": [], "users": sorted(int(m) for m in group.members)}

        await move_to(world, round_.checkin_at)
        checkin = world.fake.messages[thread][1]
        buttons = [b for row in checkin["components"] for b in row["components"]]
        assert [b["label"] for b in buttons] == ["We've met", "It's booked", "Not this time"]
        assert buttons[0]["custom_id"] == f"unmentor:checkin:{GUILD}:1:{group.index}:met"

        first, second = group.members
        replies = await world.click(second, checkin, "We've met")
        update = edit_of(replies)  # the check-in message itself is updated for the group
        assert f"<@{second}> answered “We've met”" in update["content"]
        assert update["components"] == []
        assert texts(replies)[-1:] == ["Thanks, noted."]

        again = await world.click(first, checkin, "It's booked")
        assert "Your group has already answered “We've met”." in texts(again)
        async with world.services().uow as uow:
            stored = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert stored is not None and stored.groups[group.index].checkin_by == second

        await move_to(world, round_.reflection_at)
        prompt = world.fake.messages[thread][2]
        [opened] = await world.click(first, prompt, "Share a takeaway")
        assert opened.json["type"] == 9
        modal = opened.json["data"]
        assert modal["custom_id"] == f"unmentor:reflection:{GUILD}:1"

        reply = await world.submit(
            first, modal, {"takeaway": "Councils share more than we think", "rating": "4"}, thread
        )
        assert reply == [
            f"Thank you — your takeaway for round 1, credited to you and <@{second}>, will appear "
            f"in <#{REFLECTIONS}>."
        ]
        [post] = world.fake.messages[REFLECTIONS]
        assert post["content"] == (
            f"**Takeaway from round 1** — <@{first}> and <@{second}>:\n"
            "> Councils share more than we think"
        )
        async with world.services().uow as uow:
            [reflection] = await uow.reflections.list(COMMUNITY, GENERAL)
        assert reflection.rating == 4 and reflection.public

    async def test_a_bad_rating_is_explained_and_nothing_is_posted(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.reflection_at)
        thread = thread_of(world, round_.groups[0].members)
        prompt = world.fake.messages[thread][-1]
        [opened] = await world.click(ALICE, prompt, "Share a takeaway")
        reply = await world.submit(
            ALICE, opened.json["data"], {"takeaway": "Good", "rating": "9"}, thread
        )
        assert reply == ["The rating is a number from 1 to 5."]
        assert REFLECTIONS not in world.fake.messages

    async def test_a_check_in_answered_keeps_the_buttons_of_better_answers(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.checkin_at)
        checkin = world.fake.messages[thread_of(world, round_.groups[0].members)][-1]
        replies = await world.click(ALICE, checkin, "Not this time")
        update = edit_of(replies)
        assert "answered “Not this time”" in update["content"]
        buttons = [b for row in update["components"] for b in row["components"]]
        assert [b["label"] for b in buttons] == ["We've met", "It's booked"]
        replies = await world.click(BOB, checkin, "We've met")
        assert edit_of(replies)["components"] == []
        assert texts(replies)[-1:] == ["Thanks, noted: your group's answer is updated."]

    async def test_a_stranger_cannot_answer_a_groups_check_in(self, world: DiscordWorld) -> None:
        round_ = await start_round(world, ALICE, BOB)
        await move_to(world, round_.checkin_at)
        checkin = world.fake.messages[thread_of(world, round_.groups[0].members)][-1]
        replies = await world.click(CAROL, checkin, "We've met")
        assert texts(replies) == ["This check-in is for another group."]
        assert replies[-1].json["flags"] == 64  # ephemeral

    async def test_a_check_in_pressed_in_another_groups_thread_changes_nothing(
        self, world: DiscordWorld
    ) -> None:
        round_ = await start_round(world, ALICE, BOB, CAROL, DAN)
        await move_to(world, round_.checkin_at)
        mine, theirs = round_.groups
        my_checkin = world.fake.messages[thread_of(world, mine.members)][-1]
        # the member's own group's button, arriving as if on the other group's thread
        forged = {**my_checkin, "channel_id": thread_of(world, theirs.members)}
        replies = await world.click(mine.members[0], forged, "We've met")
        assert replies[0].json["type"] == 6  # answered at once
        assert texts(replies) == [NOT_THIS_CONVERSATION]
        assert not [c for c in replies if c.method == "PATCH"]
        async with world.services().uow as uow:
            stored = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert stored is not None and stored.groups[mine.index].checkin is None

    async def test_reflect_opens_the_form_and_a_private_takeaway_is_not_posted(
        self, world: DiscordWorld
    ) -> None:
        await start_round(world, ALICE, BOB)
        payload = world._base(ALICE, 2, world._channel_of("600000000000000001"), False)
        payload["data"] = world._command_data("unmentor reflect", {"private": True})
        [opened] = await world.dispatch(payload)
        assert opened.json["type"] == 9
        assert opened.json["data"]["title"] == "Record a private takeaway"
        reply = await world.submit(
            ALICE, opened.json["data"], {"takeaway": "Keep it between us"}, "600000000000000001"
        )
        assert reply[0].startswith("Thank you — your takeaway for round 1, credited to you and <@")
        assert reply[0].endswith(">, is recorded privately.")
        assert REFLECTIONS not in world.fake.messages
