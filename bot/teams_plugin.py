"""Microsoft Teams inside ``unmentor run``: ``POST /api/messages`` and deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from adapters.teams.app import TeamsApp
from adapters.teams.bot_token import BotToken
from adapters.teams.connector import Connector
from adapters.teams.deps import TeamsDeps
from adapters.teams.incoming_tokens import IncomingTokens
from adapters.teams.references import References
from adapters.teams.sent_cards import SentCards
from adapters.teams.team_owners import TeamOwners
from bot.runtime.plugins import PluginContext, PluginFactory
from bot.teams_config import TeamsSettings
from pairing_core.services.delivery import DeliveryReport

__all__ = ["TeamsPlugin", "build_teams", "teams_plugin"]

_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass
class TeamsPlugin:
    app: TeamsApp
    name: str = "teams"
    _http: aiohttp.ClientSession | None = field(default=None, init=False)

    def session(self) -> aiohttp.ClientSession:
        """The connection pool for Microsoft's login endpoints, open while the plugin runs."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=_TIMEOUT)
        return self._http

    def add_routes(self, web_app: web.Application) -> None:
        self.app.add_routes(web_app)

    async def start(self) -> None:
        """Teams reaches the bot over HTTP: nothing to connect."""

    async def stop(self) -> None:
        await self.app.deps.in_flight.wait_idle()
        await self.app.deps.connector.close()
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def deliver(self) -> DeliveryReport:
        return await self.app.deps.deliver()


def build_teams(settings: TeamsSettings, context: PluginContext) -> TeamsPlugin:
    """Build the Teams app and its plugin from the settings and the runtime's storage."""
    if settings.app_id is None:
        raise ValueError("TEAMS_APP_ID is needed")
    credential = settings.credential()
    holder: list[TeamsPlugin] = []

    def http() -> aiohttp.ClientSession:
        return holder[0].session()

    token = BotToken(settings.authority_url, settings.token_tenant, credential, http)
    deps = TeamsDeps(
        context.new_services,
        context.clock,
        References(context.engine),
        Connector(token),
        SentCards(context.engine),
        TeamOwners(settings.graph_url, settings.authority_url, credential, http),
    )
    tokens = IncomingTokens(settings.openid_metadata_url, settings.app_id, http)
    plugin = TeamsPlugin(TeamsApp(deps, tokens, settings.tenant_id))
    holder.append(plugin)
    return plugin


def teams_plugin(settings: TeamsSettings) -> PluginFactory:
    """Return the factory ``serve`` calls once storage is open."""

    def build(context: PluginContext) -> TeamsPlugin:
        return build_teams(settings, context)

    return build
