"""Members of a community's pot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import MemberRow
from pairing_core.member import Member, MemberStatus

__all__ = ["SqlMemberRepository"]


class SqlMemberRepository:
    """Store members, one row each, keyed by community and member id."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, community_id: str, member_id: str) -> Member | None:
        row = await self._session.get(MemberRow, (community_id, member_id), populate_existing=True)
        return None if row is None else _to_member(row)

    async def add(self, member: Member) -> bool:
        return await insert_unless_exists(self._session, MemberRow, _columns(member))

    async def save(self, member: Member) -> None:
        statement = (
            update(MemberRow)
            .where(
                MemberRow.community_id == member.community_id,
                MemberRow.member_id == member.member_id,
            )
            .values(_columns(member, with_key=False))
        )
        if rowcount(await self._session.execute(statement)) == 0:
            raise LookupError(f"no member {member.member_id!r} in {member.community_id!r} to save")

    async def delete(self, community_id: str, member_id: str) -> None:
        await self._session.execute(
            delete(MemberRow).where(
                MemberRow.community_id == community_id, MemberRow.member_id == member_id
            )
        )

    async def list(
        self, community_id: str, statuses: Sequence[MemberStatus] | None = None
    ) -> list[Member]:
        statement = select(MemberRow).where(MemberRow.community_id == community_id)
        if statuses is not None:
            statement = statement.where(MemberRow.status.in_([status.value for status in statuses]))
        statement = statement.order_by(MemberRow.member_id)
        rows = await self._session.scalars(statement.execution_options(**FRESH))
        return [_to_member(row) for row in rows]


def _columns(member: Member, *, with_key: bool = True) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "display_name": member.display_name,
        "status": member.status.value,
        "organisation": member.organisation,
        "contact": member.contact,
        "paused_until": member.paused_until,
        "joined_at": member.joined_at,
        "left_at": member.left_at,
    }
    if with_key:
        columns |= {"community_id": member.community_id, "member_id": member.member_id}
    return columns


def _to_member(row: MemberRow) -> Member:
    return Member(
        community_id=row.community_id,
        member_id=row.member_id,
        display_name=row.display_name,
        joined_at=row.joined_at,
        status=MemberStatus(row.status),
        organisation=row.organisation,
        contact=row.contact,
        paused_until=row.paused_until,
        left_at=row.left_at,
    )
