"""The delivery loop's waits: at once while there is more, until a pause ends, else the interval."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.runtime.metrics import Metrics
from bot.runtime.worker import DeliveryWorker
from pairing_core.message import Message, OutboxItem, Target
from pairing_core.ports import DeliveryError
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Services
from tests.unit.fakes import FakeChatPlatform, FakeClock, FakeUnitOfWork

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
INTERVAL = 2.0


async def storage_with_intros(count: int) -> tuple[FakeUnitOfWork, FakeClock]:
    uow, clock = FakeUnitOfWork(), FakeClock(NOW)
    await ensure_community(uow, NOW, "T1", "test", "Test")
    async with uow:
        for n in range(count):
            members = (f"a{n}", f"b{n}")
            await uow.outbox.add(
                OutboxItem("T1", f"intro:{n}", Target.group(members), Message("hi"), NOW)
            )
        await uow.commit()
    return uow, clock


def worker(
    uow: FakeUnitOfWork, clock: FakeClock, platform: FakeChatPlatform, batch: int = 2
) -> DeliveryWorker:
    services = Services(uow, clock, random.Random(1))
    return DeliveryWorker(lambda: services, platform, Metrics(), INTERVAL, batch=batch)


def refuse_opens(kind: str, to: tuple[str, ...]) -> None:
    if kind == "open":
        raise DeliveryError("ratelimited", permanent=False, retry_after=0.5)


class TestDeliveryWorkerWaits:
    async def test_a_worker_refused_mid_batch_claims_again_at_once(self) -> None:
        uow, clock = await storage_with_intros(3)
        platform = FakeChatPlatform(fail=refuse_opens)
        assert await worker(uow, clock, platform).run_once() == 0.0

    async def test_a_worker_held_back_by_another_ones_pause_waits_only_until_it_ends(self) -> None:
        uow, clock = await storage_with_intros(3)
        await worker(uow, clock, FakeChatPlatform(fail=refuse_opens)).run_once()
        clock.advance(seconds=0.1)
        other_platform = FakeChatPlatform()
        assert await worker(uow, clock, other_platform).run_once() == 0.4
        assert other_platform.groups == {}  # nothing was tried while the platform asked to wait
        clock.advance(seconds=0.4)
        assert await worker(uow, clock, other_platform, batch=10).run_once() == INTERVAL
        assert len(other_platform.sent) == 3

    async def test_a_worker_with_nothing_due_waits_its_interval(self) -> None:
        uow, clock = await storage_with_intros(0)
        assert await worker(uow, clock, FakeChatPlatform()).run_once() == INTERVAL
