"""Events: the Home tab, newcomers to the reflections channel, people removed from the workspace."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.after_ack import work_after_ack
from adapters.slack.blocks import message_blocks
from adapters.slack.deps import SlackDeps
from adapters.slack.home import home_facts, home_view
from adapters.slack.platform import user_display_name
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.member import MemberStatus
from pairing_core.message import Message
from pairing_core.services.context import Actor

__all__ = ["WELCOME", "register"]

log = logging.getLogger(__name__)

WELCOME = (
    "Welcome! This channel shares takeaways from *UnMentoring*: every round, people in the network "
    "are paired at random for a short conversation. Want to take part?"
)


def _text(value: object) -> str:
    """Return an id an event names, or "" when it is missing or not text."""
    return value if isinstance(value, str) else ""


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
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        team_id = _text(body.get("team_id")) or _text(event.get("team"))
        user_id, channel = _text(event.get("user")), _text(event.get("channel"))
        if not team_id or not user_id or not channel:
            log.warning("ignored a member_joined_channel event without a team, user or channel")
            return
        async with deps.in_flight.track():
            await work_after_ack(deps, None, lambda: welcome(team_id, user_id, channel, client))

    async def welcome(team_id: str, user_id: str, channel: str, client: AsyncWebClient) -> None:
        services = deps.new_services()
        async with services.uow:
            community = await services.uow.communities.get(team_id)
            member = await services.uow.members.get(team_id, user_id)
        if community is None or channel != community.settings.reflections_channel:
            return
        if member is not None and member.status is not MemberStatus.LEFT:
            return  # already taking part (or opted out by an admin)
        message = Message(WELCOME)
        blocks = message_blocks(message) + [
            {
                "type": "actions",
                "block_id": "unmentor_welcome",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Join"},
                        "style": "primary",
                        "action_id": "unmentor_home_join",
                        "value": "join",
                    }
                ],
            },
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
            # a deactivated account leaves the pot like a member who left; not a member: nothing
            reply = await handle(c.LeavePool(), actor, team_id, deps.new_services())
            log.info("user %s deactivated in %s: %s", actor.member_id, team_id, reply.text)

        async with deps.in_flight.track():
            await work_after_ack(deps, None, leave)

    app.event("app_home_opened")(home_opened)
    app.event("member_joined_channel")(member_joined)
    app.event("user_change")(user_changed)
