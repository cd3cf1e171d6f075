"""Benchmark how fast the Slack adapter answers a burst of interactive requests (Slack waits 3 s).

Run ``.venv/bin/python bench/slack_burst.py`` (about a minute; the table is saved to
``bench/results/slack_burst.md``). For each backend (SQLite, and PostgreSQL at
``UNMENTOR_TEST_POSTGRES_URL`` when it answers), a round of 500 members is started, then 250
takeaway forms and 250 check-in presses, one of each per group and shuffled, are sent at once
from a separate process (so the client's work does not slow the bot's event loop) to the bolt app
served by aiohttp against a local fake of Slack's Web API. Latency is send -> HTTP answer, as Slack
measures it; every answer must be 200 and each takeaway and check-in stored exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest  # the storage fixtures skip through it

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.adapters.slack.conftest import SlackWorld, slack_world  # noqa: E402
from tests.adapters.slack.fake_slack import TEAM  # noqa: E402
from tests.adapters.slack.test_burst import send_burst  # noqa: E402
from tests.integration.conftest import fresh_postgres_database  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "slack_burst.md"
SLACK_DEADLINE = 3.0
POSTGRES_URL = os.environ.get(
    "UNMENTOR_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class Burst:
    backend: str
    latencies: list[float]
    not_200: int
    takeaways_stored: int
    checkins_stored: int
    groups: int


async def _burst(world: SlackWorld, backend: str, groups: int) -> Burst:
    round_, answers = await send_burst(world, groups)
    async with world.services().uow as uow:
        reflections = await uow.reflections.list(TEAM)
        stored = await uow.rounds.get(TEAM, round_.number)
    assert stored is not None
    return Burst(
        backend=backend,
        latencies=[seconds for _, seconds, _ in answers],
        not_200=sum(status != 200 for status, _, _ in answers),
        takeaways_stored=len(reflections),
        checkins_stored=sum(g.checkin is not None for g in stored.groups),
        groups=len(round_.groups),
    )


async def bench(groups: int) -> str:
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        async with slack_world(f"sqlite+aiosqlite:///{folder}/burst.db") as world:
            runs.append(await _burst(world, "SQLite", groups))
    try:
        async with (
            fresh_postgres_database(POSTGRES_URL) as url,
            slack_world(url) as world,
        ):
            runs.append(await _burst(world, "PostgreSQL", groups))
    except (OSError, pytest.skip.Exception) as error:  # no server here: SQLite alone
        print(f"PostgreSQL skipped: not reachable at {POSTGRES_URL} ({error})", file=sys.stderr)
    return _table(runs)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _table(runs: list[Burst]) -> str:
    lines = [
        f"#### {len(runs[0].latencies)} interactive requests at once (half takeaway forms, half "
        "check-in presses); Slack's deadline 3 s",
        "",
        "| backend | p50 s | p99 s | max s | max / deadline | not 200 | takeaways stored "
        "| check-ins stored |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        slowest = max(run.latencies)
        lines.append(
            f"| {run.backend} | {statistics.median(run.latencies):.2f} "
            f"| {_percentile(run.latencies, 0.99):.2f} | {slowest:.2f} "
            f"| {slowest / SLACK_DEADLINE:.2f}x | {run.not_200} "
            f"| {run.takeaways_stored} of {run.groups} | {run.checkins_stored} of {run.groups} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=250, help="groups (2 requests each)")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    text = asyncio.run(bench(args.groups))
    print(text)
    if not args.no_save:
        RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
