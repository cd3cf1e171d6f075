"""Several programmes in one server: commands name one, buttons carry theirs, threads go to theirs."""

from __future__ import annotations

from typing import Any

from adapters.discord.listeners.components import CHOICE_FORGOTTEN
from adapters.discord.render import ChoiceTexts
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from pairing_core.round import Round
from tests.adapters.discord.conftest import (
    COMMUNITY,
    REFLECTIONS,
    ChannelRef,
    DiscordWorld,
    edit_of,
    texts,
)
from tests.adapters.discord.fake_discord import GUILD
from tests.adapters.discord.test_round import ADMIN, ALICE, BOB, CAROL, move_to

DATA_INTROS = "600000000000000003"
DATA_REFLECTIONS = "600000000000000004"


async def create_data(world: DiscordWorld, **settings: Any) -> str:
    """Give the server a second programme, "data", by command; return the reply."""
    [created] = await world.slash(
        ADMIN, "unmentor-admin programme create", admin=True, name="data", **settings
    )
    assert created.startswith("Programme **data** is created"), created
    return created


async def started(world: DiscordWorld, programme: str) -> Round:
    [reply] = await world.slash(ADMIN, "unmentor-admin round now", admin=True, programme=programme)
    assert "Round 1 has started" in reply, reply
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(COMMUNITY, programme, 1)
    assert round_ is not None
    return round_


def threads_in(world: DiscordWorld, parent: str) -> dict[str, dict[str, Any]]:
    return {t: v for t, v in world.fake.threads.items() if v["parent"] == parent}


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message["components"] for b in row["components"]]


class TestARoundInTwoProgrammes:
    async def test_a_person_in_both_gets_each_programmes_thread_buttons_and_takeaway(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, channel=ChannelRef(REFLECTIONS)
        )
        await create_data(
            world, channel=ChannelRef(DATA_REFLECTIONS), intros_channel=ChannelRef(DATA_INTROS)
        )
        await world.slash(ALICE, "unmentor join", programme="general")
        await world.slash(BOB, "unmentor join", programme="general")
        await world.slash(ALICE, "unmentor join", programme="data")
        await world.slash(CAROL, "unmentor join", organisation="data")  # the first word names it
        general, data = await started(world, GENERAL), await started(world, "data")
        assert general.groups[0].members != data.groups[0].members

        # each programme's group has its own thread, in that programme's intros channel
        [general_thread] = threads_in(world, REFLECTIONS)
        [data_thread] = threads_in(world, DATA_INTROS)
        assert sorted(world.fake.threads[general_thread]["members"]) == sorted([ALICE, BOB])
        assert sorted(world.fake.threads[data_thread]["members"]) == sorted([ALICE, CAROL])
        assert world.fake.threads[general_thread]["name"].startswith("UnMentoring · ")
        assert world.fake.threads[data_thread]["name"].startswith("UnMentoring data · ")
        # and says which programme it is from (Discord shows the escaped bracket as "[")
        for thread, name in ((general_thread, "general"), (data_thread, "data")):
            [intro] = world.fake.messages[thread]
            assert intro["content"].startswith(f"\\[{name}] **UnMentoring round 1** — say hello!")

        await move_to(world, data.checkin_at)
        general_checkin = world.fake.messages[general_thread][1]
        data_checkin = world.fake.messages[data_thread][1]
        assert buttons(general_checkin)[0]["custom_id"] == f"unmentor:checkin:{GUILD}:1:0:met"
        assert buttons(data_checkin)[0]["custom_id"] == f"unmentor:checkin:{GUILD}:1:0:met:data"

        replies = await world.click(ALICE, data_checkin, "We've met")
        assert f"<@{ALICE}> answered “We've met”" in edit_of(replies)["content"]
        assert texts(replies)[-1:] == ["Thanks, noted."]
        # Alice's general check-in is untouched: the button named its programme
        async with world.services().uow as uow:
            stored_data = await uow.rounds.get(COMMUNITY, "data", 1)
            stored_general = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert stored_data is not None and stored_data.groups[0].checkin_by == ALICE
        assert stored_general is not None and stored_general.groups[0].checkin is None
        # a data button pressed in general's thread changes nothing
        forged = {**data_checkin, "channel_id": general_thread}
        assert "nothing was changed" in texts(await world.click(ALICE, forged, "We've met"))[0]
        replies = await world.click(BOB, general_checkin, "It's booked")
        assert texts(replies)[-1:] == ["Thanks, noted."]

        await move_to(world, data.reflection_at)
        for thread, channel, other in (
            (data_thread, DATA_REFLECTIONS, CAROL),
            (general_thread, REFLECTIONS, BOB),
        ):
            [opened] = await world.click(ALICE, world.fake.messages[thread][2], "Share a takeaway")
            modal = opened.json["data"]
            suffix = ":data" if thread == data_thread else ""
            assert modal["custom_id"] == f"unmentor:reflection:{GUILD}:1{suffix}"
            reply = await world.submit(
                ALICE, modal, {"takeaway": f"Learnt in {channel}", "rating": "4"}, thread
            )
            assert reply == [
                f"Thank you — your takeaway for round 1, credited to you and <@{other}>, will "
                f"appear in <#{channel}>."
            ]
            [post] = world.fake.messages[channel]
            assert post["content"].endswith(f"> Learnt in {channel}")
        async with world.services().uow as uow:
            [in_data] = await uow.reflections.list(COMMUNITY, "data")
            [in_general] = await uow.reflections.list(COMMUNITY, GENERAL)
        assert in_data.text == f"Learnt in {DATA_REFLECTIONS}"
        assert in_general.text == f"Learnt in {REFLECTIONS}"


