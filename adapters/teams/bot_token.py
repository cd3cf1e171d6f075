"""The bot's own token for the Bot Connector: OAuth client credentials at ``TEAMS_AUTHORITY_URL``.

Asked for over aiohttp rather than through MSAL: MSAL blocks the event loop (it uses requests),
accepts only https authorities and, for one that is not Microsoft's, asks Microsoft's login
service to vouch for it first, so it cannot be pointed at a proxy or a local fake.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp

from adapters.teams.app_credential import AppCredential
from pairing_core.ports import DeliveryError

__all__ = ["BOT_FRAMEWORK_SCOPE", "GRAPH_SCOPE", "BotToken"]

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_RENEW_BEFORE_SECONDS = 300  # a token about to expire is renewed rather than sent


class BotToken:
    """The bot's token for one resource (``scope``): the Bot Connector's, or Graph's."""

    def __init__(
        self,
        authority_url: str,
        tenant: str,
        credential: AppCredential,
        http: Callable[[], aiohttp.ClientSession],
        now: Callable[[], float] = time.time,
        scope: str = BOT_FRAMEWORK_SCOPE,
    ) -> None:
        self._url = f"{authority_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self._credential, self._scope = credential, scope
        self._http, self._now = http, now
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        """Return a current token, asking for a new one when the last is about to expire."""
        async with self._lock:
            if self._token is None or self._now() > self._expires_at - _RENEW_BEFORE_SECONDS:
                await self._renew()
            assert self._token is not None
            return self._token

    async def _renew(self) -> None:
        try:
            form = {
                "grant_type": "client_credentials",
                "scope": self._scope,
                **self._credential.form(self._url),  # an assertion is made fresh each time
            }
            async with self._http().post(self._url, data=form) as response:
                body = await response.json(content_type=None)
                if response.status != 200 or "access_token" not in body:
                    error = body.get("error", response.status) if isinstance(body, dict) else ""
                    raise DeliveryError(f"token_refused:{error}", permanent=False)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise DeliveryError(f"token_unavailable: {error!r}", permanent=False) from error
        self._token = str(body["access_token"])
        self._expires_at = self._now() + float(body.get("expires_in", 3600))
