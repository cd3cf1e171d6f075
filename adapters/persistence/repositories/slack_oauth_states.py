"""Slack's ``AsyncOAuthStateStore`` on the project's database, shared by every replica."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.repositories._sql import rowcount
from adapters.persistence.slack_rows import SlackOAuthStateRow

__all__ = ["SqlSlackOAuthStateStore"]


class SqlSlackOAuthStateStore(AsyncOAuthStateStore):
    """OAuth ``state`` values, each accepted once before it expires.

    In the database rather than a file or memory so that any replica can finish an install that
    another one began (``/slack/install`` and the redirect may reach different replicas).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        expiration_seconds: int = 600,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        logger: logging.Logger | None = None,
    ) -> None:
        self._sessions = sessions
        self.expiration_seconds = expiration_seconds
        self._now = now
        self._logger = logger or logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = self._now()
        async with self._sessions.begin() as session:
            # expired states nobody came back with are cleared as new ones are issued
            await session.execute(
                delete(SlackOAuthStateRow).where(SlackOAuthStateRow.expire_at <= now)
            )
            expire_at = now + timedelta(seconds=self.expiration_seconds)
            await session.execute(
                insert(SlackOAuthStateRow).values(state=state, expire_at=expire_at)
            )
        return state

    async def async_consume(self, state: str) -> bool:
        # one DELETE both checks and uses the state up, so two redirects cannot both succeed
        statement = delete(SlackOAuthStateRow).where(
            SlackOAuthStateRow.state == state, SlackOAuthStateRow.expire_at > self._now()
        )
        async with self._sessions.begin() as session:
            return rowcount(await session.execute(statement)) == 1
