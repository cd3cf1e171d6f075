"""Tables for Slack installations (several workspaces over OAuth), on the shared ``metadata``.

Tokens (and the incoming webhook URL) are encrypted when ``UNMENTOR_SECRET_KEY`` is set
(``adapters/persistence/token_cipher.py``); without it they are stored as Slack gave them, and
whoever can read this database can act as the bot in every workspace that installed it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.persistence.rows import Base

__all__ = ["SlackBotRow", "SlackInstallationRow", "SlackOAuthStateRow", "SlackSeenRequestRow"]

_ID = String(32)  # Slack ids (T…, E…, U…, B…, A…) and client ids are short
# Slack documents no maximum token length, and an encrypted value is about 1.4 times the token
# plus 100 characters: no length limit to outgrow.
_TOKEN = Text


class SlackInstallationRow(Base):
    """One completed OAuth installation: the bot token and the installing person's."""

    __tablename__ = "slack_installations"
    # Explicit names: the convention's would pass PostgreSQL's 63-character limit.
    __table_args__ = (
        Index("ix_slack_installations_workspace", "client_id", "enterprise_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(_ID)
    app_id: Mapped[str | None] = mapped_column(_ID)
    enterprise_id: Mapped[str | None] = mapped_column(_ID)
    enterprise_name: Mapped[str | None]
    enterprise_url: Mapped[str | None]
    team_id: Mapped[str | None] = mapped_column(_ID)
    team_name: Mapped[str | None]
    bot_token: Mapped[str | None] = mapped_column(_TOKEN)
    bot_id: Mapped[str | None] = mapped_column(_ID)
    bot_user_id: Mapped[str | None] = mapped_column(_ID)
    bot_scopes: Mapped[str] = mapped_column(Text)
    bot_refresh_token: Mapped[str | None] = mapped_column(_TOKEN)
    bot_token_expires_at: Mapped[datetime | None]
    user_id: Mapped[str] = mapped_column(_ID)
    user_token: Mapped[str | None] = mapped_column(_TOKEN)
    user_scopes: Mapped[str] = mapped_column(Text)
    user_refresh_token: Mapped[str | None] = mapped_column(_TOKEN)
    user_token_expires_at: Mapped[datetime | None]
    incoming_webhook_url: Mapped[str | None] = mapped_column(Text)
    incoming_webhook_channel: Mapped[str | None]
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(_ID)
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(Text)
    is_enterprise_install: Mapped[bool]
    token_type: Mapped[str | None] = mapped_column(_ID)
    installed_at: Mapped[datetime]


class SlackBotRow(Base):
    """The bot token of one installation; the newest row of a workspace is the one in use."""

    __tablename__ = "slack_bots"
    __table_args__ = (
        Index("ix_slack_bots_workspace", "client_id", "enterprise_id", "team_id"),
        Index("ix_slack_bots_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(_ID)
    app_id: Mapped[str | None] = mapped_column(_ID)
    enterprise_id: Mapped[str | None] = mapped_column(_ID)
    enterprise_name: Mapped[str | None]
    team_id: Mapped[str | None] = mapped_column(_ID)
    team_name: Mapped[str | None]
    bot_token: Mapped[str] = mapped_column(_TOKEN)
    bot_id: Mapped[str] = mapped_column(_ID)
    bot_user_id: Mapped[str] = mapped_column(_ID)
    bot_scopes: Mapped[str] = mapped_column(Text)
    bot_refresh_token: Mapped[str | None] = mapped_column(_TOKEN)
    bot_token_expires_at: Mapped[datetime | None]
    is_enterprise_install: Mapped[bool]
    installed_at: Mapped[datetime]


class SlackOAuthStateRow(Base):
    """An OAuth ``state`` issued by ``/slack/install``, deleted when the redirect consumes it."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expire_at: Mapped[datetime]


class SlackSeenRequestRow(Base):
    """A signed Slack request already accepted, kept while its signature could still be replayed."""

    __tablename__ = "slack_seen_requests"
    __table_args__ = (Index(None, "expire_at"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the signature
    expire_at: Mapped[datetime]
