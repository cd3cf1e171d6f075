"""Where discord.py sends REST calls and opens its gateway: Discord itself, a proxy or a fake."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

__all__ = ["discord_endpoints"]


@contextmanager
def discord_endpoints(api_base_url: str, gateway_url: str) -> Iterator[None]:
    """Point discord.py at these addresses while inside; put back the earlier ones after.

    discord.py takes both from class attributes (``Route.BASE``, read as each call is built, and
    ``DiscordWebSocket.DEFAULT_GATEWAY``, read on every connect) and has no per-client option, so
    this applies to the whole process: one Discord bot per process, as ``unmentor run`` has.
    """
    before = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = before
