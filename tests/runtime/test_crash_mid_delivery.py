"""``unmentor run`` on PostgreSQL, ``kill -9``ed at 20 random moments while it delivers a round's
intros and restarted each time: every message lands exactly once, none is lost. Once with Slack,
once with Discord.

The fakes take each post and answer it a moment later, so some kills fall after the platform has
the message and before the bot has recorded it: the case where a retry must not show it again
(Slack: found by the outbox key in its metadata; Discord: the same nonce, enforced). Each restarted
process takes over what the killed one held at once (its advisory lock is gone), not when the
5-minute lease ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import create_engine
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.round_calendar import run_round_now
from tests.adapters.discord.conftest import serve_fake
from tests.adapters.discord.fake_discord import GUILD, FakeDiscord
from tests.adapters.slack.conftest import SECRET, sign
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.integration.conftest import POSTGRES_URL, fresh_postgres_database
from tests.runtime.seed import seed_community
from tests.runtime.serving import free_port

pytestmark = [pytest.mark.replicas, pytest.mark.postgres]

KILLS = 20
MEMBERS = 400  # 200 intros: far more than 20 short stretches of delivery send
ADMIN = "UADMIN"
TIME_LIMIT = 300.0


@contextlib.asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    # each post is taken, then answered 30 ms later: a kill in between loses only the answer
    slack = FakeSlack(post_answer_delay=0.03)
    runner = web.AppRunner(slack.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    slack.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield slack
    finally:
        await runner.cleanup()


def bot_env(database_url: str, **platform: str) -> dict[str, str]:
    """The environment of a bot process on ``database_url`` with a platform's settings."""
    return os.environ | {
        "UNMENTOR_DATABASE_URL": database_url,
        "UNMENTOR_HOST": "127.0.0.1",
        "UNMENTOR_PORT": str(free_port()),
        "UNMENTOR_DELIVERY_INTERVAL_SECONDS": "0.2",
        "UNMENTOR_LOG_LEVEL": "WARNING",
        **platform,
    }


