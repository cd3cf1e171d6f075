"""Tables for Microsoft Teams: how to reach each person and channel after a restart.

Teams gives a bot no way to message someone it has not heard of: a proactive message needs the
person's Bot Framework id, their tenant and the Bot Connector address (``serviceUrl``) their
activities came from. Each is stored the first time the bot sees them, with the 1:1 chat once
opened, so intros and check-ins reach people after a restart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.persistence.rows import Base

__all__ = ["TeamsChannelRow", "TeamsMemberRow", "TeamsSentCardRow", "TeamsTeamRow"]

_ID = String(64)


class TeamsMemberRow(Base):
    """One person of a community: ``member_id`` is their Entra object id without dashes."""

    __tablename__ = "teams_members"

    community_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    member_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(Text)  # Bot Framework's "29:..." id
    name: Mapped[str] = mapped_column(Text)
    upn: Mapped[str | None] = mapped_column(Text)  # for the group chat's deep link
    tenant_id: Mapped[str] = mapped_column(_ID)
    service_url: Mapped[str] = mapped_column(Text)
    chat_id: Mapped[str | None] = mapped_column(Text)  # the 1:1 chat, once opened
    seen_at: Mapped[datetime]


class TeamsChannelRow(Base):
    """A team channel named in a command; ``alias`` is the id the core knows it by."""

    __tablename__ = "teams_channels"

    community_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    alias: Mapped[str] = mapped_column(_ID, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(Text)  # "19:...@thread.tacv2"
    name: Mapped[str] = mapped_column(Text)
    service_url: Mapped[str] = mapped_column(Text)


class TeamsSentCardRow(Base):
    """One member's card of a group message, once Teams accepted it.

    A group message is one card per member; a send retried after a failure or a restart skips
    the members who have theirs (the Bot Connector takes no idempotency key).
    """

    __tablename__ = "teams_sent_cards"

    community_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    outbox_key: Mapped[str] = mapped_column(Text, primary_key=True)
    member_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    reference: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]


class TeamsTeamRow(Base):
    """A team's Microsoft 365 group (``channelData.team.aadGroupId``) and tenant: where Graph
    lists its owners, who are the community's admins too."""

    __tablename__ = "teams_teams"

    community_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    aad_group_id: Mapped[str] = mapped_column(_ID)
    tenant_id: Mapped[str] = mapped_column(_ID)
