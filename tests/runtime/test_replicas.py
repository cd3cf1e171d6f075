"""Three bot processes on one PostgreSQL database, killed and restarted at random: every group is
introduced once and every round step runs once, over 20 rounds of a 500-member community."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory
from bot.config import Settings
from pairing_core.programme import GENERAL
from pairing_core.round import RoundState
from pairing_core.services.round_calendar import next_due_at
from tests.integration.conftest import POSTGRES_URL, fresh_postgres_database
from tests.runtime.fake_platform import FakePlatformServer
from tests.runtime.seed import COMMUNITY, seed_community

pytestmark = [pytest.mark.replicas, pytest.mark.postgres]

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
ROUNDS = int(os.environ.get("REPLICA_ROUNDS", "20"))
MEMBERS = 500
REPLICAS = 3
# ~25 s a step on a 2-core machine with three replicas, four steps a round
TIME_LIMIT = 60.0 + 120.0 * ROUNDS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replicas:
    """Start, kill -9 and restart ``python -m bot.runtime`` processes."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.procs: list[subprocess.Popen[bytes]] = []
        self.kills = 0

    def start(self, index: int) -> subprocess.Popen[bytes]:
        env = self.env | {"UNMENTOR_PORT": str(free_port())}
        with (self.logs / f"replica-{index}.log").open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "bot.runtime"], env=env, stdout=log, stderr=log
            )

    def start_all(self) -> None:
        self.procs = [self.start(i) for i in range(REPLICAS)]

    def kill_and_restart(self, rng: random.Random) -> None:
        index = rng.randrange(REPLICAS)
        self.procs[index].send_signal(signal.SIGKILL)
        self.procs[index].wait()
        self.kills += 1
        self.procs[index] = self.start(index)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def test_replicas_killed_at_random_introduce_each_group_once(tmp_path: Path) -> None:
    rng = random.Random(2026)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIME_LIMIT
    clock_file = tmp_path / "clock"
    now = START
    clock_file.write_text(now.isoformat())
    fake = FakePlatformServer()
    await fake.start()
    async with fresh_postgres_database(POSTGRES_URL) as url:
        await seed_community(Settings(database_url=url), START, MEMBERS)
        replicas = Replicas(
            os.environ
            | {
                "UNMENTOR_DATABASE_URL": url,
                "UNMENTOR_HTTP_PLATFORM_URL": fake.url,
                "UNMENTOR_SIMULATED_CLOCK_FILE": str(clock_file),
                "UNMENTOR_HOST": "127.0.0.1",
                "UNMENTOR_SCHEDULER_RESYNC_SECONDS": "0.3",
                "UNMENTOR_DELIVERY_INTERVAL_SECONDS": "0.2",
                "UNMENTOR_LOG_LEVEL": "WARNING",
            },
            tmp_path,
        )
        engine = create_engine(url)
        sessions = session_factory(engine)

        async def deliverable() -> int:
            async with engine.connect() as connection:
                result = await connection.execute(
                    text(
                        "SELECT count(*) FROM outbox WHERE status = 'pending' "
                        "AND (not_before IS NULL OR not_before <= :now)"
                    ),
                    {"now": now},
                )
                return int(result.scalar_one())

        replicas.start_all()
        try:
            steps = 0
            while True:
                assert loop.time() < deadline, f"not done in time after {steps} steps"
                async with SqlAlchemyUnitOfWork(sessions) as uow:
                    last = await uow.rounds.get(COMMUNITY, GENERAL, ROUNDS)
                if last is not None and last.state is RoundState.CLOSED:
                    break
                due = await next_due_at(SqlAlchemyUnitOfWork(sessions), COMMUNITY, GENERAL)
                assert due is not None
                now = max(now, due) + timedelta(minutes=1)
                clock_file.write_text(now.isoformat())
                if rng.random() < 0.4:  # kill a replica somewhere in the step or its delivery
                    await asyncio.sleep(rng.uniform(0, 0.6))
                    replicas.kill_and_restart(rng)
                while loop.time() < deadline:
                    moved = await next_due_at(SqlAlchemyUnitOfWork(sessions), COMMUNITY, GENERAL)
                    if moved != due and await deliverable() == 0:
                        break
                    await asyncio.sleep(0.05)
                steps += 1
            # let the leases of items claimed by killed replicas run out, then drain the outbox
            now += timedelta(minutes=10)
            clock_file.write_text(now.isoformat())
            while await deliverable() > 0:
                assert loop.time() < deadline, "the outbox did not drain in time"
                await asyncio.sleep(0.05)
            async with SqlAlchemyUnitOfWork(sessions) as uow:
                rounds = [
                    r for r in await uow.rounds.list(COMMUNITY, GENERAL) if r.number <= ROUNDS
                ]
        finally:
            replicas.stop_all()
            await engine.dispose()
            await fake.stop()

    assert replicas.kills >= ROUNDS // 2
    assert [r.state for r in rounds] == [RoundState.CLOSED] * ROUNDS
    groups = Counter((r.number, tuple(sorted(g.members))) for r in rounds for g in r.groups)
    assert sum(len(g) for (n, g) in groups if n == 1) == MEMBERS
    intros: Counter[tuple[int, tuple[str, ...]]] = Counter()
    checkins: Counter[tuple[str, ...]] = Counter()
    reminders: Counter[tuple[str, ...]] = Counter()
    for call in fake.sends():
        members = fake.conversations[call.body["conversation_id"]]
        message = call.body["message"]["text"]
        if message.startswith("*UnMentoring round "):
            number = int(message.removeprefix("*UnMentoring round ").split("*")[0])
            if number <= ROUNDS:  # closing the last round starts the next one
                intros[(number, members)] += 1
        elif message.startswith("A reminder, in case the check-in got buried"):
            reminders[members] += 1
        elif "did you manage to meet" in message:
            checkins[members] += 1
    assert intros == groups  # every group introduced, exactly once, and nobody else
    assert sum(checkins.values()) == len(groups)  # one check-in per group: each step ran once
    # nobody answers here, so every group is reminded once: the reminder step ran once too
    assert sum(reminders.values()) == len(groups)
    keys = [c.key for c in fake.accepted if c.method != "open_group"]
    assert len(keys) == len(set(keys))  # no message delivered twice
