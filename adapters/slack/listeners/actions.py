"""Buttons: the half-way check-in, the takeaway form, join/pause/resume/leave, and buttons whose
value is a command to run as typed (``CHOOSE_PROGRAMME_ACTION``: "Which programme?" and the Home
tab of a community with several programmes).

Each acks at once; the work after the ack is bounded (``work_after_ack``) and answers the person
whatever happens, a malformed button included.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.after_ack import SOMETHING_WENT_WRONG, say_privately, work_after_ack
from adapters.slack.blocks import action_pattern, message_blocks
from adapters.slack.deps import SlackDeps
from adapters.slack.home import HOME_ACTIONS, home_facts, home_view
from adapters.slack.modals import form_metadata, reflection_modal
from adapters.slack.payloads import part, sender
from adapters.slack.run_words import answer_words, run_words
from pairing_core import commands as c
from pairing_core.button_values import read_checkin, read_group
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE
from pairing_core.programme import GENERAL
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin_buttons
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION

__all__ = ["register"]

NO_SENDER = "I couldn't tell who pressed that button, so nothing was changed."
NOT_OUR_BUTTON = "That button isn't one of mine any more, so nothing was changed."


def _user_name(body: dict[str, Any]) -> str:
    return str(part(body, "user").get("name") or "")


def _button_words(action: dict[str, Any]) -> str | None:
    """Return the command a button stands for: a Home button's own, or the value of one whose
    value is a command (run as its presser, so it can do only what they could type)."""
    action_id = str(action.get("action_id"))
    if action_id in HOME_ACTIONS:
        return HOME_ACTIONS[action_id]
    value = action.get("value")
    return value if isinstance(value, str) and value.strip() else None


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def answer_checkin(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        who, cmd = sender(body), read_checkin(action.get("value"))
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
        # The answer replaces the buttons for the whole group, so nobody answers twice: on the
        # check-in and on any reminder that repeated them. The messages edited are those stored
        # when they were sent, never the one the payload names.
        sent = await sent_checkin_buttons(
            deps.new_services().uow,
            team_id,
            cmd.programme_id or GENERAL,
            cmd.round_number,
            cmd.group_index,
        )
        for message in sent:
            channel, _, ts = message.reference.partition(":")
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
            group = read_group(action.get("value"))
            if group is None or not body.get("trigger_id"):
                await say_privately(respond, Message(NOT_OUR_BUTTON))
                return
            metadata = form_metadata(group)
            # its trigger id expires in 3 seconds: never queued behind database work
            async with deps.quick_calls:
                await client.views_open(
                    trigger_id=body["trigger_id"], view=reflection_modal(metadata)
                )

    async def run_button(
        body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        who = sender(body)
        if who is None:
            await say_privately(respond, Message(NO_SENDER))
            return
        team_id, user_id = who
        words = _button_words(action)
        if words is None:
            await say_privately(respond, Message(NOT_OUR_BUTTON))
            return
        team_domain = str(part(body, "team").get("domain") or "")
        if part(body, "view").get("type") != "home":
            # a message's button answers as the slash command would
            await answer_words(
                deps,
                respond,
                team_id,
                user_id,
                words,
                user_name=_user_name(body),
                team_domain=team_domain,
                caption=f"From `/unmentor {words}`",
            )
            return
        await deps.ensure_team(team_id, team_domain)
        actor = await deps.actor(team_id, user_id, _user_name(body))
        notice = SOMETHING_WENT_WRONG
        try:
            notice = (await run_words(deps, words, actor, team_id)).text
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
            await work_after_ack(deps, respond, lambda: run_button(body, action, respond, client))

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
    app.action(re.compile(action_pattern(CHOOSE_PROGRAMME_ACTION)))(membership)
    for action_id in HOME_ACTIONS:
        app.action(action_id)(membership)
