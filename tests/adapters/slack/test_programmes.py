"""Programmes on Slack: a whole round in two programmes of one workspace with a person in both,
the "Which programme?" buttons, channels bound to a programme, and the Home tab of several."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.modals import UNKNOWN_PROGRAMME
from adapters.slack.run_words import CANNOT_SEE_CHANNEL
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.round_calendar import run_due_steps
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_files import BOT_USER
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_events import home_text
from tests.adapters.slack.test_home_buttons import latest_home, open_home
from tests.adapters.slack.test_round import _submission, posted, with_ts

DATA = "data"  # the second programme's name, and so its id


async def two_programmes(world: SlackWorld) -> None:
    """General (takeaways in CREFL) and data (takeaways in CDATA), with an admin."""
    world.slack.add_user("UADMIN", "boss", admin=True)
    await world.command("UADMIN", "admin settings channel=<#CREFL|reflections> add-admin=<@UADMIN>")
    reply = await world.command("UADMIN", "admin programme create data channel=<#CDATA|data-talk>")
    assert reply.startswith("Programme *data* is created")


async def membership(world: SlackWorld, user: str, programme: str) -> MemberStatus | None:
    async with world.services().uow as uow:
        member = await uow.members.get(TEAM, user, programme_id=programme)
    return member.status if member else None


async def stored_round(world: SlackWorld, programme: str, number: int = 1) -> Round:
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(TEAM, programme, number)
    assert round_ is not None
    return round_


async def move_to(world: SlackWorld, moment: Any) -> None:
    """Move the clock and run what falls due in both programmes, as the scheduler would."""
    world.clock.current = moment
    for programme in (GENERAL, DATA):
        await run_due_steps(world.services(), TEAM, programme)
    await world.deps.deliver()


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def press(
    world: SlackWorld, user: str, button: dict[str, Any], view: str | None = None
) -> str:
    """Press a button of a message (or of the Home tab, ``view="home"``); return the reply."""
    before = len(world.slack.called("respond"))
    container = {"type": "view", "view_id": "V1"} if view else {"type": "message"}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "localgov"},
        "user": {"id": user, "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": "trigger-1",
        "container": container,
        "response_url": f"{world.slack.base_url}/respond/press",
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"]}],
    }
    if view:
        payload["view"] = {"id": "V1", "type": view}
    resp = await world.interact(payload)
    assert resp.status == 200
    replies = world.slack.called("respond")[before:]
    return str(replies[-1].args["text"]) if replies else ""


async def signed_event(world: SlackWorld, kind: str, user: str, channel: str) -> None:
    answer = await world.event({"type": kind, "user": user, "channel": channel, "team": TEAM})
    assert answer.status == 200


def direct_messages(world: SlackWorld, user: str) -> list[str]:
    return [
        str(c.args["text"])
        for c in world.slack.called("chat.postMessage")
        if c.args["channel"] == f"D{user}"
    ]


class TestAWholeRoundInTwoProgrammes:
    async def test_a_person_in_both_meets_each_group_checks_in_and_shares_each_takeaway(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        for user in ("U1", "U2", "U3"):
            world.slack.add_user(user, user.lower())
        assert (await world.command("U1", "join general")).startswith("You're in the general pot")
        assert (await world.command("U1", "join data")).startswith("You're in the data pot")
        await world.command("U2", "join general")
        await world.command("U3", "join data")

        for programme in (GENERAL, DATA):
            reply = await world.command("UADMIN", f"admin round now --programme {programme}")
            assert reply.startswith(f"[{programme}] Round 1 has started: 1 group, 2 people")
        general, data = await stored_round(world, GENERAL), await stored_round(world, DATA)
        assert set(general.groups[0].members) == {"U1", "U2"}
        assert set(data.groups[0].members) == {"U1", "U3"}
        [general_intro] = posted(world, "GU1-U2")
        [data_intro] = posted(world, "GU1-U3")
        assert "<@U1>" in general_intro["text"] and "<@U2>" in general_intro["text"]
        assert "<@U1>" in data_intro["text"] and "<@U3>" in data_intro["text"]

        # the half-way check-in of each group: its buttons carry their programme
        await move_to(world, max(general.checkin_at, data.checkin_at))
        checkins = {}
        for dm in ("GU1-U2", "GU1-U3"):
            checkins[dm] = with_ts(posted(world, dm)[1], world.slack.shown_in(dm)[1]["ts"])
        assert all(not b["value"].endswith(":data") for b in buttons(checkins["GU1-U2"]))
        assert all(b["value"].endswith(":data") for b in buttons(checkins["GU1-U3"]))
        await world.click("U1", checkins["GU1-U3"], "We've met", "GU1-U3")
        assert world.slack.called("respond")[-1].args["text"] == "Thanks, noted."
        await world.click("U2", checkins["GU1-U2"], "It's booked", "GU1-U2")
        assert world.slack.called("respond")[-1].args["text"] == "Thanks, noted."
        updated = {c.args["channel"]: c.args["text"] for c in world.slack.called("chat.update")}
        assert "<@U1> answered “We've met”" in updated["GU1-U3"]
        assert "<@U2> answered “It's booked”" in updated["GU1-U2"]
        assert (await stored_round(world, DATA)).groups[0].checkin_by == "U1"
        assert (await stored_round(world, GENERAL)).groups[0].checkin_by == "U2"

        # a takeaway per programme, each posted in its own programme's channel
        await move_to(world, max(general.reflection_at, data.reflection_at))
        for dm, channel, text in (
            ("GU1-U3", "CDATA", "Data people share more than we think"),
            ("GU1-U2", "CREFL", "Councils share more than we think"),
        ):
            prompt = with_ts(posted(world, dm)[2])
            await world.click("U1", prompt, "Share a takeaway", dm)
            modal = world.slack.called("views.open")[-1].args["view"]
            programme = DATA if channel == "CDATA" else GENERAL
            assert json.loads(modal["private_metadata"])["programme"] == programme
            resp = await world.interact(_submission("U1", modal["private_metadata"], text))
            assert resp.json()["response_action"] == "update"
            await world.deps.deliver()
            [takeaway] = posted(world, channel)
            assert text in takeaway["text"]
        async with world.services().uow as uow:
            [in_data] = await uow.reflections.list(TEAM, DATA)
            [in_general] = await uow.reflections.list(TEAM, GENERAL)
        assert in_data.text.startswith("Data people") and in_general.text.startswith("Councils")


class TestChooseProgrammeButtons:
    async def test_join_without_a_name_asks_which_and_a_button_joins_that_one(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.add_user("U1", "alice")
        question = await world.command("U1", "join")
        assert question.startswith("Which programme?")
        asked = world.slack.called("respond")[-1].args
        choices = {b["text"]["text"]: b for b in buttons(asked)}
        assert set(choices) == {"general", "data"}
        assert choices["data"]["value"] == "join data"
        assert await membership(world, "U1", DATA) is None

        reply = await press(world, "U1", choices["data"])
        assert reply.startswith("You're in the data pot!")
        assert await membership(world, "U1", DATA) is MemberStatus.ACTIVE
        assert await membership(world, "U1", GENERAL) is None

    async def test_a_pressed_admin_command_runs_as_its_presser_would_type_it(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        await world.command("UADMIN", "admin round now")
        question = world.slack.called("respond")[-1].args
        round_now = next(b for b in buttons(question) if b["text"]["text"] == DATA)
        assert round_now["value"] == "admin round now --programme data"
        world.slack.add_user("U1", "alice")
        refused = await press(world, "U1", round_now)
        assert refused == "Sorry, only this community's admins can do that."
        started = await press(world, "UADMIN", round_now)
        assert started.startswith("[data] Round 1 has started")

    async def test_a_button_with_no_command_is_refused_with_a_reason(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        reply = await press(world, "U1", {"action_id": "unmentor_programme:0", "value": " "})
        assert reply == "That button isn't one of mine any more, so nothing was changed."


class TestChannelBoundProgrammes:
    async def test_binding_a_channel_the_bot_cannot_see_is_refused_and_changes_nothing(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.channels["CPUBLIC"] = False  # public, but the bot is not in it
        for channel in ("CSECRET", "CPUBLIC"):
            reply = await world.command("UADMIN", f"admin programme bind data <#{channel}|x>")
            assert reply == CANNOT_SEE_CHANNEL
        async with world.services().uow as uow:
            programme = await uow.programmes.get(TEAM, DATA)
        assert programme is not None and programme.channel is None

    async def test_joining_the_bound_channel_opts_in_and_leaving_it_opts_out(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.channels["CBOUND"] = True
        reply = await world.command("UADMIN", "admin programme bind data <#CBOUND|data-people>")
        assert reply.startswith("Programme data is bound to <#CBOUND>")
        world.slack.add_user("U5", "eve")

        await signed_event(world, "member_joined_channel", "U5", "CBOUND")
        assert await membership(world, "U5", DATA) is MemberStatus.ACTIVE
        assert await membership(world, "U5", GENERAL) is None
        [joined] = direct_messages(world, "U5")
        assert joined.startswith("You joined <#CBOUND>. You're in the data pot!")

        await signed_event(world, "member_joined_channel", "U5", "CBOUND")  # told twice
        assert len(direct_messages(world, "U5")) == 1  # nothing changed, nothing said

        await signed_event(world, "member_left_channel", "U5", "CBOUND")
        assert await membership(world, "U5", DATA) is MemberStatus.LEFT
        left = direct_messages(world, "U5")[-1]
        assert left.startswith("You left <#CBOUND>. [data] You've left UnMentoring.")
        await signed_event(world, "member_left_channel", "U5", "CBOUND")
        assert len(direct_messages(world, "U5")) == 2

    async def test_the_bot_itself_and_other_channels_change_nothing(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.channels["CBOUND"] = True
        await world.command("UADMIN", "admin programme bind data <#CBOUND|data-people>")
        world.slack.add_user("U6", "frank")
        await signed_event(world, "member_joined_channel", BOT_USER, "CBOUND")
        await signed_event(world, "member_joined_channel", "U6", "CELSEWHERE")
        await signed_event(world, "member_left_channel", "U6", "CELSEWHERE")
        async with world.services().uow as uow:
            assert await uow.members.memberships(TEAM, BOT_USER) == []
            assert await uow.members.memberships(TEAM, "U6") == []
        assert world.slack.called("conversations.open") == []
        assert direct_messages(world, "U6") == []

    async def test_someone_an_admin_opted_out_stays_out_and_hears_nothing(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.channels["CBOUND"] = True
        await world.command("UADMIN", "admin programme bind data <#CBOUND|data-people>")
        world.slack.add_user("U7", "gina")
        await world.command("U7", "join data")
        await world.command("UADMIN", "admin optout <@U7> --programme data")
        await signed_event(world, "member_joined_channel", "U7", "CBOUND")
        assert await membership(world, "U7", DATA) is MemberStatus.OPTED_OUT
        assert direct_messages(world, "U7") == []


class TestHomeWithTwoProgrammes:
    async def test_shows_each_programme_with_its_own_buttons_and_they_act_on_it(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        for user in ("U1", "U2"):
            world.slack.add_user(user, user.lower())
        await world.command("U1", "join data")
        await world.command("U2", "join data")
        await world.command("UADMIN", "admin round now --programme data")

        view = await open_home(world, "U1")
        text = home_text(view)
        assert "*data*\n*Status:* active" in text
        assert "*Round 1:* you're with <@U2>" in text
        assert "*Programmes you could join:* *general*" in text
        values = [e["value"] for e in buttons(view)]
        assert values == ["pause data 2w", "leave data", "join general"]
        spoken = [e["accessibility_label"] for e in buttons(view)]
        assert spoken == ["Pause data 2 weeks", "Leave data", "Join general"]

        join_general = buttons(view)[2]
        await press(world, "U1", join_general, view="home")
        view = latest_home(world, "U1")
        assert "You're in the general pot!" in home_text(view)
        assert await membership(world, "U1", GENERAL) is MemberStatus.ACTIVE
        # the programmes in the community's order (made at the same moment: general first)
        assert [e["value"] for e in buttons(view)] == [
            "pause general 2w",
            "leave general",
            "pause data 2w",
            "leave data",
        ]

        leave_data = next(e for e in buttons(view) if e["value"] == "leave data")
        await press(world, "U1", leave_data, view="home")
        view = latest_home(world, "U1")
        assert await membership(world, "U1", DATA) is MemberStatus.LEFT
        assert await membership(world, "U1", GENERAL) is MemberStatus.ACTIVE
        assert [e["value"] for e in buttons(view)] == [
            "pause general 2w",
            "leave general",
            "join data",
        ]

    async def test_someone_in_no_programme_is_offered_each(self, world: SlackWorld) -> None:
        await two_programmes(world)
        world.slack.add_user("U9", "newcomer")
        view = await open_home(world, "U9")
        assert "You haven't joined a programme yet" in home_text(view)
        assert [e["value"] for e in buttons(view)] == ["join general", "join data"]


class TestWelcomeAndForms:
    async def test_a_newcomer_to_a_programmes_takeaway_channel_is_offered_that_programme(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        world.slack.add_user("U7", "gina")
        await signed_event(world, "member_joined_channel", "U7", "CDATA")
        [welcome] = world.slack.called("chat.postEphemeral")
        assert (welcome.args["channel"], welcome.args["user"]) == ("CDATA", "U7")
        [join] = buttons(welcome.args)
        assert (join["text"]["text"], join["value"]) == ("Join data", "join data")
        assert await membership(world, "U7", DATA) is None  # only asked

    async def test_a_form_naming_no_real_programme_is_refused_beside_the_field(
        self, world: SlackWorld
    ) -> None:
        await two_programmes(world)
        for metadata in ({"round": 1, "programme": 5}, {"round": 1, "programme": "x" * 41}):
            answer = await world.interact(_submission("U1", json.dumps(metadata), "Worth it"))
            assert answer.json() == {
                "response_action": "errors",
                "errors": {"takeaway": UNKNOWN_PROGRAMME},
            }


class TestDeactivatedAccounts:
    async def test_a_deactivated_account_leaves_every_programme(self, world: SlackWorld) -> None:
        await two_programmes(world)
        world.slack.add_user("U1", "alice")
        for programme in (GENERAL, DATA):
            await world.command("U1", f"join {programme}")
        user = {**world.slack.users["U1"], "deleted": True}
        await world.event({"type": "user_change", "user": user})
        assert await membership(world, "U1", GENERAL) is MemberStatus.LEFT
        assert await membership(world, "U1", DATA) is MemberStatus.LEFT
