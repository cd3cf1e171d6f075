"""The dashboard mounted on the bot's aiohttp app, or, when it is off, a page saying how to
turn it on."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from adapters.web.deps import DashboardDeps
from adapters.web.listeners import downloads, forms, pages, sign_in
from adapters.web.render import SECURITY_HEADERS, page

__all__ = ["add_dashboard", "add_dashboard_off"]

_STYLE = Path(__file__).parent / "static" / "dashboard.css"


async def _style(request: web.Request) -> web.StreamResponse:
    return web.Response(
        body=_STYLE.read_bytes(),
        content_type="text/css",
        headers={**SECURITY_HEADERS, "Cache-Control": "max-age=3600"},
    )


def add_dashboard(app: web.Application, deps: DashboardDeps) -> None:
    """Mount every dashboard page under ``/dashboard``."""
    app.add_routes(
        [
            web.get("/dashboard/static/dashboard.css", _style),
            *sign_in.routes(deps),
            *pages.routes(deps),
            *forms.routes(deps),
            *downloads.routes(deps),
        ]
    )

    async def close_client(app: web.Application) -> None:
        if deps.http is not None:
            await deps.http.close()

    app.on_cleanup.append(close_client)


def add_dashboard_off(app: web.Application, problem: str) -> None:
    """Answer ``/dashboard`` with what to set to turn it on."""

    async def off(request: web.Request) -> web.StreamResponse:
        return page("off.html", 503, problem=problem, person=None)

    app.add_routes(
        [
            web.get("/dashboard/static/dashboard.css", _style),
            web.get("/dashboard", off),
            web.get("/dashboard/{rest:.*}", off),
        ]
    )
