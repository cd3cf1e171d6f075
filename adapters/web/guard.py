"""The checks every dashboard request passes: a live signed session, and a form's CSRF token."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.web.deps import DashboardDeps
from adapters.web.people import Person
from adapters.web.render import page

__all__ = ["Refused", "answering_refusals", "checked_form", "signed_in"]


class Refused(Exception):
    """Ends the request with a page saying why, with its status."""

    def __init__(self, status: int, title: str, why: str) -> None:
        super().__init__(why)
        self.status, self.title, self.why = status, title, why

    def response(self) -> web.Response:
        return page("refused.html", self.status, title=self.title, why=self.why, person=None)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def answering_refusals(handler: Handler) -> Handler:
    """Wrap a handler so that a ``Refused`` becomes its page."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Refused as refusal:
            return refusal.response()

    return wrapped


async def signed_in(deps: DashboardDeps, request: web.Request) -> Person | None:
    """Return the person whose live session the request carries; None for no, forged, ended or
    expired sessions."""
    token = deps.cookies.session_token(request)
    if token is None:
        return None
    found = await deps.sessions.find(token)
    return None if found is None else Person.from_json(found)


async def checked_form(deps: DashboardDeps, request: web.Request) -> tuple[Person, dict[str, str]]:
    """Return the signed-in person and the posted form, refusing a missing or wrong CSRF token."""
    person = await signed_in(deps, request)
    if person is None:
        raise Refused(401, "Please sign in", "Your session has ended: sign in again.")
    form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
    token = form.pop("csrf", "")
    if not hmac.compare_digest(token.encode(), person.csrf.encode()):
        raise Refused(
            403, "Form refused", "This form did not come from your dashboard page: reload it."
        )
    return person, form
