"""Whether a programme can be bound to a role here: the intent is on and the role exists."""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.respond import deps_of

__all__ = ["INTENT_OFF", "refuse_binding"]

INTENT_OFF = (
    "Role binding needs the Server Members intent: set DISCORD_MEMBERS_INTENT=true and enable it "
    "in the Developer Portal"
)


async def refuse_binding(interaction: discord.Interaction[Any], role: str) -> str | None:
    """Return why ``role`` cannot be bound, in one line; None when it can."""
    deps, guild = deps_of(interaction), interaction.guild_id
    if not deps.members_intent:
        return INTENT_OFF
    if guild is None:
        return "Please bind roles in the server they belong to."
    if role == str(guild):
        return "Everyone holds @everyone, so nobody would gain or lose it: pick another role."
    try:
        roles = await deps.http.get_roles(guild)
    except discord.HTTPException:
        return "I couldn't read this server's roles from Discord just now. Please try again."
    if role not in {str(found["id"]) for found in roles}:
        return f"There is no role with the id {role} in this server."
    return None
