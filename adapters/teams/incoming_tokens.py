"""Check the Bot Framework token on every request Teams sends the bot, before anything is done.

The Agents SDK maps a token's issuer straight to Microsoft's key address and checks neither the
issuer nor the channel's endorsement of the key, so the bot checks the whole token here: signed
(RS256) by a key listed at the OpenID metadata's ``jwks_uri`` and endorsed for the activity's
channel, issued by the metadata's issuer, for this app (audience), not expired, and naming the
``serviceUrl`` the activity asks replies to go to (so a stolen token cannot redirect them).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import jwt
from jwt.algorithms import RSAAlgorithm

__all__ = ["IncomingTokens", "TokenRefused"]

# Bot Framework's own validators allow five minutes of clock skew.
_LEEWAY_SECONDS = 300
# Keys are fetched again after a day, or at once (at most every 5 minutes) for an unknown key id.
_KEYS_FOR_SECONDS = 24 * 3600
_REFETCH_AFTER_SECONDS = 300


class TokenRefused(Exception):
    """The request's token is missing, forged, expired or not for this bot."""


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


class IncomingTokens:
    def __init__(
        self,
        metadata_url: str,
        app_id: str,
        http: Callable[[], aiohttp.ClientSession],
        now: Callable[[], float] = time.time,
    ) -> None:
        self._metadata_url, self._app_id = metadata_url, app_id
        self._http, self._now = http, now
        self._issuer: str | None = None
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def check(self, authorization: str | None, activity: dict[str, Any]) -> dict[str, Any]:
        """Return the token's claims, or raise ``TokenRefused`` saying why."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise TokenRefused("no bearer token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused(f"unreadable token: {error}") from error
        if header.get("alg") != "RS256":
            raise TokenRefused("token not signed with RS256")
        jwk = await self._key(str(header.get("kid", "")))
        channel = str(activity.get("channelId", ""))
        endorsements = jwk.get("endorsements")
        if isinstance(endorsements, list) and channel not in endorsements:
            raise TokenRefused(f"key not endorsed for channel {channel!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=RSAAlgorithm.from_jwk(json.dumps(jwk)),  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self._app_id,
                issuer=self._issuer,
                leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise TokenRefused(str(error)) from error
        service_url = str(activity.get("serviceUrl", ""))
        if not _same_url(str(claims.get("serviceurl", "")), service_url):
            raise TokenRefused("the token's serviceurl is not the activity's")
        return claims

    async def _key(self, kid: str) -> dict[str, Any]:
        async with self._lock:
            age = self._now() - self._fetched_at
            if age > _KEYS_FOR_SECONDS or (kid not in self._keys and age > _REFETCH_AFTER_SECONDS):
                await self._fetch()
        found = self._keys.get(kid)
        if found is None:
            raise TokenRefused("token signed by an unknown key")
        return found

    async def _fetch(self) -> None:
        try:
            async with self._http().get(self._metadata_url) as response:
                response.raise_for_status()
                metadata = await response.json(content_type=None)
            async with self._http().get(str(metadata["jwks_uri"])) as response:
                response.raise_for_status()
                keys = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as error:
            raise TokenRefused(f"signing keys unavailable: {error!r}") from error
        self._issuer = str(metadata["issuer"])
        self._keys = {str(k["kid"]): dict(k) for k in keys.get("keys", []) if "kid" in k}
        self._fetched_at = self._now()
