"""The HTTP side of the runtime: ``GET /healthz`` and ``GET /metrics``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.metrics import Metrics

__all__ = ["build_web_app"]

log = logging.getLogger(__name__)


def build_web_app(
    engine: AsyncEngine,
    scheduler_running: Callable[[], bool],
    metrics: Metrics,
    extra_routes: Iterable[web.AbstractRouteDef] = (),
) -> web.Application:
    """Return the app: health (database and scheduler), metrics, and any routes a platform adds."""

    async def healthz(request: web.Request) -> web.Response:
        status: dict[str, str] = {}
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            status["database"] = "ok"
        except Exception as error:  # any failure means "not healthy", and says why
            log.warning("health check: database unavailable: %s", error)
            status["database"] = f"unavailable: {type(error).__name__}"
        status["scheduler"] = "running" if scheduler_running() else "stopped"
        healthy = status == {"database": "ok", "scheduler": "running"}
        return web.json_response(status, status=200 if healthy else 503)

    async def metrics_page(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    app.add_routes(list(extra_routes))
    return app
