"""Events and the App Home: the Home tab, newcomers to the channel, deactivated accounts."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import start_round


def home_text(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def home_buttons(view: dict[str, Any]) -> list[str]:
    return [
        e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


class TestAppHome:
    async def test_the_home_tab_shows_status_and_the_current_partner(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        resp = await world.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
        assert resp.status == 200
        [publish] = world.slack.called("views.publish")
        assert publish.args["user_id"] == "U1"
        view = publish.args["view"]
        assert view["type"] == "home"
        assert "*Status:* active" in home_text(view)
        assert "*Round 1:* you're with <@U2>" in home_text(view)
        assert "*Next round:*" in home_text(view)
        assert home_buttons(view) == ["Pause 2 weeks", "Leave"]

    async def test_after_leaving_mid_round_and_rejoining_the_old_partner_is_not_shown(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2", "U3")
        await world.command("U3", "leave")
        await world.command("U3", "join")
        for user in ("U3", "U1"):
            await world.event({"type": "app_home_opened", "user": user, "tab": "home"})
        rejoined, stayed = (c.args["view"] for c in world.slack.called("views.publish")[-2:])
        assert "*Status:* active" in home_text(rejoined) and "Round 1" not in home_text(rejoined)
        assert "*Round 1:* you're with <@U2>" in home_text(stayed)

    async def test_someone_new_sees_a_join_button_that_works(self, world: SlackWorld) -> None:
        world.slack.add_user("U9", "newcomer")
        await world.event({"type": "app_home_opened", "user": "U9", "tab": "home"})
        view = world.slack.called("views.publish")[0].args["view"]
        assert "You haven't joined yet" in home_text(view)
        join = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])
        await world.interact(
            {
                "type": "block_actions",
                "team": {"id": TEAM, "domain": "localgov"},
                "user": {"id": "U9", "name": "newcomer", "team_id": TEAM},
                "api_app_id": "A1",
                "trigger_id": "t",
                "container": {"type": "view", "view_id": "V1"},
                "view": {"id": "V1", "type": "home"},
                "actions": [
                    {"type": "button", "action_id": join["action_id"], "value": join["value"]}
                ],
            }
        )
        republished = world.slack.called("views.publish")[1].args["view"]
        assert "You're in the pot!" in home_text(republished)
        assert "*Status:* active" in home_text(republished)

    async def test_past_partners_are_listed_after_a_round(self, world: SlackWorld) -> None:
        await start_round(world, "U1", "U2")
        await world.command("UADMIN", "admin round now")
        await world.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
        view = world.slack.called("views.publish")[-1].args["view"]
        assert "*Past partners:* <@U2>" in home_text(view)


class TestChannelAndWorkspaceEvents:
    async def test_a_newcomer_to_the_reflections_channel_is_invited_privately(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        await world.event({"type": "member_joined_channel", "user": "U7", "channel": "CREFL"})
        await world.event({"type": "member_joined_channel", "user": "U1", "channel": "CREFL"})
        await world.event({"type": "member_joined_channel", "user": "U8", "channel": "COTHER"})
        [welcome] = world.slack.called("chat.postEphemeral")
        assert (welcome.args["channel"], welcome.args["user"]) == ("CREFL", "U7")
        assert welcome.args["blocks"][-1]["elements"][0]["action_id"] == "unmentor_home_join"

    async def test_a_deactivated_account_leaves_the_pot(self, world: SlackWorld) -> None:
        await start_round(world, "U1", "U2")
        user = {**world.slack.users["U1"], "deleted": True}
        await world.event({"type": "user_change", "user": user})
        async with world.services().uow as uow:
            member = await uow.members.get(TEAM, "U1", programme_id=GENERAL)
        assert member is not None and member.status is MemberStatus.LEFT


class TestMalformedEvents:
    @pytest.mark.parametrize(
        "event",
        [
            pytest.param({"type": "member_joined_channel"}, id="joined without ids"),
            pytest.param(
                {"type": "member_joined_channel", "channel": "CREFL"}, id="joined without a user"
            ),
            pytest.param(
                {"type": "member_joined_channel", "user": {"id": "U7"}, "channel": "CREFL"},
                id="joined with a user that is not an id",
            ),
            pytest.param({"type": "user_change", "user": "U1"}, id="user change without a record"),
            pytest.param(
                {"type": "user_change", "user": {"deleted": True}}, id="deactivated without an id"
            ),
        ],
    )
    async def test_are_one_log_line_without_a_traceback(
        self, world: SlackWorld, caplog: pytest.LogCaptureFixture, event: dict[str, Any]
    ) -> None:
        await start_round(world, "U1", "U2")
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answer = await world.event(event)
        assert answer.status == 200
        [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert line.exc_info is None and "Traceback" not in caplog.text
        assert line.getMessage().startswith(f"ignored a {event['type']} event without")
        assert world.slack.called("chat.postEphemeral") == []
        async with world.services().uow as uow:
            member = await uow.members.get(TEAM, "U1", programme_id=GENERAL)
        assert member is not None and member.status is MemberStatus.ACTIVE
