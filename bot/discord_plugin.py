"""Discord inside ``unmentor run``: the gateway connection, command sync, deliveries."""

from __future__ import annotations

import asyncio
import logging
from contextlib import ExitStack
from dataclasses import dataclass, field

from aiohttp import web

from adapters.discord.app import UnmentorBot
from adapters.discord.endpoints import discord_endpoints
from bot.discord_config import DiscordSettings
from bot.runtime.plugins import PluginContext, PluginFactory
from pairing_core.services.delivery import DeliveryReport

__all__ = ["DiscordPlugin", "discord_plugin"]

log = logging.getLogger(__name__)


@dataclass
class DiscordPlugin:
    bot: UnmentorBot
    token: str
    api_base_url: str
    gateway_url: str
    name: str = "discord"
    _gateway: asyncio.Task[None] | None = field(default=None, init=False)
    _endpoints: ExitStack = field(default_factory=ExitStack, init=False)

    def add_routes(self, web_app: web.Application) -> None:
        """Discord reaches the bot over its gateway: no HTTP routes."""

    async def start(self) -> None:
        self._endpoints.enter_context(discord_endpoints(self.api_base_url, self.gateway_url))
        try:
            await self.bot.login(self.token)  # a bad token fails here, before anything is served
        except BaseException:
            self._endpoints.close()  # a plugin that failed to start is never stopped
            raise
        self._gateway = asyncio.create_task(self.bot.connect(), name="discord-gateway")
        self._gateway.add_done_callback(_report_gateway_end)

    async def stop(self) -> None:
        await self.bot.close()
        if self._gateway is not None:
            await asyncio.gather(self._gateway, return_exceptions=True)
        await self.bot.deps.in_flight.wait_idle()
        self._endpoints.close()

    async def deliver(self) -> DeliveryReport:
        return await self.bot.deps.deliver()


def _report_gateway_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the Discord gateway connection ended", exc_info=task.exception())


def discord_plugin(settings: DiscordSettings) -> PluginFactory:
    """Return the factory ``serve`` calls once storage is open."""
    if settings.token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    token = settings.token.get_secret_value()

    def build(context: PluginContext) -> DiscordPlugin:
        bot = UnmentorBot(
            context.new_services,
            context.clock,
            guild_ids=settings.guild_ids,
            members_intent=settings.members_intent,
        )
        return DiscordPlugin(bot, token, settings.api_base_url, settings.gateway_url)

    return build
