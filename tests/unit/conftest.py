from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from pairing_core.community import CommunitySettings
from pairing_core.ports import UnitOfWork
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import deliver_pending
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.fakes import FakeChatPlatform, FakeClock, FakeUnitOfWork

COMMUNITY = "T1"
# A Wednesday, so the first Monday 09:30 London slot is five days away.
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


class World:
    """The core wired to fakes, with helpers that read like what people do."""

    def __init__(self, uow: UnitOfWork | None = None) -> None:
        """Wire the core to fakes; ``uow`` puts real storage in place of the in-memory one."""
        self.uow = uow if uow is not None else FakeUnitOfWork()
        self.clock = FakeClock(START)
        self.platform = FakeChatPlatform()
        self.services = Services(self.uow, self.clock, random.Random(7))

    async def setup(self, **settings: object) -> None:
        """Create the community; ``admins``, ``admin_role`` and ``shared_history`` are the
        community's, the rest are its "general" programme's."""
        shared = {
            k: settings.pop(k) for k in ("admins", "admin_role", "shared_history") if k in settings
        }
        community = CommunitySettings(admins=frozenset({"boss"})).replace(**shared)
        programme = ProgrammeSettings(reflections_channel="CREFL").replace(**settings)
        await ensure_community(
            self.uow,
            self.clock.now(),
            COMMUNITY,
            "test",
            "Test network",
            programme,
            community,
        )

    async def say(self, who: str, text: str, admin: bool = False) -> str:
        from pairing_core.dispatch import handle_text

        reply = await handle_text(text, Actor(who, who.title(), admin), COMMUNITY, self.services)
        await self.deliver()
        return reply.text

    async def tick(self, **delta: float) -> list[str]:
        """Advance the clock, run what is due and deliver it."""
        self.clock.advance(**delta)
        async with self.uow:
            programmes = await self.uow.programmes.list(COMMUNITY)
        done: list[str] = []
        for programme in programmes:
            if programme.active:
                done += await run_due_steps(self.services, COMMUNITY, programme.id)
        await self.deliver()
        return done

    async def deliver(self) -> None:
        await deliver_pending(self.services, self.platform)

    async def rounds(self) -> list:  # type: ignore[type-arg]
        async with self.uow:
            return await self.uow.rounds.list(COMMUNITY, GENERAL)


@pytest.fixture
async def world() -> World:
    w = World()
    await w.setup()
    return w
