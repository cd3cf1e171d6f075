"""Who and where: a guild's community id, and the person behind an interaction."""

from __future__ import annotations

import discord

from pairing_core.services.context import Actor

__all__ = ["actor_of", "community_id"]


def community_id(guild_id: int | str) -> str:
    """Return the community of a guild: one community per Discord server."""
    return f"discord:{guild_id}"


def actor_of(interaction: discord.Interaction) -> Actor:
    """Return who is asking; Manage Server (or Administrator) makes a platform admin."""
    perms = interaction.permissions
    admin = interaction.guild_id is not None and (perms.manage_guild or perms.administrator)
    return Actor(str(interaction.user.id), interaction.user.display_name, admin)
