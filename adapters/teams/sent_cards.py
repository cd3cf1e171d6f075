"""Which member's card of a group message Teams accepted (``teams_sent_cards``).

The Bot Connector takes no idempotency key, and a group message is one card per member: a send
retried after one member's card failed, or after a restart, skips the members who have theirs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence.engine import session_factory
from adapters.persistence.teams_rows import TeamsSentCardRow

__all__ = ["SentCards"]


class SentCards:
    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = session_factory(engine)

    async def of(self, community_id: str, outbox_key: str) -> dict[str, str]:
        """Map each member who has their card of the outbox item to its reference."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(TeamsSentCardRow).where(
                    TeamsSentCardRow.community_id == community_id,
                    TeamsSentCardRow.outbox_key == outbox_key,
                )
            )
            return {row.member_id: row.reference for row in rows}

    async def add(
        self, community_id: str, outbox_key: str, member_id: str, reference: str, now: datetime
    ) -> None:
        row = TeamsSentCardRow(
            community_id=community_id,
            outbox_key=outbox_key,
            member_id=member_id,
            reference=reference,
            sent_at=now,
        )
        async with self._sessions() as session:
            session.add(row)
            try:
                await session.commit()
            except IntegrityError:  # stored by an earlier attempt: the first reference stands
                await session.rollback()

    async def forget_before(self, moment: datetime) -> None:
        """Drop records older than any retry of their item can be."""
        async with self._sessions() as session:
            await session.execute(delete(TeamsSentCardRow).where(TeamsSentCardRow.sent_at < moment))
            await session.commit()
