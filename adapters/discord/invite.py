"""The permissions the bot needs, and the URL that adds it to a server with them."""

from __future__ import annotations

import discord

__all__ = ["REQUIRED_PERMISSIONS", "invite_url"]

# Post intros and takeaways, open private threads for groups (and for members with closed DMs),
# add members to them, and post in them. Slash commands and buttons need no permission.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    create_private_threads=True,
    send_messages_in_threads=True,
)


def invite_url(application_id: int) -> str:
    """Return the OAuth2 URL that adds the bot and its commands with the required permissions."""
    return discord.utils.oauth_url(
        application_id,
        permissions=REQUIRED_PERMISSIONS,
        scopes=("bot", "applications.commands"),
    )
