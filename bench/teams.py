"""Benchmark the Teams adapter's intro delivery against a local fake of the Bot Connector.

Run ``.venv/bin/python bench/teams.py`` (under a minute; the table is saved to
``bench/results/teams.md``; ``--intros 200`` for a quick run, ``--first-round`` to open every
1:1 chat too).

``--intros`` people in groups of two each get their intro card, one 1:1 card each, through the
delivery worker. The fake enforces Microsoft's published limits (7 calls a second per
conversation, 50 a second per app) and answers 429 with a whole-second Retry-After beyond them.
The floor is the fastest any client could go under those limits: the larger of (all calls / 50)
and (the busiest conversation's calls / 7).
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

if not __package__:  # run as a script: the project's root, for ``tests``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402

from adapters.persistence import SqlAlchemyUnitOfWork, session_factory  # noqa: E402
from adapters.teams.identity import TEAMS, team_community  # noqa: E402
from adapters.teams.references import MemberRef  # noqa: E402
from bot.bootstrap import SystemClock, open_storage  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime.plugins import PluginContext  # noqa: E402
from bot.teams_plugin import TeamsPlugin, build_teams  # noqa: E402
from pairing_core.member import Member  # noqa: E402
from pairing_core.message import OutboxStatus  # noqa: E402
from pairing_core.programme import GENERAL  # noqa: E402
from pairing_core.services.community_setup import ensure_community  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402
from pairing_core.services.round_calendar import run_round_now  # noqa: E402
from tests.adapters.teams.conftest import teams_settings  # noqa: E402
from tests.adapters.teams.fake_teams import TENANT, FakeTeams  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "teams.md"
COMMUNITY = team_community("19:bench@thread.tacv2")


@dataclass(frozen=True)
class Delivery:
    intros: int
    seconds: float
    floor: float
    calls: int
    refused: int
    duplicates: int
    lost: int
    outbox_sent: int


async def bench(intros: int, first_round: bool) -> Delivery:
    fake = FakeTeams()
    runner = web.AppRunner(fake.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    fake.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{folder}/bench.db")
            async with open_storage(settings) as storage:
                sessions = session_factory(storage.engine)
                clock, rng = SystemClock(), random.Random(1)

                def new_services() -> Services:
                    return Services(SqlAlchemyUnitOfWork(sessions), clock, rng)

                context = PluginContext(storage.engine, new_services, clock)
                plugin = build_teams(teams_settings(fake), context)
                try:
                    return await _intros(fake, plugin, intros, first_round)
                finally:
                    await plugin.stop()
    finally:
        await runner.cleanup()


async def _seed(fake: FakeTeams, plugin: TeamsPlugin, people: int, first_round: bool) -> None:
    services, now = plugin.app.deps.new_services(), datetime.now(UTC)
    await ensure_community(services.uow, now, COMMUNITY, TEAMS, "bench")
    async with services.uow as uow:
        for i in range(people):
            await uow.members.add(Member(COMMUNITY, f"{i:032x}", f"m{i}", now))
        await uow.commit()
    for i in range(people):
        ref = MemberRef(
            COMMUNITY, f"{i:032x}", f"29:user-{i}", f"Person {i}", f"p{i}@council.gov.uk",
            TENANT, fake.service_url, None if first_round else f"a:chat-29:user-{i}",
        )  # fmt: skip
        await plugin.app.deps.references.remember_member(ref, now)


async def _intros(fake: FakeTeams, plugin: TeamsPlugin, intros: int, first_round: bool) -> Delivery:
    await _seed(fake, plugin, intros, first_round)
    services = plugin.app.deps.new_services()
    round_ = await run_round_now(services, COMMUNITY, GENERAL)
    fake.enforce_limits = True
    started = time.perf_counter()
    while True:
        report = await plugin.app.deps.deliver()
        if not report.sent and not report.retrying:
            break
        if not report.sent:
            await asyncio.sleep(0.2)  # everything due was deferred: wait for its retry time
    elapsed = time.perf_counter() - started
    fake.enforce_limits = False

    accepted = [c for c in fake.calls if c.status < 300]
    cards = Counter(c.path.split("/")[3] for c in fake.sent() if "say hello!" in str(c.json))
    chats = [f"a:chat-29:user-{int(m, 16)}" for g in round_.groups for m in g.members]
    per_conversation = Counter(c.path.split("/")[3] for c in accepted if c.path.count("/") > 2)
    floor = max(len(accepted) / 50, max(per_conversation.values()) / 7)
    async with services.uow as uow:
        sent = 0
        for group in round_.groups:
            item = await uow.outbox.get(COMMUNITY, f"round:1:group:{group.index}:intro")
            sent += item is not None and item.status is OutboxStatus.SENT
    return Delivery(
        intros=len(chats),
        seconds=elapsed,
        floor=floor,
        calls=len(accepted),
        refused=fake.refused,
        duplicates=sum(max(0, cards[c] - 1) for c in chats),
        lost=sum(cards[c] == 0 for c in chats),
        outbox_sent=sent,
    )


def table(d: Delivery, first_round: bool) -> str:
    opened = "each 1:1 chat opened first" if first_round else "1:1 chats already stored"
    return "\n".join(
        [
            f"#### {d.intros:,} intro cards ({opened}) through a fake Bot Connector allowing "
            "7 calls/s per conversation and 50 calls/s per app (429 beyond)",
            "",
            "| intro cards | connector calls | total s | floor s | total / floor | 429s "
            "| duplicates | lost | outbox items sent |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {d.intros:,} | {d.calls:,} | {d.seconds:.1f} | {d.floor:.1f} "
            f"| {d.seconds / d.floor:.2f}x | {d.refused} | {d.duplicates} | {d.lost} "
            f"| {d.outbox_sent:,} |",
            "",
            "Each person's card is one call (two on a first round: the 1:1 chat is opened, then "
            "the card sent). Duplicates count a second intro card to a person; lost counts a "
            "person with none.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intros", type=int, default=1000, help="people, in groups of two")
    parser.add_argument("--first-round", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    delivery = asyncio.run(bench(args.intros, args.first_round))
    text = table(delivery, args.first_round)
    print(text)
    if not args.no_save:
        mode = "a" if args.first_round and RESULTS.exists() else "w"
        with RESULTS.open(mode) as results:
            results.write(("\n" if mode == "a" else "") + text + "\n")


if __name__ == "__main__":
    main()
