"""The dashboard as ``serve`` mounts it: off until configured, then signing an admin in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from adapters.http_platform import HttpPlatform
from adapters.web.config import DashboardConfig
from bot.config import Settings
from bot.dashboard_wiring import dashboard_config
from bot.runtime import serve
from bot.slack_config import SlackSettings
from tests.adapters.web.fake_sign_in import SLACK_CLIENT, FakeSignIn, SlackUser
from tests.runtime.fake_platform import FakePlatformServer
from tests.runtime.seed import COMMUNITY, seed_community
from tests.runtime.test_serve import free_port

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


@asynccontextmanager
async def serving(
    settings: Settings, platform_url: str, dashboard: DashboardConfig | str | None
) -> AsyncIterator[str]:
    async with HttpPlatform(platform_url) as platform:
        task = asyncio.create_task(serve(settings, platform, dashboard=dashboard))
        base = f"http://127.0.0.1:{settings.port}"
        try:
            async with aiohttp.ClientSession() as http:
                deadline = asyncio.get_running_loop().time() + 30
                while True:  # start-up migrates the database first
                    try:
                        async with http.get(f"{base}/healthz"):
                            break
                    except aiohttp.ClientConnectionError:
                        assert asyncio.get_running_loop().time() < deadline, "never served"
                        await asyncio.sleep(0.05)
            yield base
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def settings_in(tmp_path: Path, **more: object) -> Settings:
    fields: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "host": "127.0.0.1",
        "port": free_port(),
    }
    return Settings(**(fields | more))  # type: ignore[arg-type]


class TestServedDashboard:
    async def test_without_its_settings_it_says_how_to_turn_it_on(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        settings = settings_in(tmp_path)
        async with (
            serving(settings, fake_platform.url, None) as base,
            aiohttp.ClientSession() as http,
            http.get(f"{base}/dashboard") as response,
        ):
            assert response.status == 503
            assert "UNMENTOR_PUBLIC_URL" in await response.text()

    async def test_an_admin_signs_in_with_slack_and_sees_the_programme(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        fake = FakeSignIn(next_slack_user=SlackUser("admin", COMMUNITY, "The Admin"))
        fake_runner = web.AppRunner(fake.app())
        await fake_runner.setup()
        fake_port = free_port()
        await web.TCPSite(fake_runner, "127.0.0.1", fake_port).start()
        port = free_port()
        settings = settings_in(
            tmp_path,
            port=port,
            public_url=f"http://127.0.0.1:{port}",
            session_secret=SecretStr("s" * 40),
        )
        slack = SlackSettings(
            client_id=SLACK_CLIENT[0],
            client_secret=SecretStr(SLACK_CLIENT[1]),
            openid_authorize_url=f"http://127.0.0.1:{fake_port}/slack/openid/connect/authorize",
            api_base_url=f"http://127.0.0.1:{fake_port}/slack/api/",
        )
        await seed_community(settings, START, members=6)
        try:
            async with (
                serving(settings, fake_platform.url, dashboard_config(settings, slack)) as base,
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
            ):
                async with http.get(f"{base}/dashboard/sign-in/slack") as response:
                    assert response.status == 200
                    assert "Load test network" in await response.text()
                async with http.get(f"{base}/dashboard/c/{COMMUNITY}/p/general") as response:
                    assert response.status == 200
                    assert "The experiment" in await response.text()
        finally:
            await fake_runner.cleanup()
