"""Events: the Home tab, people joining or leaving channels, people removed from the workspace.

Joining or leaving a channel a programme is bound to opts the person in or out of it (the core's
``bindings``), and they are told by DM when that changed something; someone new to a
programme's reflections channel is invited to join it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.after_ack import work_after_ack
from adapters.slack.blocks import message_blocks
from adapters.slack.deps import SlackDeps
from adapters.slack.home import home_facts, home_view
from adapters.slack.platform import user_display_name
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError
from pairing_core.member import MemberStatus
from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from pairing_core.services.bindings import bound_programmes, joined_binding, left_binding
from pairing_core.services.context import Actor
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION

__all__ = ["WELCOME", "register"]

log = logging.getLogger(__name__)

WELCOME = (
    "Welcome! This channel shares takeaways from *UnMentoring*: every round, people in the network "
    "are paired at random for a short conversation. Want to take part?"
)


def _text(value: object) -> str:
    """Return an id an event names, or "" when it is missing or not text."""
    return value if isinstance(value, str) else ""


def _join_button(label: str, action_id: str, words: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "style": "primary",
        "action_id": action_id,
        "value": words,
    }


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def home_opened(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = _text(body.get("team_id")), _text(event.get("user"))
        if not team_id or not user_id:
            log.warning("ignored an app_home_opened event without a team or user")
            return

        async def publish() -> None:
            await deps.ensure_team(team_id, "")
            async with deps.home_lock(team_id, user_id):  # after any button press's publish
                facts = await home_facts(deps.new_services(), team_id, user_id)
                await client.views_publish(user_id=user_id, view=home_view(facts))

        async with deps.in_flight.track():
            await work_after_ack(deps, None, publish)

    async def member_joined(
        body: dict[str, Any],
        event: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        await channel_changed(body, event, context, client, joined=True)

    async def member_left(
        body: dict[str, Any],
        event: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        await channel_changed(body, event, context, client, joined=False)

    async def channel_changed(
        body: dict[str, Any],
        event: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        *,
        joined: bool,
    ) -> None:
        team_id = _text(body.get("team_id")) or _text(event.get("team"))
        user_id, channel = _text(event.get("user")), _text(event.get("channel"))
        if not team_id or not user_id or not channel:
            log.warning("ignored a %s event without a team, user or channel", event.get("type"))
            return
        if user_id == context.bot_user_id:
            return  # the bot itself was added or removed

        async def work() -> None:
            await follow_binding(team_id, user_id, channel, joined=joined)
            if joined:
                await welcome(team_id, user_id, channel, client)

        async with deps.in_flight.track():
            await work_after_ack(deps, None, work)

    async def follow_binding(team_id: str, user_id: str, channel: str, *, joined: bool) -> None:
        """Opt the person in or out of the programmes bound to the channel; tell them by DM."""
        services = deps.new_services()
        bound = await bound_programmes(services, team_id, channel=channel)
        if not bound:
            return  # the usual case: nothing to write, nobody to tell
        user = await _user_record(team_id, user_id)
        if user.get("is_bot") or user.get("deleted"):
            return
        actor = await deps.actor(team_id, user_id)
        before = await _statuses(team_id, user_id)
        follow = joined_binding if joined else left_binding
        try:
            replies = await follow(deps.new_services(), team_id, actor, channel=channel)
        except DomainError as error:  # the community itself refused (e.g. it is not set up)
            log.info("%s in %s, channel %s: %s", user_id, team_id, channel, error)
            replies = []
        after = await _statuses(team_id, user_id)
        if all(before.get(p.id) == after.get(p.id) for p in bound):
            return  # already in (or already out): nothing changed, nothing to say
        verb = "joined" if joined else "left"
        said = "\n".join(r.text for r in replies) or "`/unmentor status` shows where you stand."
        text = f"You {verb} <#{channel}>. {said}"
        try:
            await deps.platform.send_direct(team_id, user_id, Message(text))
        except DeliveryError as error:
            log.warning("could not tell %s in %s about %s: %s", user_id, team_id, channel, error)

    async def _user_record(team_id: str, user_id: str) -> dict[str, Any]:
        try:
            return await deps.platform.user(team_id, user_id)
        except DeliveryError:
            return {}  # not known to be a bot: a person, as the event says

    async def _statuses(team_id: str, user_id: str) -> dict[str, MemberStatus]:
        services = deps.new_services()
        async with services.uow:
            memberships = await services.uow.members.memberships(team_id, user_id)
        return {m.programme_id: m.status for m in memberships}

    async def welcome(team_id: str, user_id: str, channel: str, client: AsyncWebClient) -> None:
        """Invite someone new to a programme's reflections channel to join it, privately."""
        services = deps.new_services()
        async with services.uow:
            programmes = await services.uow.programmes.list(team_id)
            memberships = {
                m.programme_id: m for m in await services.uow.members.memberships(team_id, user_id)
            }
        inviting = [
            p
            for p in programmes
            if p.active
            and p.settings.reflections_channel == channel
            # not taking part yet (an admin's opt-out is left to an admin)
            and (p.id not in memberships or memberships[p.id].status is MemberStatus.LEFT)
        ]
        if not inviting:
            return
        if len(programmes) == 1:
            buttons = [_join_button("Join", "unmentor_home_join", "join")]
        else:
            buttons = [
                _join_button(f"Join {p.name}", f"{CHOOSE_PROGRAMME_ACTION}:{i}", f"join {p.name}")
                for i, p in enumerate(inviting)
            ]
        blocks = message_blocks(Message(WELCOME)) + [
            {"type": "actions", "block_id": "unmentor_welcome", "elements": buttons}
        ]
        await client.chat_postEphemeral(channel=channel, user=user_id, text=WELCOME, blocks=blocks)

    async def user_changed(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user")
        if isinstance(user, dict) and not user.get("deleted"):
            return
        user = user if isinstance(user, dict) else {}
        team_id = _text(body.get("team_id")) or _text(user.get("team_id"))
        user_id = _text(user.get("id"))
        if not team_id or not user_id:
            log.warning("ignored a user_change event without a team or user")
            return
        actor = Actor(user_id, user_display_name(user))

        async def leave() -> None:
            # a deactivated account leaves every programme like a member who left; not a
            # member: nothing
            services = deps.new_services()
            async with services.uow:
                memberships = await services.uow.members.memberships(team_id, user_id)
            for member in memberships:
                if member.takes_part:
                    leaving = c.LeavePool(programme_id=member.programme_id)
                    reply = await handle(leaving, actor, team_id, deps.new_services())
                    log.info("user %s deactivated in %s: %s", user_id, team_id, reply.text)

        async with deps.in_flight.track():
            await work_after_ack(deps, None, leave)

    app.event("app_home_opened")(home_opened)
    app.event("member_joined_channel")(member_joined)
    app.event("member_left_channel")(member_left)
    app.event("user_change")(user_changed)
