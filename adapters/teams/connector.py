"""Calls to the Bot Connector through the Agents SDK's ``ConnectorClient``, failures classified.

Each activity names the connector address to answer at (``serviceUrl``): one client per address,
sharing the bot's token. A 429 comes back with the connector's ``Retry-After``, which the shared
delivery turns into a pause; 403 and 404 mean the person (or channel) cannot be reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
from microsoft_agents.hosting.core.connector.client import ConnectorClient
from microsoft_agents.hosting.core.connector.conversations_base import ConversationsBase

from adapters.teams.bot_token import BotToken
from adapters.teams.connector_limits import ConnectorLimits
from pairing_core.ports import DeliveryError

__all__ = ["Connector", "Unreachable", "delivery_error"]

T = TypeVar("T")
_TIMEOUT = aiohttp.ClientTimeout(total=30)


class Unreachable(DeliveryError):
    """Teams refused to deliver to that person or channel (app not installed, blocked, a guest)."""


def _retry_after(error: aiohttp.ClientResponseError) -> float | None:
    raw = error.headers.get("Retry-After") if error.headers is not None else None
    try:
        return max(float(raw), 0.0) if raw is not None else None
    except ValueError:
        return None


def delivery_error(error: Exception) -> DeliveryError:
    """Classify a failed connector call: permanent, or transient with the connector's wait."""
    if isinstance(error, DeliveryError):
        return error
    if isinstance(error, aiohttp.ClientResponseError):
        reason = f"http_{error.status}"
        if error.status == 429:
            return DeliveryError("rate_limited", permanent=False, retry_after=_retry_after(error))
        if error.status in (403, 404):
            return Unreachable(reason, permanent=True)
        if error.status >= 500 or error.status in (401, 408, 412):
            # 401: a token renewed a moment ago may not be known everywhere yet
            return DeliveryError(reason, permanent=False, retry_after=_retry_after(error))
        return DeliveryError(reason, permanent=True)
    return DeliveryError(f"{type(error).__name__}: {error}", permanent=False)


class Connector:
    def __init__(self, token: BotToken, limits: ConnectorLimits | None = None) -> None:
        self._token, self._limits = token, limits or ConnectorLimits()
        self._clients: dict[str, ConnectorClient] = {}

    async def call(
        self,
        service_url: str,
        request: Callable[[ConversationsBase], Awaitable[T]],
        conversation: str | None = None,
    ) -> T:
        """Run ``request`` against the connector at ``service_url``; raise ``DeliveryError``.

        ``conversation``: the conversation it posts to, whose own limits it keeps to.
        """
        await self._limits.take(conversation)
        try:
            client = self._client(service_url, await self._token.get())
            return await request(client.conversations)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise delivery_error(error) from error

    def _client(self, service_url: str, token: str) -> ConnectorClient:
        base = service_url if service_url.endswith("/") else service_url + "/"
        client = self._clients.get(base)
        if client is None:
            session = aiohttp.ClientSession(base_url=base, timeout=_TIMEOUT)
            client = self._clients[base] = ConnectorClient(base, token, session=session)
        client.client.headers["Authorization"] = f"Bearer {token}"
        return client

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
