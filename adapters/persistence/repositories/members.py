"""People of a community and their membership of each of its programmes."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import MemberRow, MembershipRow
from pairing_core.member import Member, MemberStatus

__all__ = ["SqlMemberRepository"]


class SqlMemberRepository:
    """Store a person once per community and a membership row per programme they joined."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, community_id: str, member_id: str, *, programme_id: str) -> Member | None:
        statement = _joined(
            MembershipRow.community_id == community_id,
            MembershipRow.member_id == member_id,
            MembershipRow.programme_id == programme_id,
        )
        row = (await self._session.execute(statement.execution_options(**FRESH))).first()
        return None if row is None else _to_member(*row)

    async def add(self, member: Member) -> bool:
        """Store the membership (and the person when new, never changing a stored one)."""
        await insert_unless_exists(self._session, MemberRow, _person(member))
        return await insert_unless_exists(self._session, MembershipRow, _membership(member))

    async def save(self, member: Member) -> None:
        membership = (
            update(MembershipRow)
            .where(*_is_membership(member))
            .values(_membership(member, with_key=False))
        )
        if rowcount(await self._session.execute(membership)) == 0:
            raise LookupError(
                f"no member {member.member_id!r} of {member.programme_id!r} "
                f"in {member.community_id!r} to save"
            )
        await self._session.execute(
            update(MemberRow)
            .where(
                MemberRow.community_id == member.community_id,
                MemberRow.member_id == member.member_id,
            )
            .values(_person(member, with_key=False))
        )

    async def delete(self, community_id: str, member_id: str) -> None:
        """Delete the person and every membership of theirs."""
        # Explicitly, rather than by the foreign key's cascade: SQLite connections made without
        # the engine's setup (foreign keys off) must not leave memberships of nobody behind.
        for row_type in (MembershipRow, MemberRow):
            await self._session.execute(
                delete(row_type).where(
                    row_type.community_id == community_id, row_type.member_id == member_id
                )
            )

    async def list(
        self,
        community_id: str,
        statuses: Sequence[MemberStatus] | None = None,
        *,
        programme_id: str | None,
    ) -> builtins.list[Member]:
        """Return the programme's memberships (every programme's when ``programme_id`` is None)."""
        conditions = [MembershipRow.community_id == community_id]
        if programme_id is not None:
            conditions.append(MembershipRow.programme_id == programme_id)
        if statuses is not None:
            conditions.append(MembershipRow.status.in_([status.value for status in statuses]))
        statement = _joined(*conditions).order_by(
            MembershipRow.member_id, MembershipRow.programme_id
        )
        rows = await self._session.execute(statement.execution_options(**FRESH))
        return [_to_member(*row) for row in rows]

    async def memberships(self, community_id: str, member_id: str) -> builtins.list[Member]:
        """Return the person's membership of every programme they ever joined."""
        statement = _joined(
            MembershipRow.community_id == community_id, MembershipRow.member_id == member_id
        ).order_by(MembershipRow.programme_id)
        rows = await self._session.execute(statement.execution_options(**FRESH))
        return [_to_member(*row) for row in rows]


def _joined(*conditions: ColumnElement[bool]) -> Select[MemberRow, MembershipRow]:
    return (
        select(MemberRow, MembershipRow)
        .join(
            MembershipRow,
            (MembershipRow.community_id == MemberRow.community_id)
            & (MembershipRow.member_id == MemberRow.member_id),
        )
        .where(*conditions)
    )


def _is_membership(member: Member) -> builtins.list[ColumnElement[bool]]:
    return [
        MembershipRow.community_id == member.community_id,
        MembershipRow.programme_id == member.programme_id,
        MembershipRow.member_id == member.member_id,
    ]


def _person(member: Member, *, with_key: bool = True) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "display_name": member.display_name,
        "organisation": member.organisation,
        "contact": member.contact,
        "about": member.about,
        "timezone": member.timezone,
        "timezone_synced_at": member.timezone_synced_at,
        "work_start": member.work_start,
        "work_end": member.work_end,
    }
    if with_key:
        columns |= {"community_id": member.community_id, "member_id": member.member_id}
    return columns


def _membership(member: Member, *, with_key: bool = True) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "status": member.status.value,
        "paused_until": member.paused_until,
        "joined_at": member.joined_at,
        "left_at": member.left_at,
    }
    if with_key:
        columns |= {
            "community_id": member.community_id,
            "programme_id": member.programme_id,
            "member_id": member.member_id,
        }
    return columns


def _to_member(person: MemberRow, membership: MembershipRow) -> Member:
    return Member(
        community_id=person.community_id,
        member_id=person.member_id,
        display_name=person.display_name,
        joined_at=membership.joined_at,
        status=MemberStatus(membership.status),
        organisation=person.organisation,
        contact=person.contact,
        paused_until=membership.paused_until,
        left_at=membership.left_at,
        programme_id=membership.programme_id,
        about=person.about,
        timezone=person.timezone,
        timezone_synced_at=person.timezone_synced_at,
        work_start=person.work_start,
        work_end=person.work_end,
    )
