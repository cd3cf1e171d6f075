"""Benchmark the Slack adapter over real HTTP against a local fake of the Slack Web API.

Run ``.venv/bin/python bench/slack.py`` (about a minute; tables saved to ``bench/results/slack.md``).

1. Slash-command ack latency: 200 signed ``/unmentor status`` requests from 200 people, sent at
   once to the bolt app served by aiohttp on SQLite; latency is send -> HTTP answer (the ack).
2. 1,000 intros (2,000 members) through a fake that allows ``--rate`` calls per second for each
   Web API method and answers 429 with Retry-After beyond that. The client is the runtime's
   (waits out one 429); delivery passes repeat until the outbox is empty. The floor is the
   fastest any client could go: 1,000 ``chat.postMessage`` calls at ``--rate`` per second.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.persistence import SqlAlchemyUnitOfWork, session_factory  # noqa: E402
from adapters.persistence.repositories.slack_seen_requests import SqlSeenSlackRequests  # noqa: E402
from adapters.slack.app import build_app  # noqa: E402
from adapters.slack.deps import SlackDeps  # noqa: E402
from adapters.slack.http import EVENTS_PATH, add_slack_routes  # noqa: E402
from adapters.slack.platform import SlackPlatform  # noqa: E402
from adapters.slack.request_gate import RequestGate  # noqa: E402
from bot.bootstrap import SystemClock, open_storage  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime.serve import LISTEN_BACKLOG  # noqa: E402
from bot.slack_config import SlackSettings  # noqa: E402
from bot.slack_wiring import slack_client  # noqa: E402
from pairing_core.member import Member  # noqa: E402
from pairing_core.programme import GENERAL  # noqa: E402
from pairing_core.services.community_setup import ensure_community  # noqa: E402
from pairing_core.services.context import Services  # noqa: E402
from pairing_core.services.round_calendar import run_round_now  # noqa: E402
from tests.adapters.slack.conftest import SECRET, sign  # noqa: E402
from tests.adapters.slack.fake_slack import TEAM, Call, FakeSlack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "slack.md"


class WindowLimit:
    """Allow ``rate`` calls per method in each one-second window; 429 with Retry-After after."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.windows: dict[str, tuple[int, int]] = {}
        self.refused: set[int] = set()  # id() of each refused call

    def __call__(self, call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
        if call.method not in ("chat.postMessage", "conversations.open"):
            return None
        now = time.monotonic()
        second = int(now)
        window, used = self.windows.get(call.method, (second, 0))
        if window != second:
            window, used = second, 0
        if used >= self.rate:
            self.refused.add(id(call))
            wait = max(1, math.ceil(window + 1 - now))
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
        self.windows[call.method] = (window, used + 1)
        return None


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=LISTEN_BACKLOG).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


async def bench(requests: int, groups: int, rate: int) -> str:
    slack = FakeSlack()
    fake_runner, slack.base_url = await _serve(slack.web_app())
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder}/bench.db")
        async with open_storage(settings) as storage:
            sessions = session_factory(storage.engine)
            clock = SystemClock()
            rng = random.Random(1)
            slack_settings = SlackSettings(
                bot_token=SecretStr("xoxb-bench"), api_base_url=f"{slack.base_url}/api/"
            )
            # one connection pool for every Web API call, as `unmentor run` has
            http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            deps = SlackDeps(
                new_services=lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
                platform=SlackPlatform(slack_client(slack_settings, http)),
                clock=clock,
            )
            web_app = web.Application()
            gate = RequestGate.for_secret(SECRET, SqlSeenSlackRequests(sessions))
            app = build_app(deps, signing_secret=SECRET)
            add_slack_routes(web_app, app, gate, deps.unanswered)
            app_runner, url = await _serve(web_app)
            try:
                latencies, replied = await _acks(slack, deps, url, requests)
                delivery = await _intros(slack, deps, groups, rate)
            finally:
                await deps.in_flight.wait_idle()
                await app_runner.cleanup()
                await http.close()
    await fake_runner.cleanup()
    return _tables(requests, latencies, replied, rate, delivery)


