"""Each workspace's bot token for a multi-workspace install, read from the installation store.

Bolt asks the store on every request (to authorize it) and the platform on every delivery; both
go through this cache so that neither waits on the database each time. Entries last
``ttl_seconds``: another replica's uninstall or reinstall is seen within that time, and a token
used after its workspace revoked it only fails that one call (``token_revoked``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Protocol, TypeVar

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation

__all__ = ["CachedInstallations", "InstallationStoreWithTokens"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class InstallationStoreWithTokens(Protocol):
    """An installation store that can also name a workspace's newest bot token by team id."""

    async def async_save(self, installation: Installation) -> None: ...
    async def async_save_bot(self, bot: Bot) -> None: ...
    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None: ...
    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None: ...
    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None: ...
    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None: ...
    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None: ...
    async def bot_token(self, team_id: str) -> str | None: ...


class CachedInstallations(AsyncInstallationStore):
    """Remember found bots and tokens for a while; forget a workspace when it is saved or deleted."""

    def __init__(
        self,
        store: InstallationStoreWithTokens,
        ttl_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds
        self._monotonic = monotonic
        self._bots: dict[tuple[str | None, str | None, bool], tuple[float, Bot]] = {}
        self._tokens: dict[str, tuple[float, str]] = {}

    @property
    def logger(self) -> logging.Logger:
        return logging.getLogger(__name__)

    async def _remembered(
        self, cache: dict[K, tuple[float, V]], key: K, find: Callable[[], Awaitable[V | None]]
    ) -> V | None:
        """Return what ``cache`` holds for ``key`` while fresh, else ``find`` it and keep it.

        Nothing found is not kept: a workspace installed meanwhile is found on the next ask.
        """
        cached = cache.get(key)
        if cached is not None and self._monotonic() - cached[0] < self.ttl_seconds:
            return cached[1]
        found = await find()
        if found is not None:
            cache[key] = (self._monotonic(), found)
        return found

    def forget(self, team_id: str | None) -> None:
        """Drop what is remembered about a workspace (every org it may belong to)."""
        self._bots = {key: value for key, value in self._bots.items() if key[1] != team_id}
        if team_id is not None:
            self._tokens.pop(team_id, None)
        if team_id is None:  # an org-wide install: its workspaces are not known by team id
            self._tokens.clear()

    async def bot_token(self, team_id: str) -> str | None:
        """Return the workspace's bot token; a workspace with none is asked again next time."""
        return await self._remembered(self._tokens, team_id, lambda: self.store.bot_token(team_id))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = (enterprise_id, team_id, bool(is_enterprise_install))
        return await self._remembered(
            self._bots,
            key,
            lambda: self.store.async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self.store.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_save(self, installation: Installation) -> None:
        await self.store.async_save(installation)
        self.forget(installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await self.store.async_save_bot(bot)
        self.forget(bot.team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.store.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(team_id)
