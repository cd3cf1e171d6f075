"""The bot's database connections killed mid-flight on the real PostgreSQL.

Another session kills them with ``pg_terminate_backend``, as a server restart, a failover or an
administrator would: inside a round step's transaction, while a message is being sent, and inside
the delivery worker's claim and record transactions. Each time there is a log line saying what
failed, nothing is lost, nothing is sent twice, and the next pass finishes the job.
``tests/unit/test_faults.py`` covers the same with in-memory fakes; SQLite has no connection a
server can drop, so these run on PostgreSQL only (skipped, with the reason, when none is reachable).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory
from bot.runtime.metrics import Metrics
from bot.runtime.scheduler import RoundScheduler
from bot.runtime.worker import DeliveryWorker
from pairing_core.dispatch import handle_text
from pairing_core.message import Message, OutboxStatus
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import RoundState
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import LEASE, deliver_pending
from tests.unit.fakes import FakeChatPlatform, FakeClock

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)

COMMUNITY = "T1"
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday: the first intro is 5 days on
APP = "unmentor-under-test"  # the bot's connections say so, so only they are killed

Condition = Callable[["KillableUnitOfWork"], Awaitable[bool]]


class Killer:
    """Kills every connection the bot holds, from a session of its own."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.before_commit: Condition | None = None  # kill just before the commit this matches
        self.during_send = False  # kill while the platform is sending
        self.kills = 0

    async def kill(self) -> None:
        admin = create_async_engine(self.url, poolclass=pool.NullPool)
        try:
            async with admin.connect() as connection:
                # in the select list, so it runs only for the rows the WHERE keeps; the timeout
                # waits for each backend to be gone, so the bot meets a dead socket
                result = await connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND application_name = :app "
                        "AND pid <> pg_backend_pid()"
                    ),
                    {"app": APP},
                )
                killed = sum(bool(row[0]) for row in result)
        finally:
            await admin.dispose()
        assert killed, "the bot held no connection to kill"
        self.kills += 1


class KillableUnitOfWork(SqlAlchemyUnitOfWork):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], killer: Killer) -> None:
        super().__init__(sessions)
        self._killer = killer

    async def commit(self) -> None:
        condition = self._killer.before_commit
        if condition is not None and await condition(self):
            self._killer.before_commit = None
            await self._killer.kill()
        await super().commit()


class KillingPlatform(FakeChatPlatform):
    def __init__(self, killer: Killer) -> None:
        super().__init__()
        self._killer = killer

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        if self._killer.during_send:
            self._killer.during_send = False
            await self._killer.kill()
        return await super().send(community_id, conversation_id, message)


class Bot:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        watcher: async_sessionmaker[AsyncSession],
        killer: Killer,
    ) -> None:
        # the test looks at the database through connections of its own, which are not killed
        self.sessions, self.watcher, self.killer = sessions, watcher, killer
        self.clock = FakeClock(START)
        self.platform = KillingPlatform(killer)
        self.rng = random.Random(7)

    def services(self) -> Services:
        return Services(KillableUnitOfWork(self.sessions, self.killer), self.clock, self.rng)

    async def deliver_everything_with_the_worker(self) -> None:
        """Run the real delivery loop until every message is recorded as sent (a few seconds)."""
        worker = DeliveryWorker(self.services, self.platform, Metrics(), interval=0.05)
        task = asyncio.create_task(worker.run())
        try:
            async with asyncio.timeout(10):
                while set((await self.outbox()).values()) != {OutboxStatus.SENT}:
                    await asyncio.sleep(0.02)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    async def outbox(self) -> dict[str, OutboxStatus]:
        async with SqlAlchemyUnitOfWork(self.watcher) as uow:
            return {i.key: i.status for i in await uow.outbox.list(COMMUNITY)}

    def sends(self) -> Counter[tuple[str, ...]]:
        return Counter(tuple(sorted(s.to)) for s in self.platform.sent)


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[Bot]:
    watcher = create_engine(database_url)
    engine = create_engine(
        database_url, connect_args={"server_settings": {"application_name": APP}}
    )
    try:
        bot = Bot(session_factory(engine), session_factory(watcher), Killer(database_url))
        settings = ProgrammeSettings(admins=frozenset({"boss"}))
        services = bot.services()
        await ensure_community(services.uow, START, COMMUNITY, "test", "Test", settings)
        for who in ("a", "b", "c", "d"):
            await handle_text("join", Actor(who, who), COMMUNITY, bot.services())
        yield bot
    finally:
        await engine.dispose()
        await watcher.dispose()


async def round_1_introduced(uow: KillableUnitOfWork) -> bool:
    round_1 = await uow.rounds.get(COMMUNITY, GENERAL, 1)
    return round_1 is not None and round_1.state is RoundState.INTRODUCED


def nth_commit(n: int) -> Condition:
    seen = 0

    async def condition(uow: KillableUnitOfWork) -> bool:
        nonlocal seen
        seen += 1
        return seen == n

    return condition


async def introduce(bot: Bot) -> None:
    bot.clock.advance(days=5)
    await RoundScheduler(bot.services, Metrics(), grace=None).run_programme(COMMUNITY, GENERAL)


