"""What the bot keeps to reach people and channels proactively (``teams_members``, ``teams_channels``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence.engine import session_factory
from adapters.persistence.rows import CommunityAdminRow, MemberRow, ProgrammeAdminRow
from adapters.persistence.teams_rows import TeamsChannelRow, TeamsMemberRow, TeamsTeamRow

__all__ = ["ChannelRef", "MemberRef", "References", "TeamGroup", "channel_alias"]


@dataclass(frozen=True)
class MemberRef:
    community_id: str
    member_id: str
    user_id: str  # Bot Framework's "29:..." id
    name: str
    upn: str | None
    tenant_id: str
    service_url: str
    chat_id: str | None = None


@dataclass(frozen=True)
class ChannelRef:
    community_id: str
    alias: str
    conversation_id: str
    name: str
    service_url: str


@dataclass(frozen=True)
class TeamGroup:
    """A team's Microsoft 365 group id and its tenant: where Graph lists the team's owners."""

    aad_group_id: str
    tenant_id: str


def channel_alias(conversation_id: str) -> str:
    """Return the short id the core knows a channel by (Teams' own ids hold ':' and '@')."""
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:20]


class References:
    """Read and store the references, each write in a transaction of its own."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = session_factory(engine)

    async def member(self, community_id: str, member_id: str) -> MemberRef | None:
        async with self._sessions() as session:
            row = await session.get(TeamsMemberRow, (community_id, member_id))
        return None if row is None else _member(row)

    async def members(self, community_id: str, member_ids: list[str]) -> dict[str, MemberRef]:
        """Return the stored people among ``member_ids``, in one query."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(TeamsMemberRow).where(
                    TeamsMemberRow.community_id == community_id,
                    TeamsMemberRow.member_id.in_(member_ids),
                )
            )
            return {row.member_id: _member(row) for row in rows}

    async def by_user_id(self, community_id: str, user_id: str) -> MemberRef | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(TeamsMemberRow).where(
                    TeamsMemberRow.community_id == community_id, TeamsMemberRow.user_id == user_id
                )
            )
        return None if row is None else _member(row)

    async def by_chat(self, community_id: str, chat_id: str) -> MemberRef | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(TeamsMemberRow).where(
                    TeamsMemberRow.community_id == community_id, TeamsMemberRow.chat_id == chat_id
                )
            )
        return None if row is None else _member(row)

    async def remember_member(self, ref: MemberRef, now: datetime) -> None:
        """Store or refresh a person; a 1:1 chat already stored is kept unless ``ref`` has one."""
        stored = await self.member(ref.community_id, ref.member_id)
        if stored is not None:
            ref = replace(ref, chat_id=ref.chat_id or stored.chat_id, upn=ref.upn or stored.upn)
            if stored == ref:
                return  # nothing new: no write on every message
        row = TeamsMemberRow(**ref.__dict__, seen_at=now)
        await self._merge(row)

    async def latest_team(self, member_id: str) -> str | None:
        """Return the team community the person was last seen in, if any."""
        async with self._sessions() as session:
            found = await session.scalar(
                select(TeamsMemberRow.community_id)
                .where(
                    TeamsMemberRow.member_id == member_id,
                    TeamsMemberRow.community_id.startswith("teams:team:"),
                )
                .order_by(TeamsMemberRow.seen_at.desc())
                .limit(1)
            )
        return str(found) if found is not None else None

    async def channel(self, community_id: str, alias: str) -> ChannelRef | None:
        async with self._sessions() as session:
            row = await session.get(TeamsChannelRow, (community_id, alias))
        if row is None:
            return None
        return ChannelRef(
            row.community_id, row.alias, row.conversation_id, row.name, row.service_url
        )

    async def remember_channel(self, ref: ChannelRef) -> None:
        if await self.channel(ref.community_id, ref.alias) == ref:
            return
        await self._merge(TeamsChannelRow(**ref.__dict__))

    async def team_group(self, community_id: str) -> TeamGroup | None:
        async with self._sessions() as session:
            row = await session.get(TeamsTeamRow, community_id)
        return None if row is None else TeamGroup(row.aad_group_id, row.tenant_id)

    async def remember_team_group(self, community_id: str, group: TeamGroup) -> None:
        if await self.team_group(community_id) == group:
            return
        await self._merge(TeamsTeamRow(community_id=community_id, **group.__dict__))

    async def forget_strangers(self, seen_before: datetime, member_id: str | None = None) -> int:
        """Delete how to reach people the core no longer knows (erased, or never joined).

        Kept: every member and admin of the community. Only rows not refreshed since
        ``seen_before`` go, so someone who wrote a moment ago and is about to join keeps theirs;
        ``member_id`` limits it to one person (right after they asked to be forgotten).
        """
        known = [
            exists().where(table.community_id == TeamsMemberRow.community_id,
                           table.member_id == TeamsMemberRow.member_id)
            for table in (MemberRow, CommunityAdminRow, ProgrammeAdminRow)
        ]  # fmt: skip
        statement = delete(TeamsMemberRow).where(
            TeamsMemberRow.seen_at < seen_before, *(~found for found in known)
        )
        if member_id is not None:
            statement = statement.where(TeamsMemberRow.member_id == member_id)
        async with self._sessions() as session:
            result = await session.execute(statement)
            await session.commit()
        return int(getattr(result, "rowcount", 0) or 0)

    async def _merge(self, row: TeamsMemberRow | TeamsChannelRow | TeamsTeamRow) -> None:
        # two requests from one person at once may both insert: the second merges over the first
        for attempt in (1, 2):
            async with self._sessions() as session:
                try:
                    await session.merge(row)
                    await session.commit()
                    return
                except IntegrityError:
                    await session.rollback()
                    if attempt == 2:
                        raise


def _member(row: TeamsMemberRow) -> MemberRef:
    return MemberRef(
        row.community_id,
        row.member_id,
        row.user_id,
        row.name,
        row.upn,
        row.tenant_id,
        row.service_url,
        row.chat_id,
    )
