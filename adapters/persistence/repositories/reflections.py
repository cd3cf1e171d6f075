"""Reflections groups share after their conversation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists
from adapters.persistence.rows import ReflectionRow
from pairing_core.redaction import remove_member
from pairing_core.reflection import Reflection

__all__ = ["SqlReflectionRepository"]


class SqlReflectionRepository:
    """Store reflections in the order they were submitted."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, reflection: Reflection) -> bool:
        """Store the takeaway unless its group has one; the unique key decides a race."""
        return await insert_unless_exists(
            self._session,
            ReflectionRow,
            {
                "community_id": reflection.community_id,
                "programme_id": reflection.programme_id,
                "round_number": reflection.round_number,
                "group_index": reflection.group_index,
                "author": reflection.author,
                "authors": list(reflection.authors),
                "text": reflection.text,
                "public": reflection.public,
                "rating": reflection.rating,
                "created_at": reflection.created_at,
            },
        )

    async def for_group(
        self, community_id: str, programme_id: str, round_number: int, group_index: int
    ) -> Reflection | None:
        """Return the group's takeaway, if it shared one."""
        statement = (
            select(ReflectionRow)
            .where(
                ReflectionRow.community_id == community_id,
                ReflectionRow.programme_id == programme_id,
                ReflectionRow.round_number == round_number,
                ReflectionRow.group_index == group_index,
            )
            .order_by(ReflectionRow.id)
            .limit(1)
        )
        row = await self._session.scalar(statement.execution_options(**FRESH))
        return None if row is None else _to_reflection(row)

    async def delete_member(
        self, community_id: str, member_id: str, names: Sequence[str] = ()
    ) -> None:
        """Delete the reflections the member wrote in any programme, and take them out of the
        others."""
        await self._session.execute(
            delete(ReflectionRow).where(
                ReflectionRow.community_id == community_id, ReflectionRow.author == member_id
            )
        )
        await self._take_out(community_id, member_id, None, names)

    async def pseudonymise_member(
        self, community_id: str, member_id: str, pseudonym: str, names: Sequence[str] = ()
    ) -> None:
        """Put ``pseudonym`` in the member's place as author and among the credited, in every
        programme."""
        await self._session.execute(
            update(ReflectionRow)
            .where(ReflectionRow.community_id == community_id, ReflectionRow.author == member_id)
            .values(author=pseudonym)
        )
        await self._take_out(community_id, member_id, pseudonym, names)

    async def _take_out(
        self, community_id: str, member_id: str, pseudonym: str | None, names: Sequence[str]
    ) -> None:
        """Credit ``pseudonym`` instead of the member (None: nobody); remove them from every text."""
        # Few reflections per community, and JSON containment differs per backend: filter here.
        rows = await self._session.execute(
            select(ReflectionRow.id, ReflectionRow.authors, ReflectionRow.text).where(
                ReflectionRow.community_id == community_id
            )
        )
        for reflection_id, authors, text in rows.all():
            clean = remove_member(text, member_id, names)
            if member_id in authors or clean != text:
                kept = [pseudonym if a == member_id else a for a in authors]
                await self._session.execute(
                    update(ReflectionRow)
                    .where(ReflectionRow.id == reflection_id)
                    .values(authors=[a for a in kept if a is not None], text=clean)
                )

    async def list(
        self, community_id: str, programme_id: str | None, round_number: int | None = None
    ) -> list[Reflection]:
        """Return the programme's takeaways (every programme's when ``programme_id`` is None)."""
        statement = select(ReflectionRow).where(ReflectionRow.community_id == community_id)
        if programme_id is not None:
            statement = statement.where(ReflectionRow.programme_id == programme_id)
        if round_number is not None:
            statement = statement.where(ReflectionRow.round_number == round_number)
        statement = statement.order_by(ReflectionRow.id)
        rows = await self._session.scalars(statement.execution_options(**FRESH))
        return [_to_reflection(row) for row in rows]


def _to_reflection(row: ReflectionRow) -> Reflection:
    return Reflection(
        community_id=row.community_id,
        round_number=row.round_number,
        group_index=row.group_index,
        author=row.author,
        authors=tuple(row.authors),
        text=row.text,
        public=row.public,
        created_at=row.created_at,
        rating=row.rating,
        programme_id=row.programme_id,
    )
