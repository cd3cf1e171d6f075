"""``/metrics`` on a private listener (``UNMENTOR_METRICS_PORT``), over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.http_platform import HttpPlatform
from bot.config import Settings
from bot.runtime import serve
from tests.runtime.fake_platform import FakePlatformServer
from tests.runtime.serving import free_port


@contextlib.asynccontextmanager
async def running(settings: Settings, fake_platform: FakePlatformServer) -> AsyncIterator[str]:
    """Serve until the block ends; yield the public base URL once healthy."""
    async with HttpPlatform(fake_platform.url) as platform:
        task = asyncio.create_task(serve(settings, platform))
        base = f"http://127.0.0.1:{settings.port}"
        try:
            deadline = asyncio.get_running_loop().time() + 30
            async with aiohttp.ClientSession() as http:
                while True:
                    with contextlib.suppress(aiohttp.ClientError):
                        async with http.get(f"{base}/healthz") as response:
                            if response.status == 200:
                                break
                    assert not task.done(), task.result()
                    assert asyncio.get_running_loop().time() < deadline, "never healthy"
                    await asyncio.sleep(0.05)
            yield base
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


def settings_for(
    tmp_path: Path, metrics_host: str | None = None, metrics_port: int | None = None
) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        host="127.0.0.1",
        port=free_port(),
        metrics_host=metrics_host,
        metrics_port=metrics_port,
    )


class TestMetricsListener:
    async def test_by_default_metrics_are_on_the_public_port(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        async with running(settings_for(tmp_path), fake_platform) as base:
            status, page = await get(f"{base}/metrics")
        assert status == 200 and "unmentor_messages_sent_total" in page

    async def test_with_a_metrics_port_metrics_are_served_only_there(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        private = free_port()
        settings = settings_for(tmp_path, metrics_host="127.0.0.1", metrics_port=private)
        async with running(settings, fake_platform) as base:
            public_status, _ = await get(f"{base}/metrics")
            status, page = await get(f"http://127.0.0.1:{private}/metrics")
            health_there, _ = await get(f"http://127.0.0.1:{private}/healthz")
            health_public, _ = await get(f"{base}/healthz")
        assert public_status == 404
        assert status == 200 and "unmentor_messages_sent_total" in page
        assert health_there == 404 and health_public == 200

    async def test_a_metrics_port_alone_serves_metrics_on_loopback(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        private = free_port()
        async with running(settings_for(tmp_path, metrics_port=private), fake_platform):
            status, _ = await get(f"http://127.0.0.1:{private}/metrics")
        assert status == 200

    async def test_a_metrics_host_without_a_port_is_refused(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        settings = settings_for(tmp_path, metrics_host="10.0.0.5")
        with pytest.raises(ValueError, match="UNMENTOR_METRICS_HOST needs UNMENTOR_METRICS_PORT"):
            await serve(settings, HttpPlatform(fake_platform.url))