class TestARoundStep:
    async def test_killed_before_its_commit_is_logged_lost_whole_and_run_again_once(
        self, bot: Bot, caplog: pytest.LogCaptureFixture
    ) -> None:
        bot.killer.before_commit = round_1_introduced
        await introduce(bot)
        assert bot.killer.kills == 1
        (failure,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert (
            failure.getMessage()
            == "round steps for T1/general failed; the next resync retries them"
        )
        assert failure.exc_info is not None and "connection" in repr(failure.exc_info[1]).lower()
        async with SqlAlchemyUnitOfWork(bot.watcher) as uow:
            round_1 = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert round_1 is not None and round_1.state is RoundState.MATCHED  # matched, kept
        async with SqlAlchemyUnitOfWork(bot.watcher) as uow:
            assert (
                await uow.rounds.get(COMMUNITY, GENERAL, 2) is None
            )  # scheduled by the lost intro step
        assert await bot.outbox() == {}  # the intros went with the transaction, none half-written

        caplog.clear()
        caplog.set_level(logging.INFO, logger="bot.runtime.scheduler")
        await RoundScheduler(bot.services, Metrics(), grace=None).run_programme(COMMUNITY, GENERAL)
        assert "T1/general: introduced round 1" in caplog.messages
        await bot.deliver_everything_with_the_worker()
        assert sorted(m for group in bot.sends() for m in group) == ["a", "b", "c", "d"]
        assert set(bot.sends().values()) == {1}  # two intros, each sent once
        assert set((await bot.outbox()).values()) == {OutboxStatus.SENT}

    async def test_killed_while_waiting_for_the_programme_lock_logs_why(
        self, bot: Bot, caplog: pytest.LogCaptureFixture
    ) -> None:
        bot.clock.advance(days=5)
        # another replica holds the programme's lock, so the step's query is in flight when killed
        other = create_engine(bot.killer.url)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(other)) as replica:
                await replica.lock_programme(COMMUNITY, GENERAL)
                step = asyncio.create_task(
                    RoundScheduler(bot.services, Metrics(), grace=None).run_programme(
                        COMMUNITY, GENERAL
                    )
                )
                await waiting_for_a_lock(other)
                await bot.killer.kill()
                await step
        finally:
            await other.dispose()
        (failure,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert (
            failure.getMessage()
            == "round steps for T1/general failed; the next resync retries them"
        )
        # the server's own reason, not a failed rollback on the dead connection
        assert failure.exc_info is not None
        assert "terminating connection due to administrator command" in str(failure.exc_info[1])
        async with SqlAlchemyUnitOfWork(bot.watcher) as uow:
            round_1 = await uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert round_1 is not None and round_1.state is RoundState.SCHEDULED
        caplog.clear()
        caplog.set_level(logging.INFO, logger="bot.runtime.scheduler")
        await RoundScheduler(bot.services, Metrics(), grace=None).run_programme(COMMUNITY, GENERAL)
        assert "T1/general: matched round 1; introduced round 1" in caplog.messages


async def waiting_for_a_lock(engine: AsyncEngine) -> None:
    """Return once one of the bot's connections is waiting for a lock."""
    async with asyncio.timeout(10), engine.connect() as connection:
        while True:
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app "
                    "AND wait_event_type = 'Lock'"
                ),
                {"app": APP},
            )
            if waiting:
                return
            await asyncio.sleep(0.02)


class TestTheDeliveryWorker:
    async def test_connections_killed_while_it_sends_are_replaced_before_the_record(
        self, bot: Bot, caplog: pytest.LogCaptureFixture
    ) -> None:
        # pool_pre_ping finds the pooled connection dead and opens another: nothing even fails
        await introduce(bot)
        bot.killer.during_send = True
        await bot.deliver_everything_with_the_worker()
        assert bot.killer.kills == 1
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        assert set((await bot.outbox()).values()) == {OutboxStatus.SENT}
        assert set(bot.sends().values()) == {1}

    async def test_killed_in_its_claim_is_logged_and_the_next_pass_sends_each_once(
        self, bot: Bot, caplog: pytest.LogCaptureFixture
    ) -> None:
        await introduce(bot)
        bot.killer.before_commit = nth_commit(1)
        await bot.deliver_everything_with_the_worker()
        assert bot.killer.kills == 1
        (failure,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert failure.getMessage() == "delivery pass failed"
        assert failure.exc_info is not None and "connection" in str(failure.exc_info[1])
        assert set((await bot.outbox()).values()) == {OutboxStatus.SENT}
        assert set(bot.sends().values()) == {1}

    async def test_killed_while_recording_a_send_stores_it_and_never_sends_it_again(
        self, bot: Bot, caplog: pytest.LogCaptureFixture
    ) -> None:
        await introduce(bot)
        # the claim, the first send's start (before and after opening its conversation), then
        # recording the first send
        bot.killer.before_commit = nth_commit(4)
        await bot.deliver_everything_with_the_worker()
        assert bot.killer.kills == 1
        (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert warning.getMessage().startswith("storing the outcome of round:1:group:")
        assert set((await bot.outbox()).values()) == {OutboxStatus.SENT}
        # long after any lease would have run out, nothing is sent again
        bot.clock.advance(seconds=LEASE.total_seconds() * 2)
        report = await deliver_pending(bot.services(), bot.platform)
        assert report.claimed == 0
        assert set(bot.sends().values()) == {1} and len(bot.platform.sent) == 2
