"""Who and where: a Teams activity's community, the person behind it, their stored reference.

A team is a community (``teams:team:<digest of the team id>``); a 1:1 chat acts in the team
community the person is known in (the latest seen), or in their organisation's
(``teams:org:<tenant id>``) when they are known in none. A person's id in the core is their
Entra object id without dashes: stable across bots and apps, and plain letters and digits, as
the core's ``<@id>`` mentions need.
"""

from __future__ import annotations

import hashlib
from typing import Any

from adapters.teams.references import MemberRef
from pairing_core.services.context import Actor

__all__ = [
    "TEAMS",
    "actor_of",
    "member_id",
    "member_ref",
    "org_community",
    "team_community",
    "team_group_of",
    "team_id_of",
    "tenant_of",
]

TEAMS = "teams"


def team_community(team_id: str) -> str:
    return "teams:team:" + hashlib.sha256(team_id.encode()).hexdigest()[:24]


def org_community(tenant_id: str) -> str:
    return f"teams:org:{tenant_id.lower()}"


def member_id(aad_object_id: str) -> str:
    return aad_object_id.replace("-", "").lower()


def tenant_of(activity: dict[str, Any]) -> str:
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return str(tenant or (activity.get("conversation") or {}).get("tenantId") or "")


def team_id_of(activity: dict[str, Any]) -> str | None:
    team = (activity.get("channelData") or {}).get("team") or {}
    return str(team["id"]) if team.get("id") else None


def team_group_of(activity: dict[str, Any]) -> str | None:
    """Return the team's Microsoft 365 group id, which Teams sends with installs and updates."""
    team = (activity.get("channelData") or {}).get("team") or {}
    return str(team["aadGroupId"]) if team.get("aadGroupId") else None


def member_ref(activity: dict[str, Any], community_id: str) -> MemberRef | None:
    """Return how to reach the person who sent the activity (None without an Entra id)."""
    sender = activity.get("from") or {}
    aad = sender.get("aadObjectId")
    if not aad:
        return None
    conversation = activity.get("conversation") or {}
    personal = conversation.get("conversationType") == "personal"
    return MemberRef(
        community_id,
        member_id(str(aad)),
        str(sender["id"]),
        str(sender.get("name") or "someone"),
        sender.get("userPrincipalName"),
        tenant_of(activity),
        str(activity["serviceUrl"]),
        str(conversation["id"]) if personal else None,
    )


def actor_of(activity: dict[str, Any]) -> Actor:
    """Return who is asking (whether a team owner too is looked up apart: ``team_owners``)."""
    sender = activity.get("from") or {}
    return Actor(member_id(str(sender.get("aadObjectId", ""))), str(sender.get("name") or ""))
