"""Signed Slack requests already accepted, shared by every replica, so a replay is refused."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.repositories._sql import insert_unless_exists
from adapters.persistence.slack_rows import SlackSeenRequestRow

__all__ = ["SIGNATURE_WINDOW", "SqlSeenSlackRequests"]

# Slack's signatures are accepted for five minutes either side of their timestamp; a minute more
# covers replicas whose clocks differ a little.
SIGNATURE_WINDOW = timedelta(minutes=5)
_CLOCK_MARGIN = timedelta(minutes=1)
# Expired rows are deleted by the first request after this many seconds, not by every request.
_PRUNE_EVERY_SECONDS = 60.0


class SqlSeenSlackRequests:
    """Record each accepted signature until it expires; the same one again is a replay."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._now = now
        self._monotonic = monotonic
        self._pruned_at: float | None = None

    async def first_time(self, signature: str, timestamp: int) -> bool:
        """Record the request's signature; return False when it was already recorded (a replay)."""
        digest = hashlib.sha256(signature.encode()).hexdigest()
        expire_at = datetime.fromtimestamp(timestamp, UTC) + SIGNATURE_WINDOW + _CLOCK_MARGIN
        async with self._sessions.begin() as session:
            await self._prune(session)
            return await insert_unless_exists(
                session, SlackSeenRequestRow, {"digest": digest, "expire_at": expire_at}
            )

    async def _prune(self, session: AsyncSession) -> None:
        ticks = self._monotonic()
        if self._pruned_at is not None and ticks - self._pruned_at < _PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = ticks
        await session.execute(
            delete(SlackSeenRequestRow).where(SlackSeenRequestRow.expire_at <= self._now())
        )
