"""`unmentor run` on a database that also holds a playground community leaves that community alone.

Whatever platform is served: Slack, or a webhook (``UNMENTOR_HTTP_PLATFORM_URL``), whose delivery
worker is not limited to one platform's communities.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from adapters.console.platform import CONSOLE_PLATFORM
from adapters.http_platform import HttpPlatform
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from bot.runtime.serve import serve
from bot.slack_config import SlackSettings
from bot.slack_plugin import slack_plugin
from pairing_core.member import Member
from pairing_core.message import OutboxStatus
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.round_calendar import next_due_at, run_round_now
from tests.adapters.slack.conftest import SECRET
from tests.adapters.slack.fake_slack import FakeSlack
from tests.runtime.fake_platform import FakePlatformServer
from tests.runtime.seed import COMMUNITY, seed_community
from tests.runtime.serving import free_port, serving
from tests.unit.fakes import FakeClock

PLAYGROUND = "playground"
INTRO = "round:1:group:0:intro"


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _playground_with_a_round(tmp_path: Path) -> Settings:
    """Return the settings of a database whose playground round 1 started, its intro undelivered."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}",
        host="127.0.0.1",
        port=free_port(),
        delivery_interval_seconds=0.1,
    )
    # the half-way check-in fell due two hours ago: well within the grace for a missed step
    now = datetime.now(UTC) - timedelta(days=7, hours=2)
    async with open_storage(settings) as storage:
        services = services_for(storage, FakeClock(now), seed=1)
        await ensure_community(
            services.uow,
            now,
            PLAYGROUND,
            CONSOLE_PLATFORM,
            "the playground",
            ProgrammeSettings(admins=frozenset({"admin"}), reflections_channel="reflections"),
        )
        async with services.uow as uow:
            for person in ("alice", "bob"):
                await uow.members.add(Member(PLAYGROUND, person, person, now))
            await uow.commit()
        await run_round_now(services, PLAYGROUND, GENERAL)
    return settings


class TestRunLeavesThePlaygroundAlone:
    async def test_it_neither_runs_the_steps_of_nor_delivers_for_a_playground_community(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        settings = await _playground_with_a_round(tmp_path)
        async with open_storage(settings) as storage:
            due_before = await next_due_at(storage.uow, PLAYGROUND, GENERAL)
        slack = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        async with serving(settings, slack_plugin(slack)):
            await asyncio.sleep(1.5)  # resync at start, and many delivery passes
        async with open_storage(settings) as storage, storage.uow as uow:
            intro = await uow.outbox.get(PLAYGROUND, INTRO)
            rounds = await uow.rounds.list(PLAYGROUND, GENERAL)
        assert intro is not None and intro.status is OutboxStatus.PENDING
        assert [r.state.value for r in rounds][:1] == ["introduced"]
        assert due_before is not None and due_before < datetime.now(UTC)
        assert fake_slack.called("chat.postMessage") == []

    async def test_a_webhook_platform_gets_nothing_of_a_playground_community(
        self, fake_platform: FakePlatformServer, tmp_path: Path
    ) -> None:
        settings = await _playground_with_a_round(tmp_path)
        # a webhook community with its intro pending too, so delivery is seen to run
        now = datetime.now(UTC)
        await seed_community(settings, now, members=2)
        async with open_storage(settings) as storage:
            await run_round_now(services_for(storage, FakeClock(now), seed=1), COMMUNITY, GENERAL)
        async with HttpPlatform(fake_platform.url) as platform:
            task = asyncio.create_task(serve(settings, platform))
            try:
                await _until(lambda: len(fake_platform.sends()) >= 1)
                await asyncio.sleep(1.0)  # many more delivery passes
                async with (
                    aiohttp.ClientSession() as http,
                    http.get(f"http://127.0.0.1:{settings.port}/metrics") as response,
                ):
                    metrics = await response.text()
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        async with open_storage(settings) as storage, storage.uow as uow:
            intro = await uow.outbox.get(PLAYGROUND, INTRO)
            theirs = await uow.outbox.get(COMMUNITY, INTRO)
        assert intro is not None and (intro.status, intro.attempts) == (OutboxStatus.PENDING, 0)
        assert theirs is not None and theirs.status is OutboxStatus.SENT
        communities = {call.body.get("community_id") for call in fake_platform.accepted}
        assert communities == {COMMUNITY}
        # nothing is waiting that this bot would deliver
        assert "unmentor_outbox_depth 0.0" in metrics
