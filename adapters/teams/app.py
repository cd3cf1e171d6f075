"""The Teams app: ``POST /api/messages`` on the bot's own aiohttp server.

Every request's Bot Framework token is checked first (``incoming_tokens``); a request that fails
gets 401 and nothing is done. Then the activity goes to its listener: messages and installs are
answered 200 (replies go out through the connector), card actions with the card to show.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from adapters.teams.deps import TeamsDeps
from adapters.teams.identity import tenant_of
from adapters.teams.incoming_tokens import IncomingTokens, TokenRefused
from adapters.teams.listeners.actions import on_card_action
from adapters.teams.listeners.installs import on_conversation_update
from adapters.teams.listeners.messages import on_message

__all__ = ["MESSAGES_PATH", "TeamsApp"]

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
_MAX_BODY = 256 * 1024  # Teams caps an activity at about 100 KB


class TeamsApp:
    """``tenant_id``: a single-tenant bot's own tenant; activities from any other are refused."""

    def __init__(
        self, deps: TeamsDeps, tokens: IncomingTokens, tenant_id: str | None = None
    ) -> None:
        self.deps, self.tokens = deps, tokens
        self.tenant_id = tenant_id.lower() if tenant_id else None

    def add_routes(self, web_app: web.Application) -> None:
        web_app.router.add_post(MESSAGES_PATH, self.messages)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if (request.content_length or 0) > _MAX_BODY:
            return web.Response(status=413)
        try:
            activity = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        if not isinstance(activity, dict) or not activity.get("serviceUrl"):
            return web.Response(status=400)
        try:
            await self.tokens.check(request.headers.get("Authorization"), activity)
        except TokenRefused as refused:
            log.warning("refused a Teams request: %s", refused)
            return web.Response(status=401)
        if self.tenant_id is not None and tenant_of(activity).lower() != self.tenant_id:
            log.warning("refused a Teams request from another tenant")
            return web.Response(status=403)
        async with self.deps.in_flight.track():
            return await self._route(activity)

    async def _route(self, activity: dict[str, Any]) -> web.StreamResponse:
        kind = activity.get("type")
        if kind == "message":
            await on_message(self.deps, activity)
        elif kind == "invoke" and activity.get("name") == "adaptiveCard/action":
            return web.json_response(await on_card_action(self.deps, activity))
        elif kind in ("conversationUpdate", "installationUpdate"):
            await on_conversation_update(self.deps, activity)
        return web.Response(status=200)
