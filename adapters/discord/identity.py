"""Who and where: a guild's community id, and the person behind an interaction."""

from __future__ import annotations

import discord

from pairing_core.services.context import Actor

__all__ = ["actor_of", "community_id", "role_ids"]


def community_id(guild_id: int | str) -> str:
    """Return the community of a guild: one community per Discord server."""
    return f"discord:{guild_id}"


def actor_of(interaction: discord.Interaction) -> Actor:
    """Return who is asking; Manage Server (or Administrator) makes a platform admin.

    The member's role ids go along, so the community's admin role (a setting) makes an admin too.
    """
    perms = interaction.permissions
    admin = interaction.guild_id is not None and (perms.manage_guild or perms.administrator)
    user = interaction.user
    return Actor(str(user.id), user.display_name, admin, role_ids(user))


def role_ids(user: discord.User | discord.Member) -> frozenset[str]:
    """Return the ids of the roles a member holds (none outside a server)."""
    if not isinstance(user, discord.Member):
        return frozenset()
    # Member.roles drops roles missing from the guild cache; the interaction's ids are complete.
    return frozenset(str(role_id) for role_id in user._roles)
