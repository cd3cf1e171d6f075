"""Signed Slack requests are recorded once across replicas, and forgotten once they expire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_seen_requests import SqlSeenSlackRequests
from adapters.persistence.slack_rows import SlackSeenRequestRow

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp())


async def _rows(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count(SlackSeenRequestRow.digest)))).scalar_one()
        )


class TestSeenSlackRequests:
    async def test_a_signature_is_new_once_and_a_replay_on_another_replica_is_not(
        self, engine: AsyncEngine
    ) -> None:
        first = SqlSeenSlackRequests(session_factory(engine), now=lambda: NOW)
        other = SqlSeenSlackRequests(session_factory(engine), now=lambda: NOW)
        assert await first.first_time("v0=abc", STAMP)
        assert not await other.first_time("v0=abc", STAMP)
        assert await other.first_time("v0=def", STAMP)

    async def test_concurrent_copies_of_one_request_are_accepted_once(
        self, engine: AsyncEngine
    ) -> None:
        replicas = [
            SqlSeenSlackRequests(session_factory(engine), now=lambda: NOW) for _ in range(5)
        ]
        answers = await asyncio.gather(*(r.first_time("v0=same", STAMP) for r in replicas))
        assert sorted(answers) == [False] * 4 + [True]

    async def test_copies_arriving_together_at_one_replica_are_accepted_once(
        self, engine: AsyncEngine
    ) -> None:
        seen = SqlSeenSlackRequests(session_factory(engine), now=lambda: NOW)
        answers = await asyncio.gather(
            seen.first_time("v0=one", STAMP),
            seen.first_time("v0=one", STAMP),
            seen.first_time("v0=two", STAMP),
        )
        assert answers == [True, False, True]

    async def test_expired_signatures_are_pruned(self, engine: AsyncEngine) -> None:
        clock = [NOW]
        ticks = [0.0]
        seen = SqlSeenSlackRequests(
            session_factory(engine), now=lambda: clock[0], monotonic=lambda: ticks[0]
        )
        await seen.first_time("v0=old", STAMP)
        clock[0], ticks[0] = NOW + timedelta(minutes=7), 120.0
        await seen.first_time("v0=new", STAMP + 7 * 60)
        assert await _rows(engine) == 1
