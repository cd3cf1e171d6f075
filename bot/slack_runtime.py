"""Run the Slack adapter: storage, the Web API client, the bolt app, an aiohttp server, deliveries."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from adapters.slack.deps import SlackDeps
from adapters.slack.http import add_slack_routes
from bot.bootstrap import SystemClock, open_storage
from bot.config import Settings
from bot.slack_config import SlackSettings
from bot.slack_wiring import build_slack
from pairing_core.services.context import Services

__all__ = ["LISTEN_BACKLOG", "health_routes", "serve_slack"]

log = logging.getLogger(__name__)

# Connections the kernel queues before the server accepts them. aiohttp's default, 128, drops
# the rest of a burst (Slack sends many requests at once to a busy workspace's app), and a
# dropped connection is retried only after a second, past half of Slack's 3-second limit.
LISTEN_BACKLOG = 1024


def health_routes(web_app: web.Application, engine: AsyncEngine) -> None:
    """Mount ``GET /healthz``: 200 "ok" when the database answers, 503 when it does not."""

    async def healthz(request: web.Request) -> web.Response:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy", and says why
            log.warning("health check failed: %s", error)
            return web.Response(status=503, text="database unavailable")
        return web.Response(text="ok")

    web_app.router.add_get("/healthz", healthz)


async def _deliver_periodically(deps: SlackDeps, every: float) -> None:
    while True:
        try:
            await deps.deliver()
        except Exception:  # a bad pass must not stop later ones
            log.exception("delivery pass failed")
        await asyncio.sleep(every)


async def serve_slack(
    settings: Settings,
    slack_settings: SlackSettings,
    host: str = "0.0.0.0",
    port: int = 3000,
    *,
    deliver_every: float | None = 30.0,
    on_ready: Callable[[SlackDeps], None] | None = None,
) -> None:
    """Serve Slack until cancelled: HTTP events (and ``/healthz``), or Socket Mode with an app token.

    With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` instead of a bot token, workspaces install
    the app at ``/slack/install`` and each is answered with its own token.

    ``deliver_every`` seconds the outbox is sent (None: someone else calls ``deps.deliver``);
    ``on_ready`` receives the deps once listening, e.g. for a scheduler to deliver through.
    """
    async with open_storage(settings) as storage:
        sessions = session_factory(storage.engine)
        clock = SystemClock()
        rng = random.SystemRandom()
        slack = build_slack(
            slack_settings,
            storage.engine,
            lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
            clock,
        )
        deps, bolt_app = slack.deps, slack.app
        web_app = web.Application()
        health_routes(web_app, storage.engine)
        if slack_settings.signing_secret is not None:  # never accept unverifiable HTTP events
            add_slack_routes(web_app, bolt_app)
        runner = web.AppRunner(web_app)
        await runner.setup()
        socket_mode: AsyncSocketModeHandler | None = None
        delivering: asyncio.Task[None] | None = None
        try:
            await web.TCPSite(runner, host, port, backlog=LISTEN_BACKLOG).start()
            if slack_settings.app_token is not None:
                socket_mode = AsyncSocketModeHandler(
                    bolt_app, slack_settings.app_token.get_secret_value()
                )
                await socket_mode.connect_async()  # type: ignore[no-untyped-call]
            if deliver_every is not None:
                delivering = asyncio.create_task(_deliver_periodically(deps, deliver_every))
            log.info("Slack adapter listening on %s:%s", host, port)
            if on_ready is not None:
                on_ready(deps)
            await asyncio.Event().wait()
        finally:
            if delivering is not None:
                delivering.cancel()
                await asyncio.gather(delivering, return_exceptions=True)
            if socket_mode is not None:
                await socket_mode.close_async()  # type: ignore[no-untyped-call]
            await runner.cleanup()
            await deps.in_flight.wait_idle()
