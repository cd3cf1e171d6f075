"""Programmes of a community: their names, settings, admins, binding and archiving."""

from __future__ import annotations

import builtins
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import ProgrammeAdminRow, ProgrammeRow
from pairing_core.programme import GENERAL, Cadence, Programme, ProgrammeSettings, RoundMode

__all__ = ["SqlProgrammeRepository"]

_Admins = defaultdict[tuple[str, str], set[str]]


class SqlProgrammeRepository:
    """Store programmes: one row each, plus one row per programme admin."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, community_id: str, programme_id: str) -> Programme | None:
        return await self._one(
            ProgrammeRow.community_id == community_id, ProgrammeRow.id == programme_id
        )

    async def named(self, community_id: str, name: str) -> Programme | None:
        """Return the community's programme called ``name``, ignoring case."""
        return await self._one(
            ProgrammeRow.community_id == community_id, ProgrammeRow.name_key == _name_key(name)
        )

    async def add(self, programme: Programme) -> bool:
        """Store a new programme unless its id or name (ignoring case) is taken.

        Both are unique keys, so of two requests creating the same one at once, one stores it.
        """
        if not await insert_unless_exists(self._session, ProgrammeRow, _columns(programme)):
            return False
        await self._insert_admins(programme)
        return True

    async def save(self, programme: Programme) -> None:
        statement = (
            update(ProgrammeRow)
            .where(
                ProgrammeRow.community_id == programme.community_id,
                ProgrammeRow.id == programme.id,
            )
            .values(_columns(programme, with_key=False))
        )
        if rowcount(await self._session.execute(statement)) == 0:
            raise LookupError(
                f"no programme {programme.id!r} in {programme.community_id!r} to save"
            )
        key = (programme.community_id, programme.id)
        stored = (await self._admins(programme.community_id, programme.id))[key]
        if stored != set(programme.settings.admins):
            await self._session.execute(
                delete(ProgrammeAdminRow).where(
                    ProgrammeAdminRow.community_id == programme.community_id,
                    ProgrammeAdminRow.programme_id == programme.id,
                )
            )
            await self._insert_admins(programme)

    async def list(self, community_id: str) -> builtins.list[Programme]:
        """Return the community's programmes, archived ones included, oldest first."""
        return await self._many(community_id)

    async def every(self) -> builtins.list[Programme]:
        """Return every programme of every community: one query for them, one for their admins."""
        return await self._many(None)

    async def count(self, community_id: str) -> int:
        statement = select(func.count()).where(ProgrammeRow.community_id == community_id)
        return int(await self._session.scalar(statement) or 0)

    async def _one(self, *conditions: Any) -> Programme | None:
        statement = select(ProgrammeRow).where(*conditions).execution_options(**FRESH)
        row = await self._session.scalar(statement)
        if row is None:
            return None
        admins = await self._admins(row.community_id, row.id)
        return _to_programme(row, frozenset(admins[row.community_id, row.id]))

    async def _many(self, community_id: str | None) -> builtins.list[Programme]:
        statement = select(ProgrammeRow)
        if community_id is not None:
            statement = statement.where(ProgrammeRow.community_id == community_id)
        # "general" first among programmes made at the same moment (the playground's clock)
        statement = statement.order_by(
            ProgrammeRow.community_id,
            ProgrammeRow.created_at,
            ProgrammeRow.id != GENERAL,
            ProgrammeRow.id,
        )
        rows = (await self._session.scalars(statement.execution_options(**FRESH))).all()
        admins = await self._admins(community_id, None)
        return [_to_programme(row, frozenset(admins[row.community_id, row.id])) for row in rows]

    async def _admins(self, community_id: str | None, programme_id: str | None) -> _Admins:
        statement = select(
            ProgrammeAdminRow.community_id,
            ProgrammeAdminRow.programme_id,
            ProgrammeAdminRow.member_id,
        )
        if community_id is not None:
            statement = statement.where(ProgrammeAdminRow.community_id == community_id)
        if programme_id is not None:
            statement = statement.where(ProgrammeAdminRow.programme_id == programme_id)
        admins: _Admins = defaultdict(set)
        for owner, programme, member_id in await self._session.execute(statement):
            admins[owner, programme].add(member_id)
        return admins

    async def _insert_admins(self, programme: Programme) -> None:
        if programme.settings.admins:
            await self._session.execute(
                insert(ProgrammeAdminRow),
                [
                    {
                        "community_id": programme.community_id,
                        "programme_id": programme.id,
                        "member_id": member_id,
                    }
                    for member_id in sorted(programme.settings.admins)
                ],
            )


def _name_key(name: str) -> str:
    # Names are ASCII words (``checked_programme_name``), so lower() is all case folding needs,
    # and it is what migration 0012 applied in SQL.
    return name.lower()


def _columns(programme: Programme, *, with_key: bool = True) -> dict[str, Any]:
    settings = programme.settings
    columns: dict[str, Any] = {
        "name": programme.name,
        "name_key": _name_key(programme.name),
        "created_at": programme.created_at,
        "cadence": settings.cadence.value,
        "weekday": settings.weekday,
        "local_time": settings.local_time,
        "timezone": settings.timezone,
        "reflections_channel": settings.reflections_channel,
        "group_size": settings.group_size,
        "prefer_cross_org": settings.prefer_cross_org,
        "intros_channel": settings.intros_channel,
        "nudge_days": settings.nudge_days,
        "quiet_after": settings.quiet_after,
        "heads_up_days": settings.heads_up_days,
        "mode": settings.mode.value,
        "archived_at": programme.archived_at,
        "channel": programme.channel,
        "role": programme.role,
    }
    if with_key:
        columns |= {"community_id": programme.community_id, "id": programme.id}
    return columns


def _to_programme(row: ProgrammeRow, admins: frozenset[str]) -> Programme:
    return Programme(
        community_id=row.community_id,
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        settings=ProgrammeSettings(
            cadence=Cadence(row.cadence),
            weekday=row.weekday,
            local_time=row.local_time,
            timezone=row.timezone,
            reflections_channel=row.reflections_channel,
            group_size=row.group_size,
            admins=admins,
            prefer_cross_org=row.prefer_cross_org,
            intros_channel=row.intros_channel,
            nudge_days=row.nudge_days,
            quiet_after=row.quiet_after,
            heads_up_days=row.heads_up_days,
            mode=RoundMode(row.mode),
        ),
        archived_at=row.archived_at,
        channel=row.channel,
        role=row.role,
    )
