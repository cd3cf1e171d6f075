"""Run ``serve`` with platform plugins on a free local port, for as long as a test needs it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp

from bot.config import Settings
from bot.runtime.plugins import PlatformPlugin, PluginContext, PluginFactory
from bot.runtime.serve import serve

__all__ = ["Running", "free_port", "serving"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    """The ``serve`` task, its base URL and the plugins it built (in the order given)."""

    task: asyncio.Task[None]
    base: str
    plugins: list[PlatformPlugin] = field(default_factory=list)


def _capturing(factory: PluginFactory, into: list[PlatformPlugin]) -> PluginFactory:
    def capturing(context: PluginContext) -> PlatformPlugin:
        plugin = factory(context)
        into.append(plugin)
        return plugin

    return capturing


async def _until_healthy(running: Running, timeout: float = 30.0) -> None:
    """Poll ``/healthz``: 200 once the plugins have started and the scheduler runs."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(running.base + "/healthz") as response:
                    if response.status == 200:
                        return
            if running.task.done():
                running.task.result()  # raises what stopped it
                raise AssertionError("serve returned before becoming healthy")
            assert time.monotonic() < deadline, "never became healthy"
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def serving(settings: Settings, *factories: PluginFactory) -> AsyncIterator[Running]:
    """Run ``serve(settings, plugins=factories)`` until the block ends; yield it once healthy."""
    plugins: list[PlatformPlugin] = []
    task = asyncio.create_task(
        serve(settings, plugins=[_capturing(factory, plugins) for factory in factories])
    )
    running = Running(task, f"http://{settings.host}:{settings.port}", plugins)
    try:
        await _until_healthy(running)
        yield running
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
