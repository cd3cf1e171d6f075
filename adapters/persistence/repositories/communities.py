"""Communities and what holds across their programmes: admins, admin role, shared history."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import CommunityAdminRow, CommunityRow
from pairing_core.community import Community, CommunitySettings

__all__ = ["SqlCommunityRepository"]


class SqlCommunityRepository:
    """Store communities: one row each, plus one row per admin."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, community_id: str) -> Community | None:
        row = await self._session.get(CommunityRow, community_id, populate_existing=True)
        if row is None:
            return None
        admins = await self._admins(community_id)
        return _to_community(row, frozenset(admins[community_id]))

    async def add(self, community: Community) -> bool:
        if not await insert_unless_exists(self._session, CommunityRow, _columns(community)):
            return False
        await self._insert_admins(community)
        return True

    async def save(self, community: Community) -> None:
        statement = (
            update(CommunityRow)
            .where(CommunityRow.id == community.id)
            .values(_columns(community, with_key=False))
        )
        if rowcount(await self._session.execute(statement)) == 0:
            raise LookupError(f"no community {community.id!r} to save")
        stored = (await self._admins(community.id))[community.id]
        if stored != set(community.settings.admins):
            await self._session.execute(
                delete(CommunityAdminRow).where(CommunityAdminRow.community_id == community.id)
            )
            await self._insert_admins(community)

    async def list(self) -> list[Community]:
        statement = select(CommunityRow).order_by(CommunityRow.created_at, CommunityRow.id)
        rows = (await self._session.scalars(statement.execution_options(**FRESH))).all()
        admins = await self._admins(None)
        return [_to_community(row, frozenset(admins[row.id])) for row in rows]

    async def _admins(self, community_id: str | None) -> defaultdict[str, set[str]]:
        statement = select(CommunityAdminRow.community_id, CommunityAdminRow.member_id)
        if community_id is not None:
            statement = statement.where(CommunityAdminRow.community_id == community_id)
        admins: defaultdict[str, set[str]] = defaultdict(set)
        for owner, member_id in await self._session.execute(statement):
            admins[owner].add(member_id)
        return admins

    async def _insert_admins(self, community: Community) -> None:
        if community.settings.admins:
            await self._session.execute(
                insert(CommunityAdminRow),
                [
                    {"community_id": community.id, "member_id": member_id}
                    for member_id in sorted(community.settings.admins)
                ],
            )


def _columns(community: Community, *, with_key: bool = True) -> dict[str, Any]:
    settings = community.settings
    columns: dict[str, Any] = {
        "platform": community.platform,
        "name": community.name,
        "created_at": community.created_at,
        "admin_role": settings.admin_role,
        "shared_history": settings.shared_history,
    }
    if with_key:
        columns["id"] = community.id
    return columns


def _to_community(row: CommunityRow, admins: frozenset[str]) -> Community:
    return Community(
        id=row.id,
        platform=row.platform,
        name=row.name,
        created_at=row.created_at,
        settings=CommunitySettings(
            admins=admins,
            admin_role=row.admin_role,
            shared_history=row.shared_history,
        ),
    )
