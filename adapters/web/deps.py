"""What the dashboard's listeners are given, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

import aiohttp
from markupsafe import Markup

from adapters.web.config import DashboardConfig
from adapters.web.cookies import CookieJar
from adapters.web.fresh_cache import FreshCache
from pairing_core.ports import ChartRenderer
from pairing_core.services.context import Services

__all__ = ["DashboardDeps", "SessionStore"]


class SessionStore(Protocol):
    """Signed-in sessions, kept where every replica finds them (the bot's database)."""

    async def start(self, person: dict[str, Any], lasts: timedelta) -> str: ...

    async def find(self, token: str) -> dict[str, Any] | None: ...

    async def end(self, token: str) -> None: ...


@dataclass
class DashboardDeps:
    config: DashboardConfig
    new_services: Callable[[], Services]
    sessions: SessionStore
    charts: ChartRenderer
    cookies: CookieJar = field(init=False)
    # by (community id, programme id)
    figures: FreshCache[Markup] = field(default_factory=FreshCache)  # the page's sections
    chart_png: FreshCache[bytes] = field(default_factory=FreshCache)
    # opened when the server starts (a ClientSession belongs to the running loop)
    http: aiohttp.ClientSession | None = None

    def __post_init__(self) -> None:
        self.cookies = CookieJar(self.config)

    def forget(self, community_id: str, programme_id: str) -> None:
        """Drop a programme's kept figures: an admin just changed it."""
        self.figures.forget((community_id, programme_id))
        self.chart_png.forget((community_id, programme_id))

    def client(self) -> aiohttp.ClientSession:
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        return self.http
