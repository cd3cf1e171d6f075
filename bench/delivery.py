"""Benchmark the outbox delivery worker against a platform that enforces rate limits with 429s.

Run ``.venv/bin/python bench/delivery.py`` (about four minutes; the tables are saved to
``bench/results/delivery.md``; ``--intros 1000`` for a quick run).

A round of ``2 x --intros`` members is started through the core, which writes one intro per group
to the outbox. The bot's delivery loop (``DeliveryWorker``, as ``serve`` runs it) then sends them
through a fake chat platform that allows ``--rate`` calls per second on each method (opening the
group conversation, posting to it) and refuses the rest with a retry-after, as Slack and Discord do
with 429s. The floor is the fastest any client could go: each method's calls divided by the rate.
Duplicates count a group posted to twice; lost counts a group never posted to. The second run has
three delivery loops claiming from one PostgreSQL database at once, as three replicas do, each with
its own services; they share only the database and the platform's limit (``--postgres-url``;
skipped when it is unreachable).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from adapters.persistence import SqlAlchemyUnitOfWork, session_factory  # noqa: E402
from bot.bootstrap import SystemClock, open_storage  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime.metrics import Metrics  # noqa: E402
from bot.runtime.worker import DeliveryWorker  # noqa: E402
from pairing_core.member import Member  # noqa: E402
from pairing_core.message import Message  # noqa: E402
from pairing_core.ports import DeliveryError  # noqa: E402
from pairing_core.programme import GENERAL  # noqa: E402
from pairing_core.services.community_setup import ensure_community  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402
from pairing_core.services.round_calendar import run_round_now  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "delivery.md"
COMMUNITY = "T-bench"


class RateLimitedPlatform:
    """Allows ``rate`` calls a second per method; beyond that, a retry-after like a 429."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._calls: dict[str, deque[float]] = {}
        self.posts: Counter[str] = Counter()
        self.refused = 0

    def _admit(self, method: str) -> None:
        now = time.monotonic()
        window = self._calls.setdefault(method, deque())
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= self.rate:
            self.refused += 1
            raise DeliveryError("ratelimited", permanent=False, retry_after=1.0 - (now - window[0]))
        window.append(now)

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        self._admit("open")
        return "+".join(member_ids)

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        self._admit("post")
        self.posts[conversation_id] += 1
        return conversation_id

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        return await self.send(community_id, member_id, message)

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        return await self.send(community_id, channel_id, message)

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        return member_id


@dataclass(frozen=True)
class Run:
    label: str
    intros: int
    seconds: float
    floor: float
    refused: int
    duplicates: int
    lost: int


async def _seed(settings: Settings, members: int) -> list[tuple[str, ...]]:
    async with open_storage(settings) as storage:
        now = datetime.now(UTC)
        services = Services(storage.uow, SystemClock(), random.Random(1))
        await ensure_community(storage.uow, now, COMMUNITY, "bench", "Bench")
        async with storage.uow:
            for n in range(members):
                await storage.uow.members.add(Member(COMMUNITY, f"U{n:05d}", f"p{n}", now))
            await storage.uow.commit()
        started = await run_round_now(services, COMMUNITY, GENERAL)
        return [g.members for g in started.groups]


async def _until_posted(platform: RateLimitedPlatform, expected: int) -> None:
    while len(platform.posts) < expected:
        await asyncio.sleep(0.01)


async def _measure(label: str, url: str, intros: int, rate: float, workers: int) -> Run:
    settings = Settings(database_url=url)
    groups = await _seed(settings, 2 * intros)
    platform = RateLimitedPlatform(rate)
    async with open_storage(settings, migrate=False) as storage:
        sessions = session_factory(storage.engine)
        # the bot's own delivery loop, one per replica, each with its own services and metrics
        loops = [
            DeliveryWorker(
                functools.partial(
                    Services, SqlAlchemyUnitOfWork(sessions), SystemClock(), random.Random(w)
                ),
                platform,
                Metrics(),
                settings.delivery_interval_seconds,
            )
            for w in range(workers)
        ]
        started = time.perf_counter()
        tasks = [asyncio.create_task(loop.run()) for loop in loops]
        try:
            await _until_posted(platform, len(groups))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        seconds = time.perf_counter() - started
    conversations = {"+".join(g) for g in groups}
    return Run(
        label,
        len(groups),
        seconds,
        len(groups) / rate,  # each method has one call per intro
        platform.refused,
        sum(n - 1 for c, n in platform.posts.items() if c in conversations and n > 1),
        sum(1 for c in conversations if platform.posts[c] == 0),
    )


async def _fresh_postgres(server_url: str) -> str | None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"unmentor_bench_{random.getrandbits(40):x}"
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OSError as error:
        print(f"PostgreSQL not reachable at {server_url}: {error}; skipping the replica run")
        return None
    finally:
        await admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres(server_url: str, url: str) -> None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(
                f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'
            )
    finally:
        await admin.dispose()


def _table(runs: list[Run], rate: float) -> str:
    lines = [
        f"#### Intros through a fake allowing {rate:g} calls/s per method (429 beyond)",
        "",
        "| run | intros | total s | floor s | total / floor | 429s answered | duplicates | lost |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.label} | {r.intros:,} | {r.seconds:.1f} | {r.floor:.1f} | "
            f"{r.seconds / r.floor:.2f}x | {r.refused} | {r.duplicates} | {r.lost} |"
        )
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intros", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument(
        "--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        runs.append(await _measure("1 worker, SQLite", url, args.intros, args.rate, 1))
    pg = await _fresh_postgres(args.postgres_url)
    if pg is not None:
        try:
            runs.append(await _measure("3 workers, PostgreSQL", pg, args.intros, args.rate, 3))
        finally:
            await _drop_postgres(args.postgres_url, pg)
    table = _table(runs, args.rate)
    print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(table + "\n")


if __name__ == "__main__":
    asyncio.run(main())
