"""A whole round through Slack: intros, the check-in buttons, the takeaway form, the channel post."""

from __future__ import annotations

import json
from typing import Any

from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.round_calendar import run_due_steps
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM


async def start_round(world: SlackWorld, *members: str) -> Round:
    """Configure the channel and admin, let ``members`` join, and run ``admin round now``."""
    world.slack.add_user("UADMIN", "boss", admin=True)
    await world.command("UADMIN", "admin settings channel=<#CREFL|reflections> add-admin=<@UADMIN>")
    for member in members:
        world.slack.add_user(member, member.lower())
        await world.command(member, "join")
    reply = await world.command("UADMIN", "admin round now")
    assert reply.startswith("Round 1 has started")
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(TEAM, GENERAL, 1)
    assert round_ is not None
    return round_


async def move_to(world: SlackWorld, moment: Any) -> None:
    """Move the clock and run what falls due, as the scheduler would."""
    world.clock.current = moment
    await run_due_steps(world.services(), TEAM, GENERAL)
    await world.deps.deliver()


def posted(world: SlackWorld, channel: str) -> list[dict[str, Any]]:
    """Messages successfully posted to ``channel``, each with the ts the fake gave it."""
    return [c.args for c in world.slack.called("chat.postMessage") if c.args["channel"] == channel]


def with_ts(message: dict[str, Any], ts: str = "1700000000.000099") -> dict[str, Any]:
    return {**message, "ts": ts}


def _submission(user: str, metadata: str, text: str) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "localgov"},
        "user": {"id": user, "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": "trigger-2",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "unmentor_reflection",
            "private_metadata": metadata,
            "state": {
                "values": {
                    "takeaway": {"text": {"type": "plain_text_input", "value": text}},
                    "public": {
                        "choice": {"type": "checkboxes", "selected_options": [{"value": "public"}]}
                    },
                    "rating": {
                        "choice": {"type": "static_select", "selected_option": {"value": "4"}}
                    },
                }
            },
        },
    }


class TestWholeRound:
    async def test_joins_intros_check_in_takeaway_and_the_channel_post(
        self, world: SlackWorld
    ) -> None:
        round_ = await start_round(world, "U1", "U2")

        opened = world.slack.called("conversations.open")
        assert [c.args["users"].split(",") for c in opened] == [list(round_.groups[0].members)]
        group_dm = "GU1-U2"
        [intro] = posted(world, group_dm)
        assert intro["text"].startswith("*UnMentoring round 1* — say hello!")
        assert intro["blocks"][0] == {
            "type": "section",
            "text": {"type": "mrkdwn", "text": intro["text"]},
        }
        assert "<@U1>" in intro["text"] and "<@U2>" in intro["text"]

        await move_to(world, round_.checkin_at)
        # the intro's invites are a file share in its thread: the check-in is the next post
        shown = [m for m in world.slack.shown_in(group_dm) if "thread_ts" not in m]
        checkin = with_ts(posted(world, group_dm)[1], shown[1]["ts"])
        labels = [e["text"]["text"] for e in checkin["blocks"][1]["elements"]]
        assert labels == ["We've met", "It's booked", "Not this time"]

        await world.click("U2", checkin, "We've met", group_dm)
        [update] = world.slack.called("chat.update")
        assert (update.args["channel"], update.args["ts"]) == (group_dm, checkin["ts"])
        assert [b["type"] for b in update.args["blocks"]] == ["section"]
        assert "<@U2> answered “We've met”" in update.args["text"]
        assert world.slack.called("respond")[-1].args["text"] == "Thanks, noted."

        await world.click("U1", checkin, "It's booked", group_dm)
        assert world.slack.called("respond")[-1].args["text"] == (
            "Your group has already answered “We've met”."
        )
        async with world.services().uow as uow:
            stored = await uow.rounds.get(TEAM, GENERAL, 1)
        assert stored is not None and stored.groups[0].checkin_by == "U2"

        await move_to(world, round_.reflection_at)
        prompt = with_ts(posted(world, group_dm)[2])
        await world.click("U1", prompt, "Share a takeaway", group_dm)
        [opened_view] = world.slack.called("views.open")
        modal = opened_view.args["view"]
        assert opened_view.args["trigger_id"] == "trigger-1"
        assert modal["callback_id"] == "unmentor_reflection"
        assert modal["blocks"][0]["element"]["max_length"] == 2000
        assert modal["blocks"][1]["element"]["initial_options"][0]["value"] == "public"

        empty = await world.interact(_submission("U1", modal["private_metadata"], "   "))
        assert empty.status == 200
        assert posted(world, "CREFL") == []

        resp = await world.interact(
            _submission("U1", modal["private_metadata"], "Councils share more than we think")
        )
        assert resp.status == 200
        [takeaway] = posted(world, "CREFL")
        assert takeaway["text"] == (
            "*Takeaway from round 1* — <@U1> and <@U2>:\n> Councils share more than we think"
        )
        async with world.services().uow as uow:
            [reflection] = await uow.reflections.list(TEAM, GENERAL)
        assert reflection.rating == 4 and reflection.public

    async def test_an_empty_takeaway_is_answered_beside_the_field(self, world: SlackWorld) -> None:
        await start_round(world, "U1", "U2")
        answer = await world.interact(_submission("U1", json.dumps({"round": 1}), " "))
        assert answer.json() == {
            "response_action": "errors",
            "errors": {"takeaway": "Please write your takeaway."},
        }

    async def test_a_second_takeaway_for_the_group_is_refused_in_the_form(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        metadata = json.dumps({"round": 1, "group": 0})
        first = await world.interact(_submission("U2", metadata, "Worth it"))
        assert first.json()["response_action"] == "update"
        second = await world.interact(_submission("U1", metadata, "Me too"))
        refused = second.json()
        assert refused["response_action"] == "errors"
        assert refused["errors"]["takeaway"].startswith(
            "Your group already shared its takeaway for round 1 (from <@U2>): "
            "https://localgov.slack.com/archives/CREFL/p"
        )
        assert len(posted(world, "CREFL")) == 1
