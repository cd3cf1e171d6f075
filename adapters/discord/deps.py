"""What the Discord listeners are given: fresh core services, the platform, deliveries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import discord
from discord.http import HTTPClient

from adapters.discord.identity import community_id
from adapters.discord.platform import DiscordPlatform, guild_of
from adapters.discord.render import ChoiceTexts
from adapters.in_flight import InFlight
from pairing_core.ports import Clock, DeliveryError
from pairing_core.services.closed_dms import report_closed_dms
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Services
from pairing_core.services.delivery import DeliveryReport, deliver_pending

__all__ = ["DiscordDeps"]

log = logging.getLogger(__name__)


@dataclass
class DiscordDeps:
    """``new_services`` returns services with their own unit of work: one per interaction."""

    new_services: Callable[[], Services]
    clock: Clock
    http: HTTPClient
    # Role binding needs the privileged Server Members intent (``DISCORD_MEMBERS_INTENT``).
    members_intent: bool = False
    choices: ChoiceTexts = field(default_factory=ChoiceTexts)
    platform: DiscordPlatform = field(init=False)
    in_flight: InFlight = field(default_factory=InFlight)
    _delivering: asyncio.Lock = field(default_factory=asyncio.Lock)
    _known: set[str] = field(default_factory=set)
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.platform = DiscordPlatform(self.http, self.intros_channel)

    async def intros_channel(self, community: str, programme_id: str) -> str | None:
        """Where a programme's private intro threads are opened.

        Its intros channel if it has one, else its reflections channel; None (one DM each) when
        neither is set or the programme is gone.
        """
        uow = self.new_services().uow
        async with uow:
            found = await uow.programmes.get(community, programme_id)
        if found is None:
            return None
        return found.settings.intros_channel or found.settings.reflections_channel

    async def ensure_guild(self, guild_id: int, name: str | None) -> str:
        """Create the guild's community the first time it is seen; return its id."""
        cid = community_id(guild_id)
        if cid not in self._known:
            services = self.new_services()
            await ensure_community(
                services.uow, self.clock.now(), cid, "discord", name or f"Discord server {guild_id}"
            )
            self._known.add(cid)
        return cid

    async def deliver(self) -> DeliveryReport:
        """Send what the outbox holds, one pass at a time so nothing is sent twice."""
        async with self._delivering:
            report = await deliver_pending(
                self.new_services(), self.platform, platform_name="discord"
            )
            closed = self.platform.take_closed_dms()
            for cid, members in closed.items():
                owner = await self._owner(cid)
                await report_closed_dms(self.new_services(), cid, members, owner)
            if closed:  # the notices just queued
                more = await deliver_pending(
                    self.new_services(), self.platform, platform_name="discord"
                )
                report.sent += more.sent
                report.retrying += more.retrying
                report.failed += more.failed
                self.platform.take_closed_dms()  # an admin with closed DMs is not reported again
            return report

    def deliver_soon(self) -> None:
        """Deliver in the background, e.g. the intros a ``round now`` just queued."""

        async def run() -> None:
            try:
                await self.deliver()
            except Exception:  # a failed pass is retried by the next one
                log.exception("delivery pass failed")
            finally:
                self.in_flight.end()

        self.in_flight.begin()  # counted now, so waiting for idle also waits for this pass

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _owner(self, community: str) -> list[str]:
        try:
            guild = await self.http.get_guild(guild_of(community), with_counts=False)
        except (discord.HTTPException, DeliveryError):
            return []
        owner = guild.get("owner_id")
        return [str(owner)] if owner else []
