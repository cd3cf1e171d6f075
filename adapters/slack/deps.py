"""What the Slack listeners are given: fresh core services per request, deliveries, people's roles."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from adapters.slack.platform import SlackPlatform, user_display_name
from pairing_core.ports import Clock, DeliveryError
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import DeliveryReport, deliver_pending

__all__ = ["AFTER_ACK_CONCURRENCY", "InFlight", "SlackDeps"]

# How long a person's workspace role (admin or not) is trusted before asking Slack again.
ROLE_TTL_SECONDS = 300.0

# How many acked commands are worked on at once. Their database and Slack work shares the event
# loop with the acks still to be sent: in bench/slack.py (200 commands at once) the median ack
# took about 0.57 s with 4 and 0.9-1.2 s with 32, the last reply going out 7-10 s in either way.
AFTER_ACK_CONCURRENCY = 4


class InFlight:
    """Count the listener work still running after its ack, so shutdown (and tests) can wait."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def wait_idle(self) -> None:
        """Return once no listener work is running."""
        await self._idle.wait()


@dataclass
class SlackDeps:
    """``new_services`` returns services with their own unit of work: one per concurrent request.

    ``after_ack`` bounds the commands worked on at once after their ack.
    """

    new_services: Callable[[], Services]
    platform: SlackPlatform
    clock: Clock
    in_flight: InFlight = field(default_factory=InFlight)
    after_ack: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(AFTER_ACK_CONCURRENCY)
    )
    _roles: dict[tuple[str, str], tuple[float, Actor]] = field(default_factory=dict)
    _delivering: asyncio.Lock = field(default_factory=asyncio.Lock)
    _known_teams: set[str] = field(default_factory=set)
    _creating: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ensure_team(self, team_id: str, name: str) -> None:
        """Create the team's community the first time it uses the bot."""
        if team_id in self._known_teams:
            return
        # one at a time: a new workspace's first commands often arrive together
        async with self._creating:
            if team_id in self._known_teams:
                return
            services = self.new_services()
            await ensure_community(
                services.uow, self.clock.now(), team_id, "slack", name or team_id
            )
            self._known_teams.add(team_id)

    async def actor(self, team_id: str, user_id: str, fallback_name: str = "") -> Actor:
        """Return who is asking, with workspace admins and owners marked (cached a few minutes)."""
        cached = self._roles.get((team_id, user_id))
        if cached is not None and time.monotonic() - cached[0] < ROLE_TTL_SECONDS:
            return cached[1]
        try:
            user = await self.platform.user(team_id, user_id)
        except DeliveryError:
            return Actor(user_id, fallback_name or user_id)  # not cached: ask again next time
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        actor = Actor(user_id, user_display_name(user) or fallback_name or user_id, admin)
        self._roles[(team_id, user_id)] = (time.monotonic(), actor)
        return actor

    async def deliver(self) -> DeliveryReport:
        """Send what the outbox holds; one pass at a time so nothing is sent twice."""
        async with self._delivering:
            return await deliver_pending(self.new_services(), self.platform, platform_name="slack")
