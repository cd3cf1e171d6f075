"""Signed Slack requests already accepted, shared by every replica, so a replay is refused.

Every request is recorded before it is handled, so this write is on the way to every ack. On
SQLite only one writer works at a time, and a burst of requests each waiting for the lock held
up the acks (and timed out after the busy timeout): requests arriving together are therefore
recorded together, one INSERT per batch, by one writer per process.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.slack_rows import SlackSeenRequestRow

__all__ = ["SIGNATURE_WINDOW", "SqlSeenSlackRequests"]

# Slack's signatures are accepted for five minutes either side of their timestamp; a minute more
# covers replicas whose clocks differ a little.
SIGNATURE_WINDOW = timedelta(minutes=5)
_CLOCK_MARGIN = timedelta(minutes=1)
# Expired rows are deleted by the first batch after this many seconds, not by every batch.
_PRUNE_EVERY_SECONDS = 60.0
_BATCH = 1000  # rows per INSERT (2 parameters each), well under both backends' limits

_Waiting = tuple[str, datetime, "asyncio.Future[bool]"]


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
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, signature: str, timestamp: int) -> bool:
        """Record the request's signature; return False when it was already recorded (a replay)."""
        digest = hashlib.sha256(signature.encode()).hexdigest()
        expire_at = datetime.fromtimestamp(timestamp, UTC) + SIGNATURE_WINDOW + _CLOCK_MARGIN
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((digest, expire_at, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        return await answer

    async def _write_batches(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:_BATCH], self._waiting[_BATCH:]
            try:
                new = await self._insert({digest: expire for digest, expire, _ in batch})
            except Exception as error:  # each waiting request hears of it
                for *_, answer in batch:
                    if not answer.done():
                        answer.set_exception(error)
                continue
            for digest, _, answer in batch:
                # a digest twice in one batch: only its first copy is new
                if not answer.done():
                    answer.set_result(digest in new)
                new.discard(digest)

    async def _insert(self, rows: dict[str, datetime]) -> set[str]:
        """Insert the rows whose digest is not stored yet; return the digests inserted."""
        values = [{"digest": digest, "expire_at": expire} for digest, expire in rows.items()]
        async with self._sessions.begin() as session:
            await self._prune(session)
            dialect = session.get_bind().dialect.name
            statement: Any = (postgresql if dialect == "postgresql" else sqlite).insert(
                SlackSeenRequestRow
            )
            statement = statement.values(values).on_conflict_do_nothing()
            result = await session.execute(statement.returning(SlackSeenRequestRow.digest))
            return {str(digest) for digest in result.scalars()}

    async def _prune(self, session: AsyncSession) -> None:
        ticks = self._monotonic()
        if self._pruned_at is not None and ticks - self._pruned_at < _PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = ticks
        await session.execute(
            delete(SlackSeenRequestRow).where(SlackSeenRequestRow.expire_at <= self._now())
        )
