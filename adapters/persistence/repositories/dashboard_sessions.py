"""The dashboard's sessions in the project's database, shared by every replica."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.dashboard_rows import DashboardSessionRow

__all__ = ["SqlDashboardSessions"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SqlDashboardSessions:
    """Start, find and end sessions; a token is looked up by its digest, never stored as is."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._now = now

    async def start(self, person: dict[str, Any], lasts: timedelta) -> str:
        """Store a new session for ``person``; return its token (the cookie's content)."""
        token, now = secrets.token_urlsafe(32), self._now()
        async with self._sessions.begin() as session:
            # sessions nobody ended are cleared as new ones start
            await session.execute(
                delete(DashboardSessionRow).where(DashboardSessionRow.expire_at <= now)
            )
            await session.execute(
                insert(DashboardSessionRow).values(
                    digest=_digest(token), person=json.dumps(person), expire_at=now + lasts
                )
            )
        return token

    async def find(self, token: str) -> dict[str, Any] | None:
        """Return the person signed in with ``token``; None when ended, expired or unknown."""
        statement = select(DashboardSessionRow.person).where(
            DashboardSessionRow.digest == _digest(token),
            DashboardSessionRow.expire_at > self._now(),
        )
        async with self._sessions() as session:
            found = (await session.execute(statement)).scalar_one_or_none()
        return None if found is None else dict(json.loads(found))

    async def end(self, token: str) -> None:
        """Forget the session, so its cookie never works again."""
        async with self._sessions.begin() as session:
            await session.execute(
                delete(DashboardSessionRow).where(DashboardSessionRow.digest == _digest(token))
            )
