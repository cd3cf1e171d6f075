"""Buttons: the half-way check-in, the takeaway form, and join/pause/resume/leave.

Each acks at once; the work after the ack is bounded (``work_after_ack``) and answers the person
whatever happens, a malformed button included.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.after_ack import SOMETHING_WENT_WRONG, say_privately, work_after_ack
from adapters.slack.blocks import action_pattern, message_blocks
from adapters.slack.deps import SlackDeps
from adapters.slack.home import HOME_ACTIONS, home_facts, home_view
from adapters.slack.modals import reflection_modal
from adapters.slack.payloads import checkin_choice, group_button, part, sender
from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION

__all__ = ["register"]

NO_SENDER = "I couldn't tell who pressed that button, so nothing was changed."
NOT_OUR_BUTTON = "That button isn't one of mine any more, so nothing was changed."


def _user_name(body: dict[str, Any]) -> str:
    return str(part(body, "user").get("name") or "")


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def answer_checkin(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        who, cmd = sender(body), checkin_choice(action.get("value"))
        if who is None or cmd is None:
            await say_privately(respond, Message(NO_SENDER if who is None else NOT_OUR_BUTTON))
            return
        team_id, user_id = who
        actor = await deps.actor(team_id, user_id, _user_name(body))
        try:
            result = await record_checkin(cmd, actor, team_id, deps.new_services())
        except DomainError as error:
            await say_privately(respond, Message(str(error)))
            return
        # The answer replaces the buttons for the whole group, so nobody answers twice. The
        # message edited is the one the check-in was sent as, never the one the payload names.
        sent = await sent_checkin(
            deps.new_services().uow, team_id, cmd.round_number, cmd.group_index
        )
        channel, _, ts = sent.reference.partition(":") if sent else ("", "", "")
        if channel and ts:
            await client.chat_update(
                channel=channel,
                ts=ts,
                text=result.updated.text,
                blocks=message_blocks(result.updated),
            )
        await say_privately(respond, result.reply)

    async def checkin(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            await work_after_ack(
                deps, respond, lambda: answer_checkin(body, action, respond, client)
            )

    async def reflect(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            group = group_button(action.get("value"))
            if group is None or not body.get("trigger_id"):
                await say_privately(respond, Message(NOT_OUR_BUTTON))
                return
            metadata = json.dumps({"round": group[0], "group": group[1]})
            # its trigger id expires in 3 seconds: never queued behind database work
            async with deps.quick_calls:
                await client.views_open(
                    trigger_id=body["trigger_id"], view=reflection_modal(metadata)
                )

    async def change_membership(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        who = sender(body)
        if who is None:
            await say_privately(respond, Message(NO_SENDER))
            return
        team_id, user_id = who
        await deps.ensure_team(team_id, str(part(body, "team").get("domain") or ""))
        actor = await deps.actor(team_id, user_id, _user_name(body))
        words = HOME_ACTIONS[str(action["action_id"])]
        if part(body, "view").get("type") != "home":
            await say_privately(
                respond, await handle_text(words, actor, team_id, deps.new_services())
            )
            return
        notice = SOMETHING_WENT_WRONG
        try:
            notice = (await handle_text(words, actor, team_id, deps.new_services())).text
        finally:
            # One person's publishes in order, each reading the state after every earlier
            # press (a failed one too): the tab published last shows where they stand now.
            async with deps.home_lock(team_id, user_id):
                facts = await home_facts(deps.new_services(), team_id, user_id)
                await client.views_publish(user_id=user_id, view=home_view(facts, notice))

    async def membership(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            await work_after_ack(
                deps, respond, lambda: change_membership(body, action, respond, client)
            )

    async def confirm_forget(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        who = sender(body)
        if who is None:
            await say_privately(respond, Message(NO_SENDER))
            return
        team_id, user_id = who
        actor = await deps.actor(team_id, user_id, _user_name(body))
        keep = str(action.get("value")) == FORGET_ANONYMISE
        cmd = c.ForgetMe(confirm=True, keep_reflections_anonymised=keep)
        reply = await handle(cmd, actor, team_id, deps.new_services())
        # replaces the question, so its buttons cannot be pressed again
        await say_privately(respond, reply, replace=True)

    async def forget(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        async with deps.in_flight.track():
            await ack()
            await work_after_ack(deps, respond, lambda: confirm_forget(body, action, respond))

    app.action(re.compile(action_pattern(CHECKIN_ACTION)))(checkin)
    app.action(re.compile(action_pattern(FORGET_ACTION)))(forget)
    app.action(re.compile(action_pattern(REFLECT_ACTION)))(reflect)
    for action_id in HOME_ACTIONS:
        app.action(action_id)(membership)
