"""The runtime end to end on SQLite: scheduler, delivery over HTTP, /healthz and /metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.http_platform import HttpPlatform
from bot.config import Settings
from bot.runtime import serve
from bot.runtime.log_setup import JsonFormatter
from bot.runtime.metrics import Metrics
from bot.runtime.web import build_web_app
from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from tests.runtime.fake_platform import FakePlatformServer
from tests.runtime.seed import seed_community

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday; round 1 starts Monday


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


class TestServe:
    async def test_runs_due_rounds_delivers_them_and_reports_health_and_metrics(
        self, tmp_path: Path, fake_platform: FakePlatformServer
    ) -> None:
        clock_file = tmp_path / "clock"
        clock_file.write_text(START.isoformat())
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            host="127.0.0.1",
            port=free_port(),
            delivery_interval_seconds=0.2,
            scheduler_resync_seconds=0.2,
            simulated_clock_file=clock_file,
        )
        await seed_community(settings, START, members=6)
        async with HttpPlatform(fake_platform.url) as platform:
            serving = asyncio.create_task(serve(settings, platform))
            base = f"http://127.0.0.1:{settings.port}"
            try:
                async with aiohttp.ClientSession() as http:

                    async def health() -> tuple[int, dict[str, str]]:
                        try:
                            async with http.get(f"{base}/healthz") as response:
                                return response.status, await response.json()
                        except aiohttp.ClientConnectionError:
                            return 0, {}

                    # start-up migrates the database: slow on a loaded machine, so wait by time
                    deadline = asyncio.get_running_loop().time() + 30
                    while (await health())[0] != 200:
                        assert asyncio.get_running_loop().time() < deadline, "never healthy"
                        await asyncio.sleep(0.05)
                    assert await health() == (200, {"database": "ok", "scheduler": "running"})
                    clock_file.write_text((START + timedelta(days=5)).isoformat())
                    await wait_for(lambda: len(fake_platform.sends()) == 3)
                    # the platform has the messages a moment before the worker records them
                    deadline = asyncio.get_running_loop().time() + 30
                    while True:
                        async with http.get(f"{base}/metrics") as response:
                            page = await response.text()
                        if "unmentor_delivery_latency_seconds_count 3.0" in page:
                            break
                        assert asyncio.get_running_loop().time() < deadline, page
                        await asyncio.sleep(0.1)
                assert 'unmentor_round_steps_total{step="introduced"} 1.0' in page
                assert "unmentor_rounds_started_total 1.0" in page
                assert "unmentor_messages_sent_total 3.0" in page
                assert "unmentor_delivery_latency_seconds_count 3.0" in page
            finally:
                serving.cancel()
                await asyncio.gather(serving, return_exceptions=True)
        intros = [c.body["message"]["text"] for c in fake_platform.sends()]
        assert all("UnMentoring round 1" in text for text in intros)


class TestHealth:
    async def test_is_unhealthy_when_the_database_or_scheduler_is_down(self) -> None:
        engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")
        app = build_web_app(engine, lambda: False, Metrics())
        runner = aiohttp.web.AppRunner(app)
        await runner.setup()
        site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/healthz") as response,
            ):
                assert response.status == 503
                body = await response.json()
        finally:
            await runner.cleanup()
            await engine.dispose()
        assert body["scheduler"] == "stopped"
        assert body["database"].startswith("unavailable")

    def test_metrics_registries_are_separate(self) -> None:
        first, second = Metrics(), Metrics()
        first.record_steps(["introduced round 1"])
        assert b"unmentor_rounds_started_total 1.0" in first.exposition()
        assert b"unmentor_rounds_started_total 0.0" in second.exposition()


class TestHttpPlatformFaults:
    @pytest.mark.parametrize(
        ("status", "headers", "permanent", "retry_after"),
        [
            (429, {"Retry-After": "2.5"}, False, 2.5),
            (503, {}, False, None),
            (500, {"Retry-After": "7"}, False, 7.0),
            (403, {}, True, None),
        ],
    )
    async def test_maps_http_failures_to_delivery_errors(
        self, status: int, headers: dict[str, str], permanent: bool, retry_after: float | None
    ) -> None:
        async def refuse(request: aiohttp.web.Request) -> aiohttp.web.Response:
            return aiohttp.web.json_response({"error": "no"}, status=status, headers=headers)

        url, runner = await _serve_one(refuse)
        try:
            async with HttpPlatform(url) as platform:
                with pytest.raises(DeliveryError) as raised:
                    await platform.send_direct("c", "u1", Message("hi"))
        finally:
            await runner.cleanup()
        assert (raised.value.permanent, raised.value.retry_after) == (permanent, retry_after)

    async def test_a_timeout_is_a_retryable_delivery_error(self) -> None:
        async def hang(request: aiohttp.web.Request) -> aiohttp.web.Response:
            await asyncio.sleep(5)
            return aiohttp.web.json_response({})

        url, runner = await _serve_one(hang)
        try:
            async with HttpPlatform(url, timeout=0.2) as platform:
                with pytest.raises(DeliveryError) as raised:
                    await platform.send_direct("c", "u1", Message("hi"))
        finally:
            await runner.cleanup()
        assert raised.value.permanent is False


async def _serve_one(handler: object) -> tuple[str, aiohttp.web.AppRunner]:
    app = aiohttp.web.Application()
    app.router.add_post("/{method}", handler)  # type: ignore[arg-type]
    runner = aiohttp.web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await aiohttp.web.TCPSite(runner, "127.0.0.1", 0).start()
    return f"http://127.0.0.1:{runner.addresses[0][1]}", runner


def test_json_logs_are_one_object_a_line() -> None:
    record = logging.LogRecord("unmentor", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    line = JsonFormatter().format(record)
    assert json.loads(line)["message"] == "hello you"
