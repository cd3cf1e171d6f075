"""`unmentor run` on a database that also holds a playground community leaves that community alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import SecretStr

from adapters.console.platform import CONSOLE_PLATFORM
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from bot.slack_config import SlackSettings
from bot.slack_plugin import slack_plugin
from pairing_core.community import CommunitySettings
from pairing_core.member import Member
from pairing_core.message import OutboxStatus
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.round_calendar import next_due_at, run_round_now
from tests.adapters.slack.conftest import SECRET
from tests.adapters.slack.fake_slack import FakeSlack
from tests.runtime.serving import free_port, serving
from tests.unit.fakes import FakeClock

PLAYGROUND = "playground"
INTRO = "round:1:group:0:intro"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    runner = web.AppRunner(slack.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    slack.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield slack
    await runner.cleanup()


async def _playground_with_a_round(settings: Settings) -> None:
    """A playground community whose round 1 was started and whose intro was never delivered."""
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
            CommunitySettings(admins=frozenset({"admin"}), reflections_channel="reflections"),
        )
        async with services.uow as uow:
            for person in ("alice", "bob"):
                await uow.members.add(Member(PLAYGROUND, person, person, now))
            await uow.commit()
        await run_round_now(services, PLAYGROUND)


class TestRunLeavesThePlaygroundAlone:
    async def test_it_neither_runs_the_steps_of_nor_delivers_for_a_playground_community(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}",
            host="127.0.0.1",
            port=free_port(),
            delivery_interval_seconds=0.1,
        )
        await _playground_with_a_round(settings)
        async with open_storage(settings) as storage:
            due_before = await next_due_at(storage.uow, PLAYGROUND)
        slack = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        async with serving(settings, slack_plugin(slack)):
            await asyncio.sleep(1.5)  # resync at start, and many delivery passes
        async with open_storage(settings) as storage, storage.uow as uow:
            intro = await uow.outbox.get(PLAYGROUND, INTRO)
            rounds = await uow.rounds.list(PLAYGROUND)
        assert intro is not None and intro.status is OutboxStatus.PENDING
        assert [r.state.value for r in rounds][:1] == ["introduced"]
        assert due_before is not None and due_before < datetime.now(UTC)
        assert fake_slack.called("chat.postMessage") == []
