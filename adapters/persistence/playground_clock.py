"""The playground's simulated time, stored beside the community it belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.rows import PlaygroundClockRow

__all__ = ["load_simulated_time", "save_simulated_time"]


async def load_simulated_time(
    sessions: async_sessionmaker[AsyncSession], community_id: str
) -> datetime | None:
    """Return the community's stored simulated time, or None before the first ``advance``."""
    async with sessions() as session:
        row = await session.get(PlaygroundClockRow, community_id)
        return None if row is None else row.simulated_now


async def save_simulated_time(
    sessions: async_sessionmaker[AsyncSession], community_id: str, moment: datetime
) -> None:
    """Store the community's simulated time, replacing the one kept before."""
    async with sessions.begin() as session:
        await session.merge(PlaygroundClockRow(community_id=community_id, simulated_now=moment))
