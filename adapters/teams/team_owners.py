"""A team's owners, read from Microsoft Graph (``GET /teams/{group}/members``): they are admins.

The app asks for ``TeamMember.Read.Group`` as resource-specific consent (granted per team when
an owner adds the app), so it needs no tenant-wide Graph permission. Owners are read only when
someone outside the admin list asks for an admin command, and each team's answer is kept for a
few minutes, so Graph is not asked on every message and a removed owner loses the right soon.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from urllib.parse import quote

import aiohttp

from adapters.teams.app_credential import AppCredential
from adapters.teams.bot_token import GRAPH_SCOPE, BotToken
from adapters.teams.identity import member_id
from adapters.teams.references import TeamGroup
from pairing_core.ports import DeliveryError

__all__ = ["Ownership", "TeamOwners"]

log = logging.getLogger(__name__)

_KEEP_SECONDS = 300.0
_RETRY_SECONDS = 60.0  # after a refusal or a failure: soon enough once consent is granted
_MAX_PAGES = 50  # 50 pages of Graph's default 100 members: far beyond any real team's owners


class Ownership(enum.Enum):
    OWNER = "owner"
    NOT_OWNER = "not owner"
    NO_CONSENT = "no consent"  # Graph's 403: TeamMember.Read.Group not granted for the team
    UNAVAILABLE = "unavailable"  # no Graph token, Graph down or slow


class TeamOwners:
    def __init__(
        self,
        graph_url: str,
        authority_url: str,
        credential: AppCredential,
        http: Callable[[], aiohttp.ClientSession],
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._graph = graph_url.rstrip("/")
        self._authority, self._credential = authority_url, credential
        self._http, self._now = http, now
        self._tokens: dict[str, BotToken] = {}  # by tenant: Graph tokens are the team's tenant's
        self._known: dict[str, tuple[float, frozenset[str] | Ownership]] = {}

    async def of(self, group: TeamGroup, member: str) -> Ownership:
        """Say whether ``member`` (a core member id) owns the team, or why that is unknown."""
        kept = self._known.get(group.aad_group_id)
        if kept is None or self._now() >= kept[0]:
            read = await self._read(group)
            keep = _RETRY_SECONDS if isinstance(read, Ownership) else _KEEP_SECONDS
            kept = (self._now() + keep, read)
            self._known[group.aad_group_id] = kept
        owners = kept[1]
        if isinstance(owners, Ownership):
            return owners
        return Ownership.OWNER if member in owners else Ownership.NOT_OWNER

    async def _read(self, group: TeamGroup) -> frozenset[str] | Ownership:
        token = self._tokens.get(group.tenant_id)
        if token is None:
            token = BotToken(
                self._authority, group.tenant_id, self._credential, self._http, scope=GRAPH_SCOPE
            )
            self._tokens[group.tenant_id] = token
        owners: set[str] = set()
        url: str | None = f"{self._graph}/teams/{quote(group.aad_group_id, safe='')}/members"
        try:
            headers = {"Authorization": f"Bearer {await token.get()}"}
            for _ in range(_MAX_PAGES):
                if url is None:
                    break
                async with self._http().get(url, headers=headers) as response:
                    if response.status == 403:
                        log.warning("Graph refused a team's members: consent not granted")
                        return Ownership.NO_CONSENT
                    if response.status != 200:
                        log.warning("Graph answered %d for a team's members", response.status)
                        return Ownership.UNAVAILABLE
                    page = await response.json(content_type=None)
                owners |= {
                    member_id(str(m["userId"]))
                    for m in page.get("value", [])
                    if "owner" in (m.get("roles") or []) and m.get("userId")
                }
                url = page.get("@odata.nextLink")
        except (DeliveryError, aiohttp.ClientError, TimeoutError, ValueError, AttributeError):
            log.warning("could not read a team's owners from Graph", exc_info=True)
            return Ownership.UNAVAILABLE
        return frozenset(owners)
