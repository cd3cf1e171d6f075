"""The scheduler keeps one job per programme that runs rounds, and none for the others."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
from sqlalchemy import event

from adapters.console.platform import CONSOLE_PLATFORM
from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from bot.runtime.metrics import Metrics
from bot.runtime.scheduler import RoundScheduler, programme_job_id
from pairing_core.ports import UnitOfWork
from pairing_core.programme import GENERAL, Programme
from pairing_core.round import RoundState
from pairing_core.services.community_setup import ensure_community, schedule_round
from pairing_core.services.context import Services
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.fakes import FakeClock

COMMUNITY = "http:T1"
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


class World:
    """A community stored in SQLite, the core's services over it, and a fixed clock."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.clock = FakeClock(START)
        self.services = Services(uow, self.clock, random.Random(7))

    async def setup(self, community: str = COMMUNITY, platform: str = "http") -> None:
        await ensure_community(self.uow, self.clock.now(), community, platform, "Test network")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'scheduler.db'}"
    await upgrade(url)
    engine = create_engine(url)
    try:
        w = World(SqlAlchemyUnitOfWork(session_factory(engine)))
        await w.setup()
        yield w
    finally:
        await engine.dispose()


class CountingUnitOfWork:
    """A unit of work, counting how often it is entered."""

    def __init__(self, inner: UnitOfWork) -> None:
        self.inner = inner
        self.entered = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def __aenter__(self) -> Self:
        self.entered += 1
        await self.inner.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.inner.__aexit__(exc_type, exc, tb)


async def add_programme(world: World, programme_id: str) -> Programme:
    programme = Programme(COMMUNITY, programme_id, programme_id, world.clock.now())
    async with world.uow:
        assert await world.uow.programmes.add(programme)
        await world.uow.commit()
    return programme


async def archive(world: World, programme: Programme) -> None:
    async with world.uow:
        programme.archived_at = world.clock.now()
        await world.uow.programmes.save(programme)
        await world.uow.commit()


def job_ids(scheduler: RoundScheduler) -> list[str]:
    return sorted(job.id for job in scheduler.scheduler.get_jobs())


@pytest.fixture
async def paused(world: World) -> AsyncIterator[tuple[World, RoundScheduler]]:
    """A world and a scheduler whose jobs are placed but never run."""
    scheduler = RoundScheduler(lambda: world.services, Metrics(), None, resync_seconds=3600)
    world.services.schedule_changed = scheduler.reschedule_soon
    scheduler.scheduler.start(paused=True)
    try:
        yield world, scheduler
    finally:
        scheduler.shutdown()


class TestOneJobPerProgramme:
    async def test_each_active_programme_gets_a_job_and_an_archived_one_none(
        self, paused: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = paused
        await add_programme(world, "data")
        await archive(world, await add_programme(world, "old"))
        await scheduler.resync()
        assert job_ids(scheduler) == [
            programme_job_id(COMMUNITY, "data"),
            programme_job_id(COMMUNITY, GENERAL),
        ]

    async def test_a_programme_archived_by_another_replica_loses_its_job_at_the_next_resync(
        self, paused: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = paused
        data = await add_programme(world, "data")
        await scheduler.resync()
        assert programme_job_id(COMMUNITY, "data") in job_ids(scheduler)
        await archive(world, data)  # straight to storage: this replica was not told
        await scheduler.resync()
        assert job_ids(scheduler) == [programme_job_id(COMMUNITY, GENERAL)]

    async def test_a_playground_community_gets_no_job(
        self, paused: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = paused
        await world.setup("playground", CONSOLE_PLATFORM)
        await scheduler.resync()
        assert job_ids(scheduler) == [programme_job_id(COMMUNITY, GENERAL)]
        await scheduler.schedule("playground", GENERAL)
        assert job_ids(scheduler) == [programme_job_id(COMMUNITY, GENERAL)]

    async def test_a_programme_archived_here_loses_its_job_at_once(
        self, paused: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = paused
        data = await add_programme(world, "data")
        await scheduler.resync()
        await archive(world, data)
        await scheduler.schedule(COMMUNITY, "data")  # what reschedule_soon runs
        assert job_ids(scheduler) == [programme_job_id(COMMUNITY, GENERAL)]


class TestResyncCost:
    @pytest.mark.parametrize("extra", [1, 20])
    async def test_the_resync_opens_two_units_of_work_however_many_programmes(
        self, world: World, extra: int
    ) -> None:
        for n in range(extra):
            await add_programme(world, f"p{n}")
        counting = CountingUnitOfWork(world.uow)
        world.services.uow = counting  # type: ignore[assignment]
        scheduler = RoundScheduler(lambda: world.services, Metrics(), None, resync_seconds=3600)
        scheduler.scheduler.start(paused=True)
        try:
            await scheduler.resync()
        finally:
            scheduler.shutdown()
        assert counting.entered == 2  # the programmes, then every due time
        assert len(job_ids(scheduler)) == extra + 1


class TestArchivedWithARoundRunning:
    async def test_keeps_its_job_until_its_last_round_is_over(
        self, paused: tuple[World, RoundScheduler]
    ) -> None:
        world, scheduler = paused
        data = await add_programme(world, "data")
        async with world.uow:
            round_ = schedule_round(data, 1, world.clock.now())
            round_.state = RoundState.INTRODUCED
            await world.uow.rounds.add(round_)
            await world.uow.commit()
        await archive(world, data)
        await scheduler.resync()
        assert programme_job_id(COMMUNITY, "data") in job_ids(scheduler)
        world.clock.current = round_.close_at
        await run_due_steps(world.services, COMMUNITY, "data")
        await scheduler.resync()
        assert job_ids(scheduler) == [programme_job_id(COMMUNITY, GENERAL)]


class TestResyncStatements:
    async def test_the_resync_runs_the_same_statements_for_one_programme_or_fifty(
        self, tmp_path: Path
    ) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'count.db'}"
        await upgrade(url)
        engine = create_engine(url)
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        try:
            world = World(SqlAlchemyUnitOfWork(session_factory(engine)))
            await world.setup()
            scheduler = RoundScheduler(lambda: world.services, Metrics(), None, 3600)
            scheduler.scheduler.start(paused=True)
            counts = []
            for extra in (0, 49):
                for n in range(extra):
                    programme = await add_programme(world, f"p{n}")
                    async with world.uow:
                        await world.uow.rounds.add(schedule_round(programme, 1, START))
                        await world.uow.commit()
                event.listen(engine.sync_engine, "before_cursor_execute", count)
                statements.clear()
                await scheduler.resync()
                event.remove(engine.sync_engine, "before_cursor_execute", count)
                counts.append(len(statements))
            scheduler.shutdown()
            assert len(job_ids(scheduler)) == 50
            assert counts[0] == counts[1]
        finally:
            await engine.dispose()
