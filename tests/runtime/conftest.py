"""Fakes the runtime tests serve on local ports: a webhook platform and Slack's Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.slack.scopes import BOT_SCOPES
from tests.adapters.slack.fake_slack import FakeSlack
from tests.runtime.fake_platform import FakePlatformServer


@pytest.fixture
async def fake_platform() -> AsyncIterator[FakePlatformServer]:
    server = FakePlatformServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API that grants every scope the bot asks for when installed."""
    slack = FakeSlack(granted_scopes=",".join(BOT_SCOPES))
    runner = web.AppRunner(slack.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    slack.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield slack
    await runner.cleanup()
