"""Slack inside ``unmentor run``: events over HTTP (or Socket Mode), OAuth routes, deliveries."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.http import add_slack_routes
from bot.runtime.plugins import PluginContext, PluginFactory
from bot.slack_config import SlackSettings
from bot.slack_wiring import SlackAdapter, build_slack
from pairing_core.services.delivery import DeliveryReport

__all__ = ["SlackPlugin", "slack_plugin"]

log = logging.getLogger(__name__)


@dataclass
class SlackPlugin:
    adapter: SlackAdapter
    settings: SlackSettings
    name: str = "slack"
    _socket: AsyncSocketModeHandler | None = field(default=None, init=False)
    _http: aiohttp.ClientSession | None = field(default=None, init=False)

    def add_routes(self, web_app: web.Application) -> None:
        if self.adapter.gate is not None:  # never accept unverifiable HTTP events
            add_slack_routes(
                web_app, self.adapter.app, self.adapter.gate, self.adapter.deps.unanswered
            )

    async def start(self) -> None:
        await self._check_stored_tokens()
        # One connection pool for every Web API call, kept open while the plugin runs; the
        # session's timeout is the client's, as slack-sdk applies it only to sessions it opens.
        timeout = aiohttp.ClientTimeout(total=self.adapter.deps.platform.client.timeout)
        self._http = aiohttp.ClientSession(timeout=timeout)
        self.adapter.share_connections(self._http)
        try:
            if self.settings.app_token is not None:
                self._socket = AsyncSocketModeHandler(
                    self.adapter.app, self.settings.app_token.get_secret_value()
                )
                await self._socket.connect_async()  # type: ignore[no-untyped-call]
        except BaseException:
            await self._close_http()  # a plugin that failed to start is never stopped
            raise

    async def _check_stored_tokens(self) -> None:
        """Refuse to start when the stored tokens cannot be read; say so when they are plain."""
        store = self.adapter.token_store
        if store is None:  # one workspace: its token is in the environment, nothing is stored
            return
        await store.check_readable()  # raises SecretKeyError, naming the setting
        if not store.cipher.encrypts:
            log.warning(
                "UNMENTOR_SECRET_KEY is not set: Slack tokens are stored unencrypted in the "
                "database (make a key with `unmentor secrets new-key`)"
            )

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        await self.adapter.deps.in_flight.wait_idle()
        await self._close_http()

    async def _close_http(self) -> None:
        if self._http is not None:
            self.adapter.share_connections(None)
            await self._http.close()
            self._http = None

    async def deliver(self) -> DeliveryReport:
        return await self.adapter.deps.deliver()


def slack_plugin(settings: SlackSettings) -> PluginFactory:
    """Return the factory ``serve`` calls once storage is open."""

    def build(context: PluginContext) -> SlackPlugin:
        adapter = build_slack(
            settings, context.engine, context.new_services, context.clock, context.cipher
        )
        return SlackPlugin(adapter, settings)

    return build
