"""The pages: sign-in or the person's communities, a programme, its chart."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from aiohttp import web
from markupsafe import Markup

from adapters.web.deps import DashboardDeps
from adapters.web.directory import run_by
from adapters.web.guard import Refused, answering_refusals, signed_in
from adapters.web.people import NotAllowed, Person, allowed_where
from adapters.web.programme_view import (
    ANSWER_COLUMNS,
    FIGURE_COLUMNS,
    live_part,
    programme_figures,
)
from adapters.web.render import SECURITY_HEADERS, fragment, page
from pairing_core.services.outcome_figures import outcome_report
from pairing_core.services.where import Where

__all__ = ["not_yours", "programme_page", "routes", "where_for"]


def not_yours() -> Refused:
    return Refused(
        403, "Not yours", "You are not an admin of that programme, or there is no such programme."
    )


async def where_for(deps: DashboardDeps, request: web.Request, person: Person | None) -> Where:
    """Return the programme in the URL, refusing whoever is not signed in or not its admin."""
    if person is None:
        raise Refused(401, "Please sign in", "Sign in to see this page.")
    try:
        return await allowed_where(
            person,
            request.match_info["community"],
            request.match_info["programme"],
            deps.new_services(),
        )
    except NotAllowed:
        raise not_yours() from None


async def programme_page(
    deps: DashboardDeps,
    person: Person,
    where: Where,
    *,
    said: str | None = None,
    problem: str | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    """Render the programme page, with the answer to a form just sent when there is one."""
    key = (where.community_id, where.programme_id)

    async def sections() -> Markup:
        figures = await programme_figures(deps.new_services(), where)
        return fragment(
            "programme_figures.html",
            figures=figures,
            here=programme_path(where),
            active=where.programme.active,
            columns=FIGURE_COLUMNS,
            answer_columns=ANSWER_COLUMNS,
        )

    view = live_part(where)
    values = {f.key: f.value for f in view.settings} | (submitted or {})
    return page(
        "programme.html",
        status,
        person=person,
        view=view,
        sections=await deps.figures.get(key, sections),
        values=values,
        said=said,
        problem=problem,
    )


def programme_path(where: Where) -> str:
    """Return the programme page's path (ids are quoted: a Discord community's holds a colon)."""
    return (
        f"/dashboard/c/{quote(where.community_id, safe='')}/p/{quote(where.programme_id, safe='')}"
    )


def routes(deps: DashboardDeps) -> list[web.RouteDef]:
    config = deps.config

    async def home(request: web.Request) -> web.StreamResponse:
        person = await signed_in(deps, request)
        if person is None:
            return page(
                "sign_in.html",
                person=None,
                slack=config.slack is not None,
                discord=config.discord is not None,
            )
        communities = await run_by(person, deps.new_services())
        return page("communities.html", person=person, communities=communities)

    async def programme(request: web.Request) -> web.StreamResponse:
        person = await signed_in(deps, request)
        where = await where_for(deps, request, person)
        assert person is not None
        return await programme_page(deps, person, where)

    async def chart(request: web.Request) -> web.StreamResponse:
        where = await where_for(deps, request, await signed_in(deps, request))

        async def draw() -> bytes:
            services = deps.new_services()
            report = await outcome_report(services, where.community_id, where.programme_id)
            # drawing takes a while: off the event loop, so other pages are not held up
            return await asyncio.to_thread(deps.charts.render, report)

        png = await deps.chart_png.get((where.community_id, where.programme_id), draw)
        return web.Response(body=png, content_type="image/png", headers=SECURITY_HEADERS)

    async def to_home(request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect("/dashboard/")

    base = "/dashboard/c/{community}/p/{programme}"
    return [
        web.get("/dashboard", to_home),
        web.get("/dashboard/", answering_refusals(home)),
        web.get(base, answering_refusals(programme)),
        web.get(f"{base}/chart.png", answering_refusals(chart)),
    ]
