"""The HTTP side of the runtime: ``GET /healthz`` and ``GET /metrics``.

``/metrics`` is served on the public port unless a private listener takes it
(``UNMENTOR_METRICS_PORT``): then only ``build_metrics_app`` serves it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.metrics import Metrics

__all__ = ["build_metrics_app", "build_web_app"]

log = logging.getLogger(__name__)


def build_web_app(
    engine: AsyncEngine,
    scheduler_running: Callable[[], bool],
    metrics: Metrics,
    extra_routes: Iterable[web.AbstractRouteDef] = (),
    *,
    serve_metrics: bool = True,
) -> web.Application:
    """Return the app: health (database and scheduler), metrics unless served privately, and
    any routes a platform adds."""

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

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    if serve_metrics:
        _add_metrics_page(app, metrics)
    app.add_routes(list(extra_routes))
    return app


def build_metrics_app(metrics: Metrics) -> web.Application:
    """Return an app serving ``/metrics`` alone, for a private listener."""
    app = web.Application()
    _add_metrics_page(app, metrics)
    return app


def _add_metrics_page(app: web.Application, metrics: Metrics) -> None:
    async def metrics_page(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.router.add_get("/metrics", metrics_page)
