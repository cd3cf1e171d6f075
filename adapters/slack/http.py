"""Serve the bolt app from an aiohttp web application."""

from __future__ import annotations

import logging
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from adapters.in_flight import InFlight
from adapters.slack.after_ack import RECEIVED_AT
from adapters.slack.request_gate import RequestGate

__all__ = ["EVENTS_PATH", "add_slack_routes"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def add_slack_routes(
    web_app: web.Application, bolt_app: AsyncApp, gate: RequestGate, unanswered: InFlight
) -> None:
    """Mount ``POST /slack/events`` (commands, interactivity and events all arrive there).

    ``gate`` checks each request's signature (and that it is not a replay) before its body is
    read; ``unanswered`` counts the requests not answered yet. With OAuth settings, also ``GET /slack/install`` (redirects to Slack's consent page)
    and ``GET /slack/oauth_redirect`` (Slack sends the installer back there with a code).
    """

    async def events(request: web.Request) -> web.Response:
        received_at = time.monotonic()  # listeners with an answer to race count from here
        async with unanswered.track():
            refused = await gate.refusal(request.headers, await request.read())
            if refused is not None:
                return refused
            try:
                bolt_request = await to_bolt_request(request)
            except ValueError as error:  # signed, yet neither Slack's form nor JSON
                log.warning("refused a signed Slack request whose body is malformed: %s", error)
                return web.Response(status=400, text="malformed body")
            bolt_request.context[RECEIVED_AT] = received_at
            bolt_response = await bolt_app.async_dispatch(bolt_request)
            return await to_aiohttp_response(bolt_response)

    web_app.router.add_post(EVENTS_PATH, events)
    flow = bolt_app.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        bolt_response = await flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def oauth_redirect(request: web.Request) -> web.Response:
        bolt_response = await flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    web_app.router.add_get(flow.install_path, install)
    web_app.router.add_get(flow.redirect_uri_path, oauth_redirect)
