"""Buttons with malformed or forged payloads are answered with a reason and change nothing else."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters.slack.authorize import NOT_INSTALLED
from adapters.slack.listeners.actions import NO_SENDER, NOT_OUR_BUTTON
from adapters.slack.listeners.commands import NO_SENDER as NO_SENDER_COMMAND
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from pairing_core.round import Round
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM, Call
from tests.adapters.slack.test_home_buttons import latest_home, open_home, status_of
from tests.adapters.slack.test_round import move_to, posted, start_round


def _checkin_press(world: SlackWorld, user: dict[str, Any] | None, value: str) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "localgov"},
        "api_app_id": "A1",
        "trigger_id": "t",
        "container": {"type": "message", "channel_id": "GU1-U2", "message_ts": "1.0"},
        "response_url": f"{world.slack.base_url}/respond/press",
        "actions": [{"type": "button", "action_id": "unmentor_checkin:0", "value": value}],
    }
    if user is not None:
        payload["user"] = user
    return payload


def _last_reply(world: SlackWorld) -> str:
    return str(world.slack.called("respond")[-1].args["text"])


class TestMalformedButtons:
    async def test_a_check_in_value_that_is_not_ours_is_answered_with_a_reason(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        for value in ("garbage", "1:0:maybe", "x:0:met", "1:0"):
            started = time.monotonic()
            resp = await world.interact(_checkin_press(world, {"id": "U1", "team_id": TEAM}, value))
            assert resp.status == 200 and time.monotonic() - started < 3
            assert _last_reply(world) == NOT_OUR_BUTTON
        assert world.slack.called("chat.update") == []

    async def test_a_press_without_a_user_is_answered_and_changes_nothing(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        resp = await world.interact(_checkin_press(world, None, "1:0:met"))
        assert resp.status == 200
        assert _last_reply(world) == NO_SENDER
        async with world.services().uow as uow:
            stored = await uow.rounds.get(TEAM, GENERAL, 1)
        assert stored is not None and stored.groups[0].checkin is None

    async def test_a_press_without_a_team_is_refused(self, world: SlackWorld) -> None:
        payload = _checkin_press(world, {"id": "U1"}, "1:0:met")
        del payload["team"]
        resp = await world.interact(payload)
        assert resp.status == 200
        assert _last_reply(world) == NOT_INSTALLED

    async def test_a_join_press_naming_its_team_and_view_oddly_is_answered(
        self, world: SlackWorld, caplog: pytest.LogCaptureFixture
    ) -> None:
        world.slack.add_user("U1", "alice")
        payload = {
            "type": "block_actions",
            "team": TEAM,  # the id alone, not the usual record
            "user": {"id": "U1", "name": "alice", "team_id": TEAM},
            "api_app_id": "A1",
            "trigger_id": "t",
            "view": "home",  # not a record either
            "response_url": f"{world.slack.base_url}/respond/odd",
            "actions": [{"type": "button", "action_id": "unmentor_home_join", "value": "join"}],
        }
        resp = await world.interact(payload)
        assert resp.status == 200
        assert _last_reply(world).startswith("You're in the pot!")
        assert await status_of(world, "U1") is MemberStatus.ACTIVE
        assert [r for r in caplog.records if r.exc_info] == []


class TestMalformedCommands:
    async def test_a_command_without_a_user_is_answered_and_stores_nothing(
        self, world: SlackWorld
    ) -> None:
        body = urlencode(
            {
                "command": "/unmentor",
                "text": "join",
                "team_id": TEAM,
                "response_url": f"{world.slack.base_url}/respond/nouser",
            }
        )
        resp = await world.post(body, "application/x-www-form-urlencoded")
        await world.settle()
        assert resp.status == 200
        assert _last_reply(world) == NO_SENDER_COMMAND
        async with world.services().uow as uow:
            assert await uow.communities.list() == []


def _dm(members: tuple[str, ...]) -> str:
    return "G" + "-".join(sorted(members))


class TestCheckInMessage:
    async def test_only_the_groups_own_stored_check_in_is_edited(self, world: SlackWorld) -> None:
        round_: Round = await start_round(world, "U1", "U2", "U3", "U4")
        await move_to(world, round_.checkin_at)
        mine, theirs = round_.groups
        member = mine.members[0]
        my_dm, their_dm = _dm(mine.members), _dm(theirs.members)
        [my_checkin] = [m for m in world.slack.shown_in(my_dm) if "check-in" in m["text"]]
        [their_checkin] = [m for m in world.slack.shown_in(their_dm) if "check-in" in m["text"]]
        # the member's own button, sent as if it sat on the other group's message
        forged = {**posted(world, my_dm)[1], "ts": their_checkin["ts"]}
        await world.click(member, forged, "We've met", their_dm)
        [update] = world.slack.called("chat.update")
        assert (update.args["channel"], update.args["ts"]) == (my_dm, my_checkin["ts"])
        assert their_checkin["text"] == "Half-way check-in: did you manage to meet?"
        assert "answered" in my_checkin["text"]


def _home_press(world: SlackWorld, user: str, action_id: str, value: str) -> str:
    return urlencode(
        {
            "payload": json.dumps(
                {
                    "type": "block_actions",
                    "team": {"id": TEAM, "domain": "localgov"},
                    "user": {"id": user, "name": user.lower(), "team_id": TEAM},
                    "api_app_id": "A1",
                    "trigger_id": "t",
                    "container": {"type": "view", "view_id": "V1"},
                    "view": {"id": "V1", "type": "home", "nonce": time.monotonic_ns()},
                    "actions": [{"type": "button", "action_id": action_id, "value": value}],
                }
            )
        }
    )


class TestHomeTabOrder:
    async def test_the_tab_published_last_shows_the_final_state_after_quick_presses(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice")
        await open_home(world, "U1")
        first_publish_arrived = asyncio.Event()

        async def slow_first_publish(call: Call) -> None:
            # Slack takes a while over the Join press's tab; Leave is pressed meanwhile
            if call.method == "views.publish" and not first_publish_arrived.is_set():
                first_publish_arrived.set()
                await asyncio.sleep(1.0)

        world.slack.delay = slow_first_publish
        form = "application/x-www-form-urlencoded"
        join = asyncio.create_task(
            world.post(_home_press(world, "U1", "unmentor_home_join", "join"), form)
        )
        await asyncio.wait_for(first_publish_arrived.wait(), 5)
        await world.post(_home_press(world, "U1", "unmentor_home_leave", "leave"), form)
        assert (await join).status == 200
        await world.settle()
        assert await status_of(world, "U1") is MemberStatus.LEFT
        final = latest_home(world, "U1")
        labels = [
            e["text"]["text"]
            for b in final["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        ]
        assert labels == ["Join"]

    async def test_every_double_pressed_join_leaves_a_tab_showing_the_member_in(
        self, world: SlackWorld
    ) -> None:
        users = [f"U{n}" for n in range(20)]
        for user in users:
            world.slack.add_user(user, user.lower())
        form = "application/x-www-form-urlencoded"
        answers = await asyncio.gather(
            *(
                world.post(_home_press(world, user, "unmentor_home_join", "join"), form)
                for user in users
                for _ in range(2)
            )
        )
        await world.settle()
        assert {a.status for a in answers} == {200}
        for user in users:
            final = latest_home(world, user)
            labels = [
                e["text"]["text"]
                for b in final["blocks"]
                if b["type"] == "actions"
                for e in b["elements"]
            ]
            assert labels == ["Pause 2 weeks", "Leave"], user
