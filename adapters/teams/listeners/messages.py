"""Messages: a command typed in the bot's 1:1 chat, or after @mentioning it in a channel."""

from __future__ import annotations

from typing import Any

from adapters.teams.deps import TeamsDeps
from adapters.teams.identity import (
    actor_of,
    org_community,
    team_community,
    team_group_of,
    team_id_of,
    tenant_of,
)
from adapters.teams.people import People
from adapters.teams.references import TeamGroup
from adapters.teams.respond import answer
from adapters.teams.team_admins import actor_with_ownership, explain_refusal
from adapters.teams.typed import command_text
from pairing_core.dispatch import handle_text

__all__ = ["community_for", "on_message"]


async def community_for(deps: TeamsDeps, activity: dict[str, Any]) -> str:
    """Return (creating it on first sight) the community a message acts in."""
    team = team_id_of(activity)
    if team is not None:
        community = team_community(team)
        name = ((activity.get("channelData") or {}).get("team") or {}).get("name")
        await deps.ensure_community(community, str(name or "Teams team"), None)
        group = team_group_of(activity)
        if group is not None:
            await deps.remember_team_group(community, TeamGroup(group, tenant_of(activity)))
        return community
    aad = (activity.get("from") or {}).get("aadObjectId")
    known = await deps.references.latest_team(actor_of(activity).member_id) if aad else None
    if known is not None:
        return known
    community = org_community(tenant_of(activity))
    await deps.ensure_community(community, "UnMentoring", actor_of(activity).member_id)
    return community


async def on_message(deps: TeamsDeps, activity: dict[str, Any]) -> None:
    """Run the typed command for the sender; answer privately; deliver what it queued."""
    if not (activity.get("from") or {}).get("aadObjectId"):
        return  # not a person (another bot, a webhook): nothing to answer
    community = await community_for(deps, activity)
    people = People(deps.references, deps.connector, deps.clock)
    await people.sender(activity, community)
    text = await command_text(activity, people, community) or "help"
    actor, unknown_ownership = await actor_with_ownership(deps, activity, community, text)
    reply = await handle_text(text, actor, community, deps.new_services())
    reply = explain_refusal(reply, unknown_ownership)
    await answer(deps, activity, community, reply)
    if text.lower().startswith("forget-me"):
        await deps.forget_if_erased(actor_of(activity).member_id)
    deps.deliver_soon()  # e.g. `round now` queued the intros: send them now
