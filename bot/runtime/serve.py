"""Run the bot's background side: storage, the round scheduler, the delivery worker, /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import timedelta

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.charts import PngCharts
from adapters.console.platform import CONSOLE_PLATFORM
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from adapters.persistence.delivery_workers import hold_worker_lock
from adapters.persistence.token_cipher import TokenCipher
from adapters.web.config import DashboardConfig
from bot.bootstrap import SystemClock, open_storage
from bot.config import Settings
from bot.dashboard_wiring import dashboard_config, mount_dashboard
from bot.runtime.clock import FileClock
from bot.runtime.metrics import Metrics
from bot.runtime.plugins import PlatformPlugin, PluginContext, PluginFactory
from bot.runtime.scheduler import RoundScheduler
from bot.runtime.web import build_metrics_app, build_web_app
from bot.runtime.worker import DeliveryWorker
from pairing_core.ports import ChatPlatform, Clock
from pairing_core.services.context import Services
from pairing_core.services.delivery import DeliveryReport

__all__ = ["clock_for", "serve"]

log = logging.getLogger(__name__)

# Connections the kernel queues before the server accepts them: aiohttp's default of 128 drops
# part of a burst of Slack requests, which Slack retries only after a second.
LISTEN_BACKLOG = 1024


def clock_for(settings: Settings) -> Clock:
    """Return the system clock, or the simulated one when a simulation configured it."""
    if settings.simulated_clock_file is not None:
        log.warning("reading the time from %s (simulation)", settings.simulated_clock_file)
        return FileClock(settings.simulated_clock_file)
    return SystemClock()


async def _pending_count(engine: AsyncEngine) -> int:
    # a playground's messages are never delivered here: they would count as waiting for ever
    async with engine.connect() as connection:
        result = await connection.execute(
            text(
                "SELECT count(*) FROM outbox WHERE status = 'pending' AND community_id NOT IN "
                "(SELECT id FROM communities WHERE platform = :playground)"
            ),
            {"playground": CONSOLE_PLATFORM},
        )
        return int(result.scalar_one())


async def serve(
    settings: Settings,
    platform: ChatPlatform | None = None,
    *,
    plugins: Sequence[PluginFactory] = (),
    clock: Clock | None = None,
    extra_routes: Iterable[web.AbstractRouteDef] = (),
    dashboard: DashboardConfig | str | None = None,
) -> None:
    """Migrate, then run scheduler, delivery and web server until cancelled or sent SIGTERM/SIGINT.

    ``platform`` receives every community's messages; each plugin (Slack, Discord) instead
    delivers its own communities' messages and adds its routes and connection. ``dashboard``
    (``bot.dashboard_wiring.dashboard_config``) serves ``/dashboard``; without it the dashboard
    has no way to sign in, or says what to set.
    """
    if platform is None and not plugins:
        raise ValueError("nothing to deliver to: give a platform or at least one plugin")
    if settings.metrics_host is not None and settings.metrics_port is None:
        raise ValueError("UNMENTOR_METRICS_HOST needs UNMENTOR_METRICS_PORT as well.")
    clock = clock or clock_for(settings)
    key = settings.secret_key
    cipher = TokenCipher.from_setting(key.get_secret_value() if key is not None else None)
    grace = timedelta(hours=settings.missed_step_grace_hours)
    async with open_storage(settings) as storage, hold_worker_lock(storage.engine):
        sessions = session_factory(storage.engine)
        rng = random.SystemRandom()

        def new_services() -> Services:
            return Services(
                SqlAlchemyUnitOfWork(sessions),
                clock,
                rng,
                retention_days=settings.retention_days,
                charts=PngCharts(),
                # `scheduler` is bound below, before any command can arrive
                schedule_changed=lambda community, programme: scheduler.reschedule_soon(
                    community, programme
                ),
            )

        metrics = Metrics()
        context = PluginContext(storage.engine, new_services, clock, cipher)
        running = [factory(context) for factory in plugins]

        def worker_for(
            target: ChatPlatform | None, deliver: Callable[[], Awaitable[DeliveryReport]] | None
        ) -> DeliveryWorker:
            return DeliveryWorker(
                new_services,
                target,
                metrics,
                settings.delivery_interval_seconds,
                outbox_depth=lambda: _pending_count(storage.engine),
                deliver=deliver,
                # a playground's community has nobody to deliver to, whatever platform is served
                except_platform=CONSOLE_PLATFORM,
            )

        workers = [worker_for(None, plugin.deliver) for plugin in running]
        if platform is not None:
            workers.append(worker_for(platform, None))

        def wake_all(steps: object) -> None:
            for worker in workers:
                worker.wake()

        scheduler = RoundScheduler(
            new_services,
            metrics,
            grace,
            settings.scheduler_resync_seconds,
            on_steps=wake_all,
            retention=timedelta(days=settings.retention_days),
            # SQLite writes one transaction at a time: steps waiting on each other would time out
            concurrent_steps=1 if storage.engine.dialect.name == "sqlite" else 4,
        )
        private_metrics = settings.metrics_port is not None
        app = build_web_app(
            storage.engine,
            lambda: scheduler.running,
            metrics,
            extra_routes,
            serve_metrics=not private_metrics,
        )
        for plugin in running:
            plugin.add_routes(app)
        mount_dashboard(
            app,
            dashboard if dashboard is not None else dashboard_config(settings),
            storage.engine,
            new_services,
            clock,
        )
        runner = web.AppRunner(app)
        await runner.setup()
        # the private listener logs no access lines: a scrape every few seconds is noise
        metrics_runner = web.AppRunner(build_metrics_app(metrics), access_log=None)
        await metrics_runner.setup()
        stop = asyncio.Event()
        signals = _on_signals(stop)
        delivering: list[asyncio.Task[None]] = []
        started: list[PlatformPlugin] = []
        try:
            await web.TCPSite(runner, settings.host, settings.port, backlog=LISTEN_BACKLOG).start()
            if settings.metrics_port is not None:
                metrics_host = settings.metrics_host or "127.0.0.1"
                await web.TCPSite(metrics_runner, metrics_host, settings.metrics_port).start()
                log.info("serving /metrics on %s:%s only", metrics_host, settings.metrics_port)
            for plugin in running:
                await plugin.start()
                started.append(plugin)
            scheduler.start()
            delivering = [asyncio.create_task(w.run(), name="delivery") for w in workers]
            log.info("serving on %s:%s", settings.host, settings.port)
            await stop.wait()
            log.info("stopping")
        finally:
            scheduler.shutdown()
            for task in delivering:
                task.cancel()
            await asyncio.gather(*delivering, return_exceptions=True)
            for plugin in reversed(started):
                await plugin.stop()
            await runner.cleanup()
            await metrics_runner.cleanup()
            for signum in signals:
                asyncio.get_running_loop().remove_signal_handler(signum)


def _on_signals(stop: asyncio.Event) -> list[signal.Signals]:
    """Set ``stop`` on SIGTERM and SIGINT where this thread may handle signals."""
    loop, installed = asyncio.get_running_loop(), []
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
            installed.append(signum)
    return installed
