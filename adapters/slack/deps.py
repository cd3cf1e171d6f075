"""What the Slack listeners are given: fresh core services per request, deliveries, people's roles."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adapters.in_flight import InFlight
from adapters.slack.platform import SlackPlatform, user_display_name
from pairing_core.ports import Clock, DeliveryError
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import DeliveryReport, deliver_pending

__all__ = ["ACKS_FIRST_SECONDS", "AFTER_ACK_CONCURRENCY", "SlackDeps"]

log = logging.getLogger(__name__)

# How long a person's workspace role (admin or not) and profile zone are trusted before asking
# Slack again, by the bot's clock (so a test moving its clock on sees a fresh profile).
ROLE_TTL = timedelta(minutes=5)

# How many acked commands are worked on at once. Their database and Slack work shares the event
# loop with the acks still to be sent: in bench/slack.py (200 commands at once) the median ack
# took about 0.57 s with 4 and 0.9-1.2 s with 32, the last reply going out 7-10 s in either way.
AFTER_ACK_CONCURRENCY = 4
# How long work after an ack gives way to requests still to be answered, at most.
ACKS_FIRST_SECONDS = 3.0
QUICK_CALL_CONCURRENCY = 16


@dataclass
class SlackDeps:
    """``new_services`` returns services with their own unit of work: one per concurrent request.

    ``after_ack`` bounds the requests worked on at once after their ack (commands, buttons,
    forms, events); ``quick_calls`` bounds those whose only work is one Web API call that must
    happen within seconds (opening a form with a trigger id that expires), so they never wait
    behind a queue of database work.
    """

    new_services: Callable[[], Services]
    platform: SlackPlatform
    clock: Clock
    in_flight: InFlight = field(default_factory=InFlight)
    # requests received over HTTP and not answered yet (see ``work_after_ack``)
    unanswered: InFlight = field(default_factory=InFlight)
    after_ack: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(AFTER_ACK_CONCURRENCY)
    )
    quick_calls: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(QUICK_CALL_CONCURRENCY)
    )
    _roles: dict[tuple[str, str], tuple[datetime, Actor]] = field(default_factory=dict)
    _home_locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )
    _delivery_wanted: bool = False
    _delivery_task: asyncio.Task[None] | None = None
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
        """Return who is asking, with workspace admins and owners and their profile's time zone
        (cached a few minutes)."""
        now = self.clock.now()
        cached = self._roles.get((team_id, user_id))
        if cached is not None and timedelta(0) <= now - cached[0] < ROLE_TTL:
            return cached[1]
        try:
            user = await self.platform.user(team_id, user_id)
        except DeliveryError:
            return Actor(user_id, fallback_name or user_id)  # not cached: ask again next time
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        # the profile's IANA zone; the core stores it on first contact and at most daily after,
        # unless the person set theirs by command
        zone = user.get("tz")
        actor = Actor(
            user_id,
            user_display_name(user) or fallback_name or user_id,
            admin,
            timezone=zone if isinstance(zone, str) and zone else None,
        )
        self._roles[(team_id, user_id)] = (now, actor)
        return actor

    def home_lock(self, team_id: str, user_id: str) -> asyncio.Lock:
        """Return the lock that puts one person's Home tab reads and publishes in order."""
        lock = self._home_locks.get((team_id, user_id))
        if lock is None:
            lock = self._home_locks[(team_id, user_id)] = asyncio.Lock()
        return lock

    def deliver_soon(self) -> None:
        """Deliver in the background; requests arriving meanwhile share one more pass, not one each."""
        self._delivery_wanted = True
        if self._delivery_task is None or self._delivery_task.done():
            self.in_flight.begin()  # counted now, so waiting for idle also waits for this pass
            self._delivery_task = asyncio.get_running_loop().create_task(self._deliver_wanted())

    async def _deliver_wanted(self) -> None:
        try:
            while self._delivery_wanted:
                # requests still to be answered go first (see after_ack.work_after_ack)
                await self.unanswered.wait_idle_at_most(ACKS_FIRST_SECONDS)
                self._delivery_wanted = False
                try:
                    await self.deliver()
                except Exception:  # the delivery worker's next pass tries again
                    log.exception("delivery pass failed")
        finally:
            self.in_flight.end()

    async def deliver(self) -> DeliveryReport:
        """Send what the outbox holds; one pass at a time so nothing is sent twice."""
        async with self._delivering:
            return await deliver_pending(self.new_services(), self.platform, platform_name="slack")
