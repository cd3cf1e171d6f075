"""Benchmark the dashboard's programme page: 100 rounds, 1,000 members, 20 admins at once.

Run ``.venv/bin/python bench/dashboard.py`` (a few minutes; the table is saved to
``bench/results/dashboard.md``; ``--screenshot PATH`` also saves the page as chromium shows it).

A programme of 1,000 members is given 100 closed rounds of 500 pairs each, with check-in answers
and rated takeaways (groups that mixed organisations rate higher: a planted effect the
experiment's answer should find), stored straight through the repositories. The dashboard is then
served on 127.0.0.1 as the bot serves it, and 20 clients (in a process of their own, as browsers
would be), each with its own signed-in session, ask for the programme page over and over; every
page is timed from request to last byte. The
first page, which reads and computes the figures the others reuse for 30 seconds, is timed
apart. Runs on SQLite, then on PostgreSQL (``--postgres-url``; skipped when unreachable).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from adapters.charts import PngCharts  # noqa: E402
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory, upgrade  # noqa: E402
from adapters.persistence import create_engine as storage_engine  # noqa: E402
from adapters.persistence.repositories.dashboard_sessions import SqlDashboardSessions  # noqa: E402
from adapters.web.app import add_dashboard  # noqa: E402
from adapters.web.config import DashboardConfig  # noqa: E402
from adapters.web.cookies import SESSION_COOKIE  # noqa: E402
from adapters.web.deps import DashboardDeps  # noqa: E402
from adapters.web.people import Person  # noqa: E402
from bot.bootstrap import SystemClock  # noqa: E402
from pairing_core.community import CommunitySettings  # noqa: E402
from pairing_core.member import Member  # noqa: E402
from pairing_core.programme import GENERAL, ProgrammeSettings  # noqa: E402
from pairing_core.reflection import Reflection  # noqa: E402
from pairing_core.round import CheckInAnswer, Group, Round, RoundState  # noqa: E402
from pairing_core.services.community_setup import ensure_community  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "dashboard.md"
COMMUNITY = "T-bench"
ADMIN = "U-admin"
SECRET = "bench-session-secret-bench-session-secret"
START = datetime(2023, 1, 2, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Run:
    label: str
    seed_seconds: float
    first_ms: float
    pages: int
    p50_ms: float
    p99_ms: float
    worst_ms: float


def _round(
    number: int, members: list[str], orgs: dict[str, str], rng: random.Random
) -> tuple[Round, list[Reflection]]:
    intro = START + timedelta(weeks=number - 1)
    shuffled = rng.sample(members, len(members))
    groups, reflections = [], []
    for index in range(len(shuffled) // 2):
        pair = (shuffled[2 * index], shuffled[2 * index + 1])
        mixed = orgs[pair[0]] != orgs[pair[1]]
        checkin = rng.choice([CheckInAnswer.MET, CheckInAnswer.MET, CheckInAnswer.BOOKED,
                              CheckInAnswer.NOT_THIS_TIME, None])  # fmt: skip
        groups.append(Group(index, pair, checkin, pair[0] if checkin else None, mixed))
        if rng.random() < 0.3:
            rating = min(5, max(1, round(rng.gauss(3.6 if mixed else 2.9, 1.0))))
            reflections.append(
                Reflection(COMMUNITY, number, index, pair[0], pair, f"Takeaway {number}.{index}",
                           rng.random() < 0.5, intro + timedelta(days=10), rating)
            )  # fmt: skip
    round_ = Round(COMMUNITY, number, RoundState.CLOSED, intro, intro + timedelta(days=7),
                   intro + timedelta(days=12), intro + timedelta(days=14), groups)  # fmt: skip
    return round_, reflections


async def _seed(url: str, rounds: int, members: int) -> float:
    began = time.perf_counter()
    await upgrade(url)
    engine = storage_engine(url)
    uow = SqlAlchemyUnitOfWork(session_factory(engine))
    rng = random.Random(16)
    await ensure_community(
        uow, START, COMMUNITY, "slack", "Bench Network",
        ProgrammeSettings(reflections_channel="CREFL"), CommunitySettings(admins=frozenset({ADMIN})),
    )  # fmt: skip
    ids = [f"U{n:05d}" for n in range(members)]
    orgs = {member: f"org{rng.randrange(12)}" for member in ids}
    async with uow:
        for member in ids:
            await uow.members.add(Member(COMMUNITY, member, f"Person {member}", START,
                                         organisation=orgs[member]))  # fmt: skip
        await uow.commit()
    for number in range(1, rounds + 1):
        round_, reflections = _round(number, ids, orgs, rng)
        async with uow:
            if number == 1:
                await uow.rounds.save(round_)  # round 1 was scheduled with the community
            else:
                await uow.rounds.add(round_)
            for reflection in reflections:
                await uow.reflections.add(reflection)
            await uow.commit()
    nxt = START + timedelta(weeks=rounds)
    async with uow:
        await uow.rounds.add(Round(COMMUNITY, rounds + 1, RoundState.SCHEDULED, nxt,
                                   nxt + timedelta(days=7), nxt + timedelta(days=12),
                                   nxt + timedelta(days=14)))  # fmt: skip
        await uow.commit()
    await engine.dispose()
    return time.perf_counter() - began


async def _serve(url: str, port: int) -> tuple[web.AppRunner, DashboardDeps, object]:
    engine = storage_engine(url)
    sessions = session_factory(engine)

    def new_services() -> Services:
        return Services(SqlAlchemyUnitOfWork(sessions), SystemClock(), random.Random(),
                        charts=PngCharts())  # fmt: skip

    config = DashboardConfig(f"http://127.0.0.1:{port}", SECRET)
    deps = DashboardDeps(config, new_services, SqlDashboardSessions(sessions, SystemClock().now),
                         PngCharts())  # fmt: skip
    app = web.Application()
    add_dashboard(app, deps)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, deps, engine


async def measure(label: str, url: str, seed_seconds: float, clients: int, pages: int, port: int,
                  screenshot: Path | None) -> Run:  # fmt: skip
    runner, deps, engine = await _serve(url, port)
    page_url = f"http://127.0.0.1:{port}/dashboard/c/{COMMUNITY}/p/{GENERAL}"
    cookies = []
    for n in range(clients):
        person = Person("slack", ADMIN, f"Admin {n}", {COMMUNITY: ()})
        token = await deps.sessions.start(person.as_json(), timedelta(hours=1))
        cookies.append({SESSION_COOKIE: deps.cookies.session_value(token)})
    times: list[float] = []
    try:
        async with aiohttp.ClientSession(cookies=cookies[0]) as first:
            began = time.perf_counter()
            async with first.get(page_url) as response:
                assert response.status == 200, response.status
                await response.read()
            first_ms = (time.perf_counter() - began) * 1000

        # The clients run in a process of their own, as browsers would.
        job = json.dumps({"url": page_url, "cookies": cookies, "pages": pages})
        clients_run = await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).resolve().parent / "dashboard_clients.py"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await clients_run.communicate(job.encode())
        assert clients_run.returncode == 0, "the clients failed"
        times.extend(json.loads(out))
        if screenshot is not None:
            await _screenshot(page_url, cookies[0], screenshot)
    finally:
        await runner.cleanup()
        await engine.dispose()
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return Run(label, seed_seconds, first_ms, len(times), cuts[49], cuts[98], max(times))


async def _screenshot(page_url: str, cookie: dict[str, str], path: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path="/usr/bin/chromium",
                                               args=["--no-sandbox"])  # fmt: skip
        context = await browser.new_context(viewport={"width": 1000, "height": 1400})
        name, value = next(iter(cookie.items()))
        await context.add_cookies([{"name": name, "value": value, "url": page_url}])
        page = await context.new_page()
        await page.goto(page_url, wait_until="load")
        await page.screenshot(path=str(path), type="png")
        await browser.close()


async def _fresh_postgres(server_url: str) -> str | None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"unmentor_bench_{random.getrandbits(40):x}"
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OSError as error:
        print(f"PostgreSQL not reachable at {server_url}: {error}; skipping it")
        return None
    finally:
        await admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres(server_url: str, url: str) -> None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            name = url.rsplit("/", 1)[1]
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.dispose()


def _table(runs: list[Run], rounds: int, members: int, clients: int) -> str:
    lines = [
        f"Programme page, {rounds} rounds, {members} members, {clients} signed-in clients at once "
        "(milliseconds, request to last byte):",
        "",
        "| storage | seeding (s) | first page (computes the figures) | pages | p50 | p99 | worst |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.label} | {r.seed_seconds:.0f} | {r.first_ms:.0f} | {r.pages} | {r.p50_ms:.0f} "
        f"| {r.p99_ms:.0f} | {r.worst_ms:.0f} |"
        for r in runs
    ]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--port", type=int, default=38517)
    parser.add_argument(
        "--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        seeded = await _seed(url, args.rounds, args.members)
        runs.append(await measure("SQLite", url, seeded, args.clients, args.pages, args.port,
                                  args.screenshot))  # fmt: skip
        print(_table(runs, args.rounds, args.members, args.clients), flush=True)
    pg = await _fresh_postgres(args.postgres_url)
    if pg is not None:
        try:
            seeded = await _seed(pg, args.rounds, args.members)
            runs.append(await measure("PostgreSQL", pg, seeded, args.clients, args.pages,
                                      args.port + 1, None))  # fmt: skip
        finally:
            await _drop_postgres(args.postgres_url, pg)
    table = _table(runs, args.rounds, args.members, args.clients)
    print(table)
    RESULTS.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
