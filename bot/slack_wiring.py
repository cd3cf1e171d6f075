"""Build the Slack adapter from settings: the Web API client, the stores, the platform, the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_installations import SqlSlackInstallationStore
from adapters.persistence.repositories.slack_oauth_states import SqlSlackOAuthStateStore
from adapters.persistence.repositories.slack_seen_requests import SqlSeenSlackRequests
from adapters.persistence.token_cipher import TokenCipher
from adapters.slack.app import build_app
from adapters.slack.deps import SlackDeps
from adapters.slack.installations import CachedInstallations
from adapters.slack.oauth import STATE_SECONDS, oauth_settings
from adapters.slack.platform import SlackPlatform
from adapters.slack.request_gate import RequestGate
from bot.slack_config import SlackSettings
from pairing_core.ports import Clock
from pairing_core.services.context import Services

__all__ = ["SlackAdapter", "build_slack", "slack_client"]


def slack_client(
    slack_settings: SlackSettings, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """Return a Web API client that waits out one 429 and retries dropped connections.

    It holds the bot token with one workspace and none with several (each call then names its
    workspace's token); ``SLACK_API_BASE_URL`` applies to every call, ``oauth.v2.access`` too.
    ``session`` is a connection pool to share (see ``SlackAdapter.share_connections``).
    """
    token = slack_settings.bot_token
    # Server errors are not retried here: a 5xx may follow a posted message, and the outbox
    # already retries them later with backoff. Posts are not resent on a dropped connection
    # either (``SlackPlatform.send``): the outbox retries them after looking for them.
    return AsyncWebClient(
        token=token.get_secret_value() if token is not None else None,
        base_url=slack_settings.api_base_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


@dataclass
class SlackAdapter:
    deps: SlackDeps
    app: AsyncApp
    installations: CachedInstallations | None  # None with one workspace
    gate: RequestGate | None = None  # None without a signing secret (Socket Mode only)
    token_store: SqlSlackInstallationStore | None = None  # where installs keep their tokens

    def share_connections(self, http: aiohttp.ClientSession | None) -> None:
        """Send every Web API call through ``http``'s connection pool (None: a session per call).

        Without a session of its own, slack-sdk opens a new HTTP session, and so a new TCP and TLS
        connection, for every call. Bolt copies the app client's session into each request's
        client, and the platform copies it into each workspace's client.
        """
        self.deps.platform.client.session = http
        self.app.client.session = http


def build_slack(
    slack_settings: SlackSettings,
    engine: AsyncEngine,
    new_services: Callable[[], Services],
    clock: Clock,
    cipher: TokenCipher | None = None,
) -> SlackAdapter:
    """Wire the adapter for one workspace or, with a client id and secret, for several.

    With several, each workspace's tokens are stored sealed by ``cipher`` (none: unencrypted).
    """
    mode = slack_settings.mode
    if mode is None:
        raise ValueError(
            "Slack is not configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or "
            "SLACK_APP_TOKEN, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET."
        )
    client = slack_client(slack_settings)
    secret = slack_settings.signing_secret
    signing_secret = secret.get_secret_value() if secret is not None else ""
    sessions = session_factory(engine)
    gate = (
        RequestGate.for_secret(signing_secret, SqlSeenSlackRequests(sessions))
        if signing_secret
        else None
    )
    if mode == "workspace":
        deps = SlackDeps(new_services=new_services, platform=SlackPlatform(client), clock=clock)
        app = build_app(deps, client=client, signing_secret=signing_secret)
        return SlackAdapter(deps, app, None, gate)
    assert slack_settings.client_id is not None and slack_settings.client_secret is not None
    token_store = SqlSlackInstallationStore(sessions, slack_settings.client_id, cipher=cipher)
    installations = CachedInstallations(token_store)
    settings = oauth_settings(
        client_id=slack_settings.client_id,
        client_secret=slack_settings.client_secret.get_secret_value(),
        installations=installations,
        states=SqlSlackOAuthStateStore(sessions, STATE_SECONDS),
        redirect_uri=slack_settings.redirect_uri,
    )
    platform = SlackPlatform(client, tokens=installations.bot_token)
    deps = SlackDeps(new_services=new_services, platform=platform, clock=clock)
    app = build_app(deps, client=client, signing_secret=signing_secret, oauth_settings=settings)
    return SlackAdapter(deps, app, installations, gate, token_store)
