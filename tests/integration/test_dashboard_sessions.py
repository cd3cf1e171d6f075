"""The dashboard's sessions on SQLite and PostgreSQL: found while live, gone once ended or old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import DashboardSessionRow, session_factory
from adapters.persistence.repositories.dashboard_sessions import SqlDashboardSessions
from tests.unit.fakes import FakeClock

PERSON = {"platform": "slack", "user_id": "U1", "name": "Ann", "communities": {"T1": []}}


class TestDashboardSessions:
    async def test_a_session_is_found_until_it_ends_or_expires(self, engine: AsyncEngine) -> None:
        clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        store = SqlDashboardSessions(session_factory(engine), clock.now)
        ended = await store.start(PERSON, timedelta(hours=8))
        expiring = await store.start(PERSON, timedelta(hours=8))
        assert await store.find(ended) == PERSON
        await store.end(ended)
        assert await store.find(ended) is None
        clock.advance(hours=8)
        assert await store.find(expiring) is None
        assert await store.find("never-issued") is None

    async def test_only_a_digest_of_the_token_is_stored_and_old_rows_are_cleared(
        self, engine: AsyncEngine
    ) -> None:
        clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        store = SqlDashboardSessions(session_factory(engine), clock.now)
        old = await store.start(PERSON, timedelta(hours=1))
        clock.advance(hours=2)
        new = await store.start(PERSON, timedelta(hours=1))
        async with engine.connect() as connection:
            digests = (await connection.execute(select(DashboardSessionRow.digest))).scalars()
            stored = list(digests)
        assert len(stored) == 1  # the expired one went as the new one started
        assert old not in stored and new not in stored
