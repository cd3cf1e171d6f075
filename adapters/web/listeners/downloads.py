"""The programme's figures as CSV or JSON, byte for byte what ``unmentor report`` prints."""

from __future__ import annotations

from aiohttp import web

from adapters.web.deps import DashboardDeps
from adapters.web.guard import answering_refusals, signed_in
from adapters.web.listeners.pages import where_for
from adapters.web.render import SECURITY_HEADERS
from pairing_core.outcome_formats import render
from pairing_core.programme_experiment_formats import render_experiments
from pairing_core.services.outcome_figures import experiment_figures, outcome_report

__all__ = ["routes"]

_TYPES = {"csv": "text/csv", "json": "application/json"}


def routes(deps: DashboardDeps) -> list[web.RouteDef]:
    async def download(request: web.Request) -> web.StreamResponse:
        where = await where_for(deps, request, await signed_in(deps, request))
        form = request.match_info["format"]
        what = request.match_info["what"]
        services = deps.new_services()
        answer = await experiment_figures(services, where.community_id, where.programme_id)
        if what == "experiment":  # `unmentor report --experiment`
            text = render_experiments([(where.programme.name, answer)], form)
        else:
            report = await outcome_report(services, where.community_id, where.programme_id)
            text = render(report, form, answer)
        # `unmentor report --programme NAME --format F` prints the text and one newline
        body = text.rstrip("\n") + "\n"
        name = f"unmentor-{where.programme.name}-{what}.{form}"
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        return web.Response(
            body=body.encode(), content_type=_TYPES[form], charset="utf-8", headers=headers
        )

    return [
        web.get(
            "/dashboard/c/{community}/p/{programme}/{what:report|experiment}.{format:csv|json}",
            answering_refusals(download),
        )
    ]
