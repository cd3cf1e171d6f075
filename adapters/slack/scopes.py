"""The bot scopes and events the adapter relies on; ``manifest.yml`` must list exactly these."""

from __future__ import annotations

__all__ = ["BOT_EVENTS", "BOT_SCOPES"]

# Why each scope is needed is noted beside it in manifest.yml; a test keeps the two equal.
BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "users:read",
    "channels:read",  # channel membership events and conversations.info: public channels
    "groups:read",  # the same for private channels (a programme may be bound to one)
    "files:write",  # the outcome chart: admin stats (to the admin's DM), round summaries (channel)
    # conversations.history: before sending again a message that may have been posted already
    "im:history",
    "mpim:history",
    "channels:history",
)

# app_uninstalled and tokens_revoked let a multi-workspace install forget a workspace's tokens.
BOT_EVENTS: tuple[str, ...] = (
    "app_home_opened",
    "member_joined_channel",  # a programme's bound channel: joining opts in
    "member_left_channel",  # and leaving opts out
    "user_change",
    "app_uninstalled",
    "tokens_revoked",
)
