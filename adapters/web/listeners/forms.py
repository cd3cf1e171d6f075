"""The programme's forms: its settings, a round now, skipping the next round.

Each runs the core use case the chat's admin command runs, so a wrong value gets the same
sentence as ``/unmentor admin settings`` would give.
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.deps import DashboardDeps
from adapters.web.guard import answering_refusals, checked_form
from adapters.web.listeners.pages import programme_page, where_for
from adapters.web.render import plain
from adapters.web.settings_form import changed_settings
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError, StorageConflict
from pairing_core.services.admin import change_settings

__all__ = ["routes"]


def routes(deps: DashboardDeps) -> list[web.RouteDef]:
    async def settings(request: web.Request) -> web.StreamResponse:
        person, form = await checked_form(deps, request)
        where = await where_for(deps, request, person)
        changes = changed_settings(form, where.programme.settings)
        if not changes:
            return await programme_page(deps, person, where, said="Nothing changed.")
        command = c.ChangeSettings(changes, programme_id=where.programme_id)
        actor = person.actor(where.community_id)
        try:
            await change_settings(command, actor, where.community_id, deps.new_services())
        except DomainError as error:
            return await programme_page(
                deps, person, where, problem=plain(str(error)), submitted=form, status=400
            )
        except StorageConflict:
            problem = "That clashed with another change made at the same moment: try again."
            return await programme_page(deps, person, where, problem=problem, status=409)
        deps.forget(where.community_id, where.programme_id)
        where = await where_for(deps, request, person)  # as saved
        return await programme_page(deps, person, where, said="Settings saved.")

    def _round_form(command: type[c.RunRoundNow] | type[c.SkipRound]) -> web.RouteDef:
        async def run(request: web.Request) -> web.StreamResponse:
            person, _ = await checked_form(deps, request)
            where = await where_for(deps, request, person)
            # the chat command's own path: its checks, its retry on a clash, its reply
            reply = await handle(
                command(programme_id=where.programme_id),
                person.actor(where.community_id),
                where.community_id,
                deps.new_services(),
            )
            deps.forget(where.community_id, where.programme_id)
            return await programme_page(deps, person, where, said=plain(reply.text))

        name = "round-now" if command is c.RunRoundNow else "skip"
        return web.post(f"{_BASE}/{name}", answering_refusals(run))

    return [
        web.post(f"{_BASE}/settings", answering_refusals(settings)),
        _round_form(c.RunRoundNow),
        _round_form(c.SkipRound),
    ]


_BASE = "/dashboard/c/{community}/p/{programme}"