class TestIntrosChannelPerProgramme:
    async def test_a_programmes_intros_channel_set_by_settings_takes_its_threads(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, channel=ChannelRef(REFLECTIONS)
        )
        await create_data(world, channel=ChannelRef(DATA_REFLECTIONS))
        [saved] = await world.slash(
            ADMIN,
            "unmentor-admin settings",
            admin=True,
            intros_channel=ChannelRef(DATA_INTROS),
            programme="data",
        )
        assert f"intros-channel (Discord threads): <#{DATA_INTROS}>" in saved
        for member in (ALICE, BOB):
            await world.slash(member, "unmentor join", programme="data")
        await started(world, "data")
        [thread] = world.fake.threads
        assert world.fake.threads[thread]["parent"] == DATA_INTROS
        assert not world.fake.called("POST", f"/channels/{REFLECTIONS}/threads")

    async def test_without_one_a_programmes_threads_go_to_its_reflections_channel(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, channel=ChannelRef(REFLECTIONS)
        )
        await create_data(world, channel=ChannelRef(DATA_REFLECTIONS))
        for member in (ALICE, BOB):
            await world.slash(member, "unmentor join", programme="data")
        await started(world, "data")
        [thread] = world.fake.threads
        assert world.fake.threads[thread]["parent"] == DATA_REFLECTIONS

    async def test_with_no_channel_at_all_its_groups_get_direct_messages(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(
            ADMIN, "unmentor-admin settings", admin=True, channel=ChannelRef(REFLECTIONS)
        )
        await create_data(world)
        for member in (ALICE, BOB):
            await world.slash(member, "unmentor join", programme="data")
        await started(world, "data")
        assert world.fake.threads == {}
        assert world.fake.called("POST", f"/channels/9{ALICE}/messages")
        assert world.fake.called("POST", f"/channels/9{BOB}/messages")


class TestChoosingAProgramme:
    async def test_join_without_a_programme_asks_with_a_button_each_and_a_press_joins(
        self, world: DiscordWorld
    ) -> None:
        await create_data(world)
        calls = await world.slash_calls(ALICE, "unmentor join")
        [question] = [c for c in calls if (c.json or {}).get("content")]
        assert question.json["content"].startswith("Which programme?")
        assert question.json["flags"] == 64  # only Alice sees it
        message = world.reply_message(question)
        assert [(b["label"], b["custom_id"]) for b in buttons(message)] == [
            ("general", "unmentor:programme:join general"),
            ("data", "unmentor:programme:join data"),
        ]

        replies = await world.click(ALICE, message, "data")
        assert replies[0].json == {"type": 5, "data": {"flags": 64}}  # answered privately
        [joined] = texts(replies)
        assert joined.startswith("You're in the data pot"), joined
        assert replies[-1].json["flags"] == 64
        async with world.services().uow as uow:
            in_data = await uow.members.get(COMMUNITY, ALICE, programme_id="data")
            in_general = await uow.members.get(COMMUNITY, ALICE, programme_id=GENERAL)
        assert in_data is not None and in_data.status is MemberStatus.ACTIVE
        assert in_general is None or in_general.status is not MemberStatus.ACTIVE

    async def test_a_choice_too_long_for_a_custom_id_works_until_the_bot_restarts(
        self, world: DiscordWorld
    ) -> None:
        await create_data(world)
        organisation = "Department for Levelling Up, Housing and Communities " * 2
        calls = await world.slash_calls(ALICE, "unmentor join", organisation=organisation.strip())
        [question] = [c for c in calls if (c.json or {}).get("content")]
        message = world.reply_message(question)
        ids = [b["custom_id"] for b in buttons(message)]
        assert all(i.startswith("unmentor:programme:#") and len(i) <= 100 for i in ids)

        [joined] = texts(await world.click(ALICE, message, "data"))
        assert joined.startswith("You're in the data pot") and "Levelling Up" in joined
        world.bot.deps.choices = ChoiceTexts()  # what a restart forgets
        assert texts(await world.click(ALICE, message, "general")) == [CHOICE_FORGOTTEN]

    async def test_an_admin_command_naming_no_programme_asks_which(
        self, world: DiscordWorld
    ) -> None:
        await create_data(world)
        calls = await world.slash_calls(ADMIN, "unmentor-admin round now", admin=True)
        [question] = [c for c in calls if (c.json or {}).get("content")]
        message = world.reply_message(question)
        assert [b["custom_id"] for b in buttons(message)] == [
            "unmentor:programme:admin round now --programme general",
            "unmentor:programme:admin round now --programme data",
        ]
        payload = world._base(ADMIN, 3, world._channel_of("600000000000000001"), True)
        payload["message"] = message
        payload["data"] = {"custom_id": buttons(message)[1]["custom_id"], "component_type": 2}
        [reply] = texts(await world.dispatch(payload))
        assert "Round 1 has started" in reply
        async with world.services().uow as uow:
            data = await uow.rounds.get(COMMUNITY, "data", 1)
            general = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert data is not None and data.state.value != "scheduled"
        assert general is not None and general.state.value == "scheduled"


class TestReflectNamingAProgramme:
    async def test_the_form_opened_by_the_command_records_the_takeaway_in_that_programme(
        self, world: DiscordWorld
    ) -> None:
        await create_data(world)
        for programme, partner in ((GENERAL, BOB), ("data", CAROL)):
            await world.slash(ALICE, "unmentor join", programme=programme)
            await world.slash(partner, "unmentor join", programme=programme)
        await started(world, GENERAL)
        await started(world, "data")
        payload = world._base(ALICE, 2, world._channel_of("600000000000000001"), False)
        payload["data"] = world._command_data(
            "unmentor reflect", {"private": True, "programme": "data"}
        )
        [opened] = await world.dispatch(payload)
        reply = await world.submit(
            ALICE,
            opened.json["data"],
            {"takeaway": "Data people think alike"},
            "600000000000000001",
        )
        assert f"credited to you and <@{CAROL}>, is recorded privately" in reply[0], reply
        async with world.services().uow as uow:
            [saved] = await uow.reflections.list(COMMUNITY, "data")
            assert await uow.reflections.list(COMMUNITY, GENERAL) == []
        assert saved.text == "Data people think alike"
