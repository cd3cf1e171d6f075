"""The bot added to a team or installed personally: the community is created, its installer
made its first admin, and how to reach them stored."""

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

__all__ = ["on_conversation_update"]


async def on_conversation_update(deps: TeamsDeps, activity: dict[str, Any]) -> None:
    """Create the community when the bot itself is among the members added.

    Any update from a team (the app added, a member added) names the team's Microsoft 365
    group, which is stored (Graph lists the team's owners by it): a team the app joined before
    groups were stored is found at its next update.
    """
    team, group = team_id_of(activity), team_group_of(activity)
    if team is not None and group is not None:
        await deps.remember_team_group(team_community(team), TeamGroup(group, tenant_of(activity)))
    bot = str((activity.get("recipient") or {}).get("id", ""))
    added = [str(m.get("id")) for m in activity.get("membersAdded") or []]
    if bot not in added or not (activity.get("from") or {}).get("aadObjectId"):
        return
    if team is not None:
        community = team_community(team)
        name = ((activity.get("channelData") or {}).get("team") or {}).get("name")
    else:
        community, name = org_community(tenant_of(activity)), "UnMentoring"
    await deps.ensure_community(community, str(name or "Teams team"), actor_of(activity).member_id)
    await People(deps.references, deps.connector, deps.clock).sender(activity, community)
