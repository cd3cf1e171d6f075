"""Admins on Teams: the community's admin list, plus the team's owners (read from Graph).

Owners are looked up only for what an admin list decides (an admin command, ``help``) and only
for someone not on the list. When Graph cannot say (consent not granted, Graph unreachable) the
person is not an admin, and a refusal says how to fix that.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.teams.deps import TeamsDeps
from adapters.teams.identity import actor_of
from adapters.teams.team_owners import Ownership
from pairing_core import commands as c
from pairing_core.command_text import parse_command
from pairing_core.dispatch import NOT_ADMIN
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Actor

__all__ = ["NO_CONSENT", "OWNERS_UNKNOWN", "actor_with_ownership", "explain_refusal"]

NO_CONSENT = (
    "Team owners are admins here too, but Microsoft Teams has not let UnMentoring read this "
    "team's owners: its permission to read the team's members (TeamMember.Read.Group) was not "
    "granted. A team owner grants it by adding the app to the team again and accepting its "
    "permissions (your Teams admin may first need to allow apps to ask for them), or an admin "
    "adds you with `admin settings add-admin=@you`."
)
OWNERS_UNKNOWN = (
    "Team owners are admins here too, but I couldn't check the team's owners with Microsoft "
    "just now: try again in a minute, or ask an admin to add you with "
    "`admin settings add-admin=@you`."
)


def _decided_by_admin_list(text: str) -> bool:
    try:
        command = parse_command(text)
    except DomainError:
        return False
    return isinstance(command, c.ADMIN_COMMANDS) or (
        isinstance(command, c.ShowHelp) and not command.topic
    )


async def actor_with_ownership(
    deps: TeamsDeps, activity: dict[str, Any], community_id: str, text: str
) -> tuple[Actor, str | None]:
    """Return the sender, an admin if they own the team; and what to say if that is unknown."""
    actor = actor_of(activity)
    if deps.owners is None or not _decided_by_admin_list(text):
        return actor, None
    group = await deps.references.team_group(community_id)
    if group is None:  # an organisation's community, or a team installed before it was stored
        return actor, None
    services = deps.new_services()
    async with services.uow:
        community = await load_community(services.uow, community_id)
    if community.is_admin(actor.member_id):
        return actor, None
    ownership = await deps.owners.of(group, actor.member_id)
    if ownership is Ownership.OWNER:
        return replace(actor, platform_admin=True), None
    if ownership is Ownership.NO_CONSENT:
        return actor, NO_CONSENT
    if ownership is Ownership.UNAVAILABLE:
        return actor, OWNERS_UNKNOWN
    return actor, None


def explain_refusal(reply: Message, why: str | None) -> Message:
    """Add why team ownership could not be checked to a refusal (and to nothing else)."""
    if why is None or reply.text != NOT_ADMIN:
        return reply
    return replace(reply, text=f"{reply.text}\n{why}")
