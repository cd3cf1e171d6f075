"""Buttons: the half-way check-in, the takeaway form, and join/pause/resume/leave."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import action_pattern, message_blocks
from adapters.slack.deps import SlackDeps
from adapters.slack.home import HOME_ACTIONS, home_facts, home_view
from adapters.slack.modals import reflection_modal
from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION

__all__ = ["register"]


def _ids(body: dict[str, Any]) -> tuple[str, str]:
    team = body.get("team") or {}
    user = body["user"]
    return str(team.get("id") or user.get("team_id")), str(user["id"])


async def _say_privately(respond: AsyncRespond, reply: Message) -> None:
    await respond(
        text=reply.text,
        blocks=message_blocks(reply),
        response_type="ephemeral",
        replace_original=False,
    )


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def checkin(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            team_id, user_id = _ids(body)
            number, index, answer = str(action["value"]).split(":")
            cmd = c.RecordCheckIn(int(number), int(index), CheckInAnswer(answer))
            actor = await deps.actor(team_id, user_id, body["user"].get("name", ""))
            try:
                result = await record_checkin(cmd, actor, team_id, deps.new_services())
            except DomainError as error:
                await _say_privately(respond, Message(str(error)))
                return
            # the group's answer replaces the question; only better answers keep a button
            await client.chat_update(
                channel=body["container"]["channel_id"],
                ts=body["container"]["message_ts"],
                text=result.updated.text,
                blocks=message_blocks(result.updated),
            )
            await _say_privately(respond, result.reply)

    async def reflect(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            number, index = str(action["value"]).split(":")
            metadata = json.dumps({"round": int(number), "group": int(index)})
            await client.views_open(trigger_id=body["trigger_id"], view=reflection_modal(metadata))

    async def membership(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            team_id, user_id = _ids(body)
            await deps.ensure_team(team_id, (body.get("team") or {}).get("domain", ""))
            actor = await deps.actor(team_id, user_id, body["user"].get("name", ""))
            words = HOME_ACTIONS[str(action["action_id"])]
            reply = await handle_text(words, actor, team_id, deps.new_services())
            if (body.get("view") or {}).get("type") == "home":
                facts = await home_facts(deps.new_services(), team_id, user_id)
                await client.views_publish(user_id=user_id, view=home_view(facts, reply.text))
            else:
                await _say_privately(respond, reply)

    async def forget(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            team_id, user_id = _ids(body)
            actor = await deps.actor(team_id, user_id, body["user"].get("name", ""))
            keep = str(action["value"]) == FORGET_ANONYMISE
            cmd = c.ForgetMe(confirm=True, keep_reflections_anonymised=keep)
            reply = await handle(cmd, actor, team_id, deps.new_services())
            # replaces the question, so its buttons cannot be pressed again
            await respond(
                text=reply.text,
                blocks=message_blocks(reply),
                response_type="ephemeral",
                replace_original=True,
            )

    app.action(re.compile(action_pattern(CHECKIN_ACTION)))(checkin)
    app.action(re.compile(action_pattern(FORGET_ACTION)))(forget)
    app.action(re.compile(action_pattern(REFLECT_ACTION)))(reflect)
    for action_id in HOME_ACTIONS:
        app.action(action_id)(membership)
