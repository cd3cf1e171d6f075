"""What the Teams listeners are given: fresh core services, references, the platform, deliveries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adapters.in_flight import InFlight
from adapters.teams.connector import Connector
from adapters.teams.identity import TEAMS
from adapters.teams.platform import TeamsPlatform
from adapters.teams.references import References, TeamGroup
from adapters.teams.sent_cards import SentCards
from adapters.teams.team_owners import TeamOwners
from pairing_core.community import CommunitySettings
from pairing_core.ports import Clock
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Services
from pairing_core.services.delivery import DeliveryReport, deliver_pending
from pairing_core.services.unreachable import report_unreachable

__all__ = ["TeamsDeps"]

log = logging.getLogger(__name__)

_PRUNE_EVERY = timedelta(hours=1)
_STRANGER_FOR = timedelta(days=1)
# longer than an outbox item is retried (8 attempts, an hour apart at most)
_SENT_CARDS_FOR = timedelta(days=2)


@dataclass
class TeamsDeps:
    new_services: Callable[[], Services]
    clock: Clock
    references: References
    connector: Connector
    sent_cards: SentCards
    owners: TeamOwners | None = None  # None: only the admin list makes admins
    platform: TeamsPlatform = field(init=False)
    in_flight: InFlight = field(default_factory=InFlight)
    _delivering: asyncio.Lock = field(default_factory=asyncio.Lock)
    _known: set[str] = field(default_factory=set)
    _groups: dict[str, TeamGroup] = field(default_factory=dict)
    _background: set[asyncio.Task[None]] = field(default_factory=set)
    _pruned_at: datetime | None = None

    def __post_init__(self) -> None:
        self.platform = TeamsPlatform(self.connector, self.references, self.sent_cards, self.clock)

    async def ensure_community(self, community_id: str, name: str, first_admin: str | None) -> None:
        """Create the community the first time it is seen; whoever brought the bot in runs it."""
        if community_id in self._known:
            return
        admins = frozenset({first_admin}) if first_admin else frozenset()
        await ensure_community(
            self.new_services().uow,
            self.clock.now(),
            community_id,
            TEAMS,
            name,
            community_settings=CommunitySettings(admins=admins),
        )
        self._known.add(community_id)

    async def remember_team_group(self, community_id: str, group: TeamGroup) -> None:
        """Store the team's Microsoft 365 group (where Graph lists its owners) when it is new."""
        if self._groups.get(community_id) != group:
            await self.references.remember_team_group(community_id, group)
            self._groups[community_id] = group

    async def forget_if_erased(self, member_id: str) -> None:
        """Drop how to reach someone the core just erased (``forget-me``): their name and UPN."""
        await self.references.forget_strangers(self.clock.now() + _PRUNE_EVERY, member_id)

    async def _prune(self) -> None:
        """Hourly: drop people the core no longer knows and nobody has heard from for a day
        (the core's retention erasure, and people who only ever asked for help)."""
        now = self.clock.now()
        if self._pruned_at is None or now - self._pruned_at >= _PRUNE_EVERY:
            self._pruned_at = now
            forgotten = await self.references.forget_strangers(now - _STRANGER_FOR)
            await self.sent_cards.forget_before(now - _SENT_CARDS_FOR)
            if forgotten:
                log.info("forgot how to reach %d people no community knows", forgotten)

    async def deliver(self) -> DeliveryReport:
        """Send what the outbox holds, one pass at a time so nothing is sent twice."""
        await self._prune()
        async with self._delivering:
            report = await deliver_pending(self.new_services(), self.platform, platform_name=TEAMS)
            unreachable = self.platform.take_unreachable()
            for community, members in unreachable.items():
                await report_unreachable(self.new_services(), community, members)
            if unreachable:  # the notices just queued
                more = await deliver_pending(
                    self.new_services(), self.platform, platform_name=TEAMS
                )
                report.sent += more.sent
                report.retrying += more.retrying
                report.failed += more.failed
                self.platform.take_unreachable()  # an unreachable admin is not reported again
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

        self.in_flight.begin()
        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
