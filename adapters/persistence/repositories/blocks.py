"""Pairs of members who must never share a group."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import BlockRow
from pairing_core.member import Block, BlockKind

__all__ = ["SqlBlockRepository"]


class SqlBlockRepository:
    """Store blocks; the whole block is the row's key, so adding one twice is harmless."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, block: Block) -> bool:
        return await insert_unless_exists(
            self._session,
            BlockRow,
            {
                "community_id": block.community_id,
                "first": block.first,
                "second": block.second,
                "kind": block.kind.value,
                "author": block.author,
            },
        )

    async def remove(self, block: Block) -> bool:
        statement = delete(BlockRow).where(
            BlockRow.community_id == block.community_id,
            BlockRow.first == block.first,
            BlockRow.second == block.second,
            BlockRow.kind == block.kind.value,
            BlockRow.author == block.author,
        )
        return rowcount(await self._session.execute(statement)) > 0

    async def delete_member(self, community_id: str, member_id: str) -> None:
        await self._session.execute(
            delete(BlockRow).where(
                BlockRow.community_id == community_id,
                or_(
                    BlockRow.first == member_id,
                    BlockRow.second == member_id,
                    BlockRow.author == member_id,
                ),
            )
        )

    async def list(self, community_id: str) -> list[Block]:
        statement = (
            select(BlockRow)
            .where(BlockRow.community_id == community_id)
            .order_by(BlockRow.first, BlockRow.second, BlockRow.kind, BlockRow.author)
        )
        rows = await self._session.scalars(statement.execution_options(**FRESH))
        return [
            Block(
                community_id=row.community_id,
                first=row.first,
                second=row.second,
                kind=BlockKind(row.kind),
                author=row.author,
            )
            for row in rows
        ]
