"""Benchmark the Discord adapter's intro delivery against a local fake of Discord's REST API.

Run ``.venv/bin/python bench/discord.py`` (about a minute; the table is saved to
``bench/results/discord.md``; ``--groups 200`` for a quick run).

1,000 groups (2,000 members) get their intro through the delivery worker: a private thread in the
intros channel, each member added, the intro posted. The fake allows ``--rate`` calls per second
on each route (method + path, as Discord's per-route buckets) and ``--global-rate`` calls per
second in all (Discord's global limit), and answers 429 with ``retry_after`` beyond that;
discord.py waits those out. The floor is the fastest any client could go under those limits:
the larger of (all calls / global rate) and (the busiest route's calls / route rate).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Run as a script, this file's folder comes first on the path, where this very file would shadow
# the discord package: look in the project's root instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from discord.http import Route  # noqa: E402

from adapters.discord.app import UnmentorBot  # noqa: E402
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory  # noqa: E402
from bot.bootstrap import SystemClock, open_storage  # noqa: E402
from bot.config import Settings  # noqa: E402
from pairing_core.member import Member  # noqa: E402
from pairing_core.message import OutboxStatus  # noqa: E402
from pairing_core.programme import GENERAL  # noqa: E402
from pairing_core.services.community_setup import ensure_community  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402
from pairing_core.services.round_calendar import run_round_now  # noqa: E402
from tests.adapters.discord.conftest import serve_fake  # noqa: E402
from tests.adapters.discord.fake_discord import GUILD, FakeDiscord, RouteLimit  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "discord.md"
COMMUNITY = f"discord:{GUILD}"
INTROS_CHANNEL = "600000000000000002"


@dataclass(frozen=True)
class Delivery:
    intros: int
    seconds: float
    floor: float
    refused: int
    duplicates: int
    lost: int
    outbox_sent: int


async def bench(groups: int, rate: int, global_rate: int) -> Delivery:
    fake = FakeDiscord()
    runner = await serve_fake(fake)
    Route.BASE = fake.base_url
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{folder}/bench.db")
            async with open_storage(settings) as storage:
                sessions = session_factory(storage.engine)
                clock, rng = SystemClock(), random.Random(1)
                bot = UnmentorBot(
                    lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
                    clock,
                    sync_commands=False,
                )
                try:
                    await bot.login("bench-token")
                    return await _intros(fake, bot, groups, rate, global_rate)
                finally:
                    await bot.close()
    finally:
        await runner.cleanup()


async def _intros(
    fake: FakeDiscord, bot: UnmentorBot, groups: int, rate: int, global_rate: int
) -> Delivery:
    services = bot.deps.new_services()
    now = datetime.now(UTC)
    community = await ensure_community(services.uow, now, COMMUNITY, "discord", "bench")
    async with services.uow as uow:
        community.settings = community.settings.replace(reflections_channel=INTROS_CHANNEL)
        await uow.communities.save(community)
        for i in range(groups * 2):
            await uow.members.add(Member(COMMUNITY, str(10**17 + i), f"m{i}", now))
        await uow.commit()
    round_ = await run_round_now(services, COMMUNITY, GENERAL)
    limit = RouteLimit(rate, global_rate)
    fake.failures.append(limit)
    started = time.perf_counter()
    while True:
        report = await bot.deps.deliver()
        if not report.sent and not report.retrying:
            break
        if not report.sent:
            await asyncio.sleep(0.2)  # everything due was deferred: wait for its retry time
    elapsed = time.perf_counter() - started
    fake.failures.remove(limit)

    threads_of = Counter(frozenset(t["members"]) for t in fake.threads.values())
    posts = Counter(
        frozenset(fake.threads[c]["members"]) for c, ms in fake.messages.items() for _ in ms
    )
    expected = [frozenset(g.members) for g in round_.groups]
    calls = sum(limit.allowed.values())
    floor = max(calls / global_rate, max(limit.allowed.values()) / rate)
    async with services.uow as uow:
        sent = 0
        for group in round_.groups:
            item = await uow.outbox.get(
                COMMUNITY, f"round:{round_.number}:group:{group.index}:intro"
            )
            sent += item is not None and item.status is OutboxStatus.SENT
    return Delivery(
        intros=len(expected),
        seconds=elapsed,
        floor=floor,
        refused=limit.refused,
        duplicates=sum(max(0, posts[g] - 1) + max(0, threads_of[g] - 1) for g in expected),
        lost=sum(posts[g] == 0 for g in expected),
        outbox_sent=sent,
    )


def table(d: Delivery, rate: int, global_rate: int) -> str:
    return "\n".join(
        [
            f"#### {d.intros:,} intros as private threads through a fake allowing {rate} calls/s "
            f"per route and {global_rate} calls/s in all (429 beyond)",
            "",
            "| intros | total s | floor s | total / floor | 429s answered | duplicates | lost "
            "| outbox sent |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {d.intros:,} | {d.seconds:.1f} | {d.floor:.1f} | {d.seconds / d.floor:.2f}x "
            f"| {d.refused} | {d.duplicates} | {d.lost} | {d.outbox_sent:,} |",
            "",
            "Each intro is 4 calls: create the thread, add each of 2 members, post. Duplicates "
            "count a second thread or post for a group; lost counts a group with no intro.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=25, help="calls per second per route")
    parser.add_argument("--global-rate", type=int, default=100, help="calls per second in all")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    delivery = asyncio.run(bench(args.groups, args.rate, args.global_rate))
    text = table(delivery, args.rate, args.global_rate)
    print(text)
    if not args.no_save:
        RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
