"""Run the Discord adapter: storage, the bot (commands synced on start), periodic deliveries."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from adapters.discord.bot import UnmentorBot
from adapters.discord.deps import DiscordDeps
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from bot.bootstrap import SystemClock, open_storage
from bot.config import Settings
from bot.discord_config import DiscordSettings
from pairing_core.services.context import Services

__all__ = ["serve_discord"]

log = logging.getLogger(__name__)


async def _deliver_periodically(deps: DiscordDeps, every: float) -> None:
    while True:
        try:
            await deps.deliver()
        except Exception:  # a bad pass must not stop later ones
            log.exception("delivery pass failed")
        await asyncio.sleep(every)


async def serve_discord(
    settings: Settings,
    discord_settings: DiscordSettings,
    *,
    deliver_every: float | None = 30.0,
    on_ready: Callable[[DiscordDeps], None] | None = None,
) -> None:
    """Run the bot until cancelled: log in, sync commands, deliver, and serve the gateway.

    ``deliver_every`` seconds the outbox is sent (None: someone else calls ``deps.deliver``);
    ``on_ready`` receives the deps once logged in, e.g. for a scheduler to deliver through.
    """
    if discord_settings.token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    async with open_storage(settings) as storage:
        sessions = session_factory(storage.engine)
        clock = SystemClock()
        rng = random.SystemRandom()
        bot = UnmentorBot(
            lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
            clock,
            guild_ids=discord_settings.guild_ids,
        )
        delivering: asyncio.Task[None] | None = None
        async with bot:  # closes the bot, and its HTTP session, on the way out
            try:
                await bot.login(discord_settings.token.get_secret_value())
                if deliver_every is not None:
                    delivering = asyncio.create_task(_deliver_periodically(bot.deps, deliver_every))
                log.info("Discord adapter logged in as %s", bot.user)
                if on_ready is not None:
                    on_ready(bot.deps)
                await bot.connect()
            finally:
                if delivering is not None:
                    delivering.cancel()
                    await asyncio.gather(delivering, return_exceptions=True)
                await bot.deps.in_flight.wait_idle()