class Bot:
    """One ``unmentor run`` process at a time: started, killed with SIGKILL, started again."""

    def __init__(self, env: dict[str, str], cwd: Path, argv: list[str] | None = None) -> None:
        self.env, self.cwd = env, cwd
        self.argv = argv or ["-c", "from bot.cli import main; main()", "run"]
        self.port = int(env["UNMENTOR_PORT"])
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    async def start(self) -> None:
        with (self.cwd / "bot.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, *self.argv],
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        async with aiohttp.ClientSession() as session:
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        if response.status == 200:
                            return
                assert self.proc.poll() is None, (self.cwd / "bot.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the bot never became healthy"
                await asyncio.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def round_now(slack: FakeSlack, port: int) -> None:
    body = urlencode(
        {
            "command": "/unmentor",
            "text": "admin round now",
            "team_id": TEAM,
            "user_id": ADMIN,
            "response_url": f"{slack.base_url}/respond/{ADMIN}",
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as answer,
    ):
        assert answer.status == 200


Rows = list[tuple[str, str, str]]


async def kill_mid_delivery(
    bot: Bot, engine: AsyncEngine, posts: Callable[[], int], rng: random.Random, deadline: float
) -> Rows:
    """Kill the bot ``KILLS`` times while it delivers, restarting it; return the drained outbox."""

    async def outbox() -> Rows:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT community_id, key, status FROM outbox"))
            return [(str(c), str(k), str(s)) for c, k, s in rows]

    while not await outbox():  # the round is started after the bot's answer, or from outside
        assert time.monotonic() < deadline, "the round never started"
        await asyncio.sleep(0.01)
    while bot.kills < KILLS:
        before = posts()
        while posts() == before:  # delivering again (after the round, or a restart)
            assert time.monotonic() < deadline, f"no delivery after {bot.kills} kills"
            assert any(s == "pending" for _, _, s in await outbox()), (
                f"all delivered after only {bot.kills} kills: deliver more"
            )
            await asyncio.sleep(0.01)
        await asyncio.sleep(rng.uniform(0.0, 0.3))
        bot.kill()
        await bot.start()
    while any(s == "pending" for _, _, s in await outbox()):
        assert time.monotonic() < deadline, "the outbox did not drain in time"
        await asyncio.sleep(0.1)
    return await outbox()


async def test_a_bot_killed_20_times_mid_delivery_posts_every_message_exactly_once(
    tmp_path: Path,
) -> None:
    rng = random.Random(11)
    deadline = time.monotonic() + TIME_LIMIT
    async with fake_slack() as slack, fresh_postgres_database(POSTGRES_URL) as url:
        slack.add_user(ADMIN, "boss", admin=True)
        await seed_community(
            Settings(database_url=url),
            datetime.now(UTC),
            MEMBERS,
            community=TEAM,
            platform="slack",
            community_settings=ProgrammeSettings(admins=frozenset({ADMIN})),
        )
        engine = create_engine(url)

        def posts() -> int:
            return len(slack.called("chat.postMessage"))

        bot = Bot(
            bot_env(
                url,
                SLACK_BOT_TOKEN="xoxb-test",
                SLACK_SIGNING_SECRET=SECRET,
                SLACK_API_BASE_URL=f"{slack.base_url}/api/",
            ),
            tmp_path,
        )
        started = time.monotonic()
        try:
            await bot.start()
            await round_now(slack, bot.port)
            rows = await kill_mid_delivery(bot, engine, posts, rng, deadline)
        finally:
            bot.stop()
            await engine.dispose()
        took = time.monotonic() - started

    intros = [k for _, k, _ in rows if k.endswith(":intro")]
    assert len(intros) >= MEMBERS // 3
    assert {s for _, _, s in rows} == {"sent"}  # nothing lost, nothing given up on
    landed = {f"{c}/{k}": len(slack.posted_for(f"{c}/{k}")) for c, k, _ in rows}
    assert {key: n for key, n in landed.items() if n != 1} == {}  # 0 duplicates, 0 missing
    # and nothing posted that the outbox did not hold (an intro's calendar invites go into its
    # thread, each file once)
    assert len([m for m in slack.messages if "thread_ts" not in m]) == len(rows)
    for thread in {m["thread_ts"] for m in slack.messages if "thread_ts" in m}:
        names = [
            f["name"] for m in slack.messages if m.get("thread_ts") == thread for f in m["files"]
        ]
        assert len(names) == len(set(names)), names
    looked = len(slack.called("conversations.history"))
    assert looked >= 1  # some kills fell between starting a send and recording it
    print(
        f"{bot.kills} kills, {len(rows)} messages, {looked} history look-ups "
        f"({found_in_history(slack)} finding the message Slack already had), {took:.1f} s"
    )


def found_in_history(slack: FakeSlack) -> int:
    """Count the history look-ups made in a conversation Slack had already been posted to."""
    found, posted = 0, set()
    for call in slack.calls:
        if call.method == "chat.postMessage":
            posted.add(call.args["channel"])
        elif call.method == "conversations.history" and call.args["channel"] in posted:
            found += 1
    return found


DISCORD_COMMUNITY = f"discord:{GUILD}"
REFLECTIONS = "600000000000000002"


async def test_a_discord_bot_killed_20_times_mid_delivery_shows_every_message_once(
    tmp_path: Path,
) -> None:
    rng = random.Random(12)
    deadline = time.monotonic() + TIME_LIMIT
    fake = FakeDiscord(post_answer_delay=0.03)
    runner = await serve_fake(fake)
    gateway = fake.base_url.replace("http", "ws").replace("/api/v10", "/gateway")
    try:
        async with fresh_postgres_database(POSTGRES_URL) as url:
            settings = Settings(database_url=url)
            await seed_community(
                settings,
                datetime.now(UTC),
                MEMBERS,
                community=DISCORD_COMMUNITY,
                platform="discord",
                community_settings=ProgrammeSettings(reflections_channel=REFLECTIONS),
            )
            engine = create_engine(url)

            def posts() -> int:
                return sum(c.method == "POST" and c.path.endswith("/messages") for c in fake.calls)

            env = bot_env(
                url,
                DISCORD_TOKEN="test-token",
                DISCORD_GUILD_IDS=GUILD,
                DISCORD_API_BASE_URL=fake.base_url,
                DISCORD_GATEWAY_URL=gateway,
            )
            bot = Bot(env, tmp_path)
            started = time.monotonic()
            try:
                await bot.start()
                async with open_storage(settings, migrate=False) as storage:
                    await run_round_now(services_for(storage, seed=1), DISCORD_COMMUNITY, GENERAL)
                rows = await kill_mid_delivery(bot, engine, posts, rng, deadline)
            finally:
                bot.stop()
                await engine.dispose()
            took = time.monotonic() - started
    finally:
        await runner.cleanup()

    assert {s for _, _, s in rows} == {"sent"}  # nothing lost, nothing given up on
    intros = [k for _, k, _ in rows if k.endswith(":intro")]
    assert len(intros) >= MEMBERS // 3
    shown = [m for channel in fake.messages.values() for m in channel]
    assert len(shown) == len(rows)  # each message shown once: 0 duplicates, 0 missing
    with_intro = [
        t for t, ms in fake.messages.items() if any("say hello" in m["content"] for m in ms)
    ]
    assert len(with_intro) == len(intros) == len(set(with_intro))
    repeats = posts() - len(shown)  # posts Discord answered with the message it already had
    # a crash after Discord made a thread and before the bot recorded it: the retry reuses it
    empty = [v for t, v in fake.threads.items() if t not in with_intro]
    print(
        f"{bot.kills} kills, {len(rows)} messages, {repeats} posts repeated with their nonce, "
        f"{len(empty)} empty threads left by a crash ({sum(bool(v['members']) for v in empty)} "
        f"with members added), {took:.1f} s"
    )
    assert empty == []