async def _acks(
    slack: FakeSlack, deps: SlackDeps, url: str, requests: int
) -> tuple[list[float], float]:
    for i in range(requests):
        slack.add_user(f"U{i:04d}", f"person{i}")
    await deps.ensure_team(TEAM, "bench")

    async def one(session: aiohttp.ClientSession, i: int) -> float:
        body = urlencode(
            {
                "command": "/unmentor",
                "text": "status",
                "team_id": TEAM,
                "user_id": f"U{i:04d}",
                "response_url": f"{slack.base_url}/respond/{i}",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        started = time.perf_counter()
        async with session.post(url + EVENTS_PATH, data=body, headers=headers) as resp:
            await resp.read()
            assert resp.status == 200, resp.status
        return time.perf_counter() - started

    connector = aiohttp.TCPConnector(limit=0)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        latencies = await asyncio.gather(*(one(session, i) for i in range(requests)))
    await deps.in_flight.wait_idle()
    replied = time.perf_counter() - started
    assert len(slack.called("respond")) == requests
    return list(latencies), replied


async def _intros(slack: FakeSlack, deps: SlackDeps, groups: int, rate: int) -> Delivery:
    services = deps.new_services()
    now = datetime.now(UTC)
    await ensure_community(services.uow, now, TEAM, "slack", "bench")
    async with services.uow as uow:
        for i in range(groups * 2):
            await uow.members.add(Member(TEAM, f"M{i:05d}", f"m{i}", now))
        await uow.commit()
    round_ = await run_round_now(services, TEAM, GENERAL)
    limit = WindowLimit(rate)
    slack.failures.append(limit)
    before = len(slack.calls)
    started = time.perf_counter()
    while True:
        report = await deps.deliver()
        if not report.sent and not report.retrying:
            break
        if not report.sent:
            await asyncio.sleep(0.2)  # everything due was deferred: wait for Retry-After
    elapsed = time.perf_counter() - started
    slack.failures.remove(limit)
    calls = slack.calls[before:]
    kept = Counter(
        c.args["channel"]
        for c in calls
        if c.method == "chat.postMessage" and id(c) not in limit.refused
    )
    expected = ["G" + "-".join(sorted(g.members)) for g in round_.groups]
    return Delivery(
        intros=len(expected),
        seconds=elapsed,
        refused=len(limit.refused),
        duplicates=sum(max(0, kept[c] - 1) for c in expected),
        lost=sum(kept[c] == 0 for c in expected),
    )


@dataclass(frozen=True)
class Delivery:
    intros: int
    seconds: float
    refused: int
    duplicates: int
    lost: int


def _tables(requests: int, latencies: list[float], replied: float, rate: int, d: Delivery) -> str:
    floor = d.intros / rate
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    return "\n".join(
        [
            f"#### Slash-command ack latency: {requests} concurrent signed requests, SQLite",
            "",
            "| requests | p50 ms | p99 ms | max ms | all replies sent s |",
            "|---:|---:|---:|---:|---:|",
            f"| {requests} | {p50 * 1000:.0f} | {p99 * 1000:.0f} | {max(latencies) * 1000:.0f} "
            f"| {replied:.1f} |",
            "",
            f"#### {d.intros:,} intros through a fake allowing {rate} calls/s per method (429 beyond)",
            "",
            "| intros | total s | floor s | total / floor | 429s answered | duplicates | lost |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {d.intros:,} | {d.seconds:.1f} | {floor:.1f} | {d.seconds / floor:.2f}x "
            f"| {d.refused} | {d.duplicates} | {d.lost} |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50, help="calls per second per method")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    text = asyncio.run(bench(args.requests, args.groups, args.rate))
    print(text)
    if not args.no_save:
        RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
