"""A chat platform as the runtime runs it: built once storage is open, started, stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence.token_cipher import TokenCipher
from pairing_core.ports import Clock
from pairing_core.services.context import Services
from pairing_core.services.delivery import DeliveryReport

__all__ = ["PlatformPlugin", "PluginContext", "PluginFactory"]


@dataclass(frozen=True)
class PluginContext:
    engine: AsyncEngine
    new_services: Callable[[], Services]
    clock: Clock
    # seals the tokens a platform stores (Slack's OAuth installs); no keys: stored as given
    cipher: TokenCipher = field(default_factory=TokenCipher)


class PlatformPlugin(Protocol):
    """Slack or Discord inside ``serve``: its routes, its connection, its own deliveries."""

    name: str

    def add_routes(self, web_app: web.Application) -> None:
        """Mount the platform's HTTP endpoints (before the server starts)."""
        ...

    async def start(self) -> None:
        """Connect (gateway, Socket Mode); return once connecting is under way."""
        ...

    async def stop(self) -> None:
        """Disconnect and wait for work acknowledged but not finished."""
        ...

    async def deliver(self) -> DeliveryReport:
        """Send the outbox items of this platform's communities."""
        ...


PluginFactory = Callable[[PluginContext], PlatformPlugin]
