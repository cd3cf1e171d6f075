"""The scheduler moves a community's next step as soon as an admin changes its timetable here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.runtime.metrics import Metrics
from bot.runtime.scheduler import RoundScheduler, programme_job_id
from pairing_core.programme import GENERAL
from pairing_core.services.round_calendar import next_due_at
from tests.unit.conftest import COMMUNITY, World


@pytest.fixture
async def running() -> AsyncIterator[tuple[World, RoundScheduler]]:
    world = World()
    await world.setup()
    # an hour between resyncs: anything that moves sooner was moved by the change itself
    scheduler = RoundScheduler(lambda: world.services, Metrics(), None, resync_seconds=3600)
    world.services.schedule_changed = scheduler.reschedule_soon
    scheduler.start()
    try:
        yield world, scheduler
    finally:
        scheduler.shutdown()


async def job_due(scheduler: RoundScheduler, world: World, expected: datetime) -> datetime:
    """Wait (briefly) for the community's job to be placed where ``expected`` falls due."""
    wall = datetime.now(UTC) + (expected - world.clock.now())
    for _ in range(100):
        job = scheduler.scheduler.get_job(programme_job_id(COMMUNITY, GENERAL))
        if job is not None and abs(job.next_run_time - wall) < timedelta(seconds=5):
            return job.next_run_time  # type: ignore[no-any-return]
        await asyncio.sleep(0.02)
    raise AssertionError(f"the job never moved to {expected}: {job and job.next_run_time}")


async def two_members_scheduled(world: World, scheduler: RoundScheduler) -> datetime:
    """Two members join; return the first round's intro once the scheduler has placed it."""
    await world.say("a", "join")
    await world.say("b", "join")
    first = await next_due_at(world.uow, COMMUNITY, GENERAL)
    assert first is not None
    await job_due(scheduler, world, first)
    return first


class TestTimetableChanges:
    async def test_new_settings_move_the_next_step_at_once(
        self, running: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = running
        before = await two_members_scheduled(world, scheduler)
        reply = await world.say("boss", "admin settings cadence=weekly weekday=friday time=15:00")
        assert reply.startswith("Saved.")
        after = await next_due_at(world.uow, COMMUNITY, GENERAL)
        assert after is not None and after != before
        await job_due(scheduler, world, after)

    async def test_a_round_run_now_puts_its_check_in_next(
        self, running: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = running
        await two_members_scheduled(world, scheduler)
        await world.say("boss", "admin round now")
        checkin = await next_due_at(world.uow, COMMUNITY, GENERAL)
        assert checkin is not None and checkin - world.clock.now() < timedelta(days=8)
        await job_due(scheduler, world, checkin)

    async def test_a_skipped_round_puts_the_following_one_next(
        self, running: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = running
        first = await two_members_scheduled(world, scheduler)
        await world.say("boss", "admin round skip")
        following = await next_due_at(world.uow, COMMUNITY, GENERAL)
        assert following is not None and following > first
        await job_due(scheduler, world, following)
