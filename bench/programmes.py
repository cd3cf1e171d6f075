"""Benchmark programmes at scale: many programmes' round steps at once, and the scheduler's resync.

Run ``.venv/bin/python bench/programmes.py`` (a few minutes; the table is saved to
``bench/results/programmes.md``) or add ``--quick`` for small numbers that save nothing. Each
part runs on SQLite and, when it answers, on PostgreSQL at ``UNMENTOR_TEST_POSTGRES_URL``.

Round step: one community with 100 programmes of 1,000 members each, drawn from about 40,000
people, each in 1 to 3 programmes (100,000 memberships). Every programme's round 1 falls due at
the same minute; every programme's job is run at once through the scheduler (which lets 1 step
run at a time on SQLite, 4 on PostgreSQL, as ``unmentor run`` does), and the wall time runs until
all have matched and introduced their round. Every group
must have its intro queued in the outbox.

Resync: 10,000 programmes across 1,000 communities, each with a round running (introduced, 5
groups) and the next one scheduled (what ``current_rounds`` reads most for); the scheduler's
``resync`` places every job (on a paused APScheduler). SQL statements are counted with
SQLAlchemy's ``before_cursor_execute`` event.

Seeding goes straight to the tables in large transactions and is not timed. Peak memory is the
process's ``ru_maxrss`` after each part (it only grows). Timings are wall-clock on a 2-core
machine and move with whatever else it is doing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest  # the storage fixtures skip through it

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from adapters.persistence import (  # noqa: E402
    SqlAlchemyUnitOfWork,
    create_engine,
    session_factory,
    upgrade,
)
from adapters.persistence.rows import (  # noqa: E402
    MemberRow,
    MembershipRow,
    OutboxRow,
    RoundRow,
)
from bot.runtime.metrics import Metrics  # noqa: E402
from bot.runtime.scheduler import RoundScheduler  # noqa: E402
from pairing_core.community import Community  # noqa: E402
from pairing_core.member import MemberStatus  # noqa: E402
from pairing_core.programme import GENERAL, Programme, ProgrammeSettings  # noqa: E402
from pairing_core.round import Group, RoundState  # noqa: E402
from pairing_core.schedule import next_slot  # noqa: E402
from pairing_core.services.community_setup import schedule_round  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402
from tests.integration.conftest import fresh_postgres_database  # noqa: E402
from tests.unit.fakes import FakeClock  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "programmes.md"
POSTGRES_URL = os.environ.get(
    "UNMENTOR_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
STEP_TARGET_S, RESYNC_TARGET_S, QUERIES_TARGET = 60.0, 5.0, 1.0


@dataclass(frozen=True)
class Scale:
    programmes: int  # in the one community of the round-step part
    members: int  # per programme
    people: int
    resync_communities: int
    resync_programmes_each: int

    @property
    def resync_programmes(self) -> int:
        return self.resync_communities * self.resync_programmes_each


FULL = Scale(100, 1_000, 40_000, 1_000, 10)
QUICK = Scale(5, 100, 200, 20, 5)


@dataclass(frozen=True)
class Row:
    check: str
    backend: str
    result: float
    target: float | None  # None: reported, no target
    unit: str
    shown: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.result <= self.target


class FailureLog(logging.Handler):
    """Keep the scheduler's error lines: a step that failed is logged, not raised."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def concurrency(engine: AsyncEngine) -> int:
    """Return how many programmes' steps ``unmentor run`` lets run at once on this database."""
    return 1 if engine.dialect.name == "sqlite" else 4


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (``ru_maxrss`` is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memberships(scale: Scale, rng: random.Random) -> dict[int, list[int]]:
    """Give each programme ``scale.members`` people, each person in 1 to 3 programmes.

    Slots list the programmes round-robin, so consecutive slots are different programmes; each
    person (in random order) takes 1, 2 or 3 consecutive slots until every slot is taken.
    """
    slots = [p for _ in range(scale.members) for p in range(scale.programmes)]
    people = list(range(scale.people))
    rng.shuffle(people)
    # counts summing to the slots: as many threes as the people can take, the rest ones and twos
    spare = len(slots) - len(people)  # extra memberships beyond one each
    if not 0 <= spare <= 2 * len(people):
        raise ValueError("the people cannot fill the programmes with 1 to 3 memberships each")
    counts = [1] * len(people)
    for n in range(len(people)):
        extra = min(2, spare)
        counts[n] += extra
        spare -= extra
    rng.shuffle(counts)
    taken: dict[int, list[int]] = {}
    at = 0
    for person, count in zip(people, counts, strict=True):
        taken[person] = slots[at : at + count]
        at += count
    return taken


@asynccontextmanager
async def database(backend: str, folder: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a freshly migrated database of the backend."""
    if backend == "SQLite":
        url = f"sqlite+aiosqlite:///{folder}/programmes-{time.monotonic_ns()}.db"
        await upgrade(url)
        engine = create_engine(url)
        try:
            yield engine
        finally:
            await engine.dispose()
        return
    async with fresh_postgres_database(POSTGRES_URL) as url:
        await upgrade(url)
        engine = create_engine(url, pool_size=20, max_overflow=0)
        try:
            yield engine
        finally:
            await engine.dispose()


async def _add_community(
    uow: SqlAlchemyUnitOfWork, community_id: str, programme_ids: Sequence[str]
) -> list[Programme]:
    """Store a community and its programmes (inside an open unit of work)."""
    await uow.communities.add(Community(community_id, "http", community_id, START))
    programmes = []
    for n, programme_id in enumerate(programme_ids):
        programme = Programme(community_id, programme_id, programme_id, START + n * timedelta(0))
        await uow.programmes.add(programme)
        programmes.append(programme)
    return programmes


async def seed_round_step(engine: AsyncEngine, scale: Scale) -> tuple[str, list[str], datetime]:
    """Store one community of ``scale.programmes`` programmes, their members and round 1."""
    community_id = "bench:C1"
    programme_ids = [GENERAL, *(f"p{n:03}" for n in range(1, scale.programmes))]
    intro_at = next_slot(ProgrammeSettings(), START)
    sessions = session_factory(engine)
    async with SqlAlchemyUnitOfWork(sessions) as uow:
        for programme in await _add_community(uow, community_id, programme_ids):
            await uow.rounds.add(schedule_round(programme, 1, intro_at))
        await uow.commit()
    taken = memberships(scale, random.Random(1))
    people = [
        {
            "community_id": community_id,
            "member_id": f"u{person:05}",
            "display_name": f"Person {person}",
            "organisation": f"org{person % 50}",
            "contact": None,
        }
        for person in taken
    ]
    rows = [
        {
            "community_id": community_id,
            "programme_id": programme_ids[programme],
            "member_id": f"u{person:05}",
            "status": MemberStatus.ACTIVE.value,
            "paused_until": None,
            "joined_at": START,
            "left_at": None,
        }
        for person, programmes in taken.items()
        for programme in programmes
    ]
    async with sessions() as session, session.begin():
        for chunk in range(0, len(people), 5_000):
            await session.execute(insert(MemberRow), people[chunk : chunk + 5_000])
        for chunk in range(0, len(rows), 5_000):
            await session.execute(insert(MembershipRow), rows[chunk : chunk + 5_000])
    return community_id, programme_ids, intro_at


async def round_step(backend: str, engine: AsyncEngine, scale: Scale) -> list[Row]:
    community_id, programme_ids, intro_at = await seed_round_step(engine, scale)
    sessions = session_factory(engine)
    clock = FakeClock(intro_at + timedelta(minutes=1))
    rng = random.Random(7)

    scheduler = RoundScheduler(
        lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
        Metrics(),
        None,
        resync_seconds=3600,
        concurrent_steps=concurrency(engine),
    )
    failures: list[str] = []
    handler = FailureLog(failures)
    logging.getLogger("bot.runtime.scheduler").addHandler(handler)
    scheduler.scheduler.start(paused=True)  # the next steps' jobs are placed, none runs
    try:
        started = time.perf_counter()
        # every programme's job fires at the same minute: the scheduler runs them as tasks
        await asyncio.gather(*(scheduler.run_programme(community_id, p) for p in programme_ids))
        seconds = time.perf_counter() - started
    finally:
        scheduler.shutdown()
        logging.getLogger("bot.runtime.scheduler").removeHandler(handler)
    failed = failures
    for failure in failed[:3]:
        print(f"{backend}: a programme's step failed: {failure}", file=sys.stderr)
    async with sessions() as session:
        introduced = await session.scalar(
            select(func.count())
            .select_from(RoundRow)
            .where(RoundRow.number == 1, RoundRow.state == RoundState.INTRODUCED.value)
        )
        intros = await session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.key.like("%:intro"))
        )
    groups = 0
    async with SqlAlchemyUnitOfWork(sessions) as uow:
        for programme_id in programme_ids:
            round_ = await uow.rounds.get(community_id, programme_id, 1)
            groups += len(round_.groups) if round_ is not None else 0
    size = f"{scale.programmes} programmes x {scale.members:,} members"
    return [
        Row(f"{size}: match + introduce, all at once (s)", backend, seconds, STEP_TARGET_S, "s"),
        Row(
            f"{size}: programmes introduced / failed",
            backend,
            scale.programmes - (introduced or 0),
            0,
            "",
            f"{introduced} of {scale.programmes} / {len(failed)}",
        ),
        Row(
            f"{size}: groups whose intro is not queued",
            backend,
            groups - (intros or 0),
            0,
            "",
            f"{groups - (intros or 0)} ({intros:,} intros queued for {groups:,} groups)",
        ),
        Row("peak MB of the process after the round step", backend, peak_mb(), None, "MB"),
    ]


async def seed_resync(engine: AsyncEngine, scale: Scale) -> None:
    """Store the communities, each programme with a round running and the next scheduled."""
    sessions = session_factory(engine)
    slot = next_slot(ProgrammeSettings(), START)
    async with SqlAlchemyUnitOfWork(sessions) as uow:
        for c in range(scale.resync_communities):
            ids = [GENERAL, *(f"p{n}" for n in range(1, scale.resync_programmes_each))]
            for programme in await _add_community(uow, f"bench:R{c:04}", ids):
                running = schedule_round(programme, 1, slot)
                running.state = RoundState.INTRODUCED
                running.groups = [
                    Group(index=g, members=(f"u{2 * g}", f"u{2 * g + 1}")) for g in range(5)
                ]
                await uow.rounds.add(running)
                await uow.rounds.add(schedule_round(programme, 2, running.close_at))
        await uow.commit()


async def resync(backend: str, engine: AsyncEngine, scale: Scale) -> list[Row]:
    await seed_resync(engine, scale)
    sessions = session_factory(engine)
    clock = FakeClock(START + timedelta(days=6))
    scheduler = RoundScheduler(
        lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, random.Random(1)),
        Metrics(),
        None,
        resync_seconds=3600,
    )
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    scheduler.scheduler.start(paused=True)  # jobs are placed, none runs
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        await scheduler.resync()
        seconds = time.perf_counter() - started
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        jobs = len(scheduler.scheduler.get_jobs())
        scheduler.shutdown()
    n = scale.resync_programmes
    size = f"resync, {n:,} programmes in {scale.resync_communities:,} communities"
    return [
        Row(f"{size} (s)", backend, seconds, RESYNC_TARGET_S, "s"),
        Row(
            f"{size}: SQL statements per programme",
            backend,
            statements / n,
            QUERIES_TARGET,
            "",
            f"{statements / n:.2f} ({statements:,} in all)",
        ),
        Row(f"{size}: jobs placed", backend, n - jobs, 0, "", f"{jobs:,} of {n:,}"),
        Row("peak MB of the process after the resync", backend, peak_mb(), None, "MB"),
    ]


async def bench(scale: Scale, backends: Sequence[str]) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            try:
                async with database(backend, folder) as engine:
                    rows += await round_step(backend, engine, scale)
                async with database(backend, folder) as engine:
                    rows += await resync(backend, engine, scale)
            except (OSError, pytest.skip.Exception) as error:
                print(f"{backend} skipped: {error}", file=sys.stderr)
    return rows


def _shown(row: Row) -> str:
    if row.shown:
        return row.shown
    return f"{row.result:.0f}" if row.unit == "MB" else f"{row.result:.2f}"


def _ratio(row: Row) -> str:
    if row.target is None or row.target == 0:
        return "-"
    return f"{row.result / row.target:.2f}x"


def _target(row: Row) -> str:
    if row.target is None:
        return "reported"
    if row.unit == "s":
        return f"< {row.target:g} s"
    return "0" if row.target == 0 else f"<= {row.target:g}"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| check | backend | result | target | result / target | met |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        met = "-" if row.met is None else ("yes" if row.met else "no")
        lines.append(
            f"| {row.check} | {row.backend} | {_shown(row)} | {_target(row)} "
            f"| {_ratio(row)} | {met} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small numbers; saves nothing")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    backends = ["SQLite"] if args.sqlite_only else ["SQLite", "PostgreSQL"]
    rows = asyncio.run(bench(QUICK if args.quick else FULL, backends))
    text = table(rows)
    print(text)
    if not (args.quick or args.no_save):
        RESULTS.write_text(text + "\n")
    return rows


if __name__ == "__main__":
    main()
