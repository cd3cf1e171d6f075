"""Build the slack-bolt app; nothing here connects or reads the environment."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.authorize import NOT_INSTALLED, OneWorkspaceAuthorize
from adapters.slack.deps import SlackDeps
from adapters.slack.listeners import register_listeners

__all__ = ["build_app"]


def build_app(
    deps: SlackDeps,
    *,
    signing_secret: str,
    client: AsyncWebClient | None = None,
    token: str | None = None,
    oauth_settings: AsyncOAuthSettings | None = None,
    logger: logging.Logger | None = None,
) -> AsyncApp:
    """Return an ``AsyncApp`` answering through ``client`` (default: the platform's).

    One workspace: the client's (or ``token``'s) bot token answers every request. Several
    (``oauth_settings``): each request is answered with its workspace's token from the
    installation store, and uninstalling or revoking tokens deletes that workspace's rows.
    """
    client = client or deps.platform.client
    token = token or client.token
    authorize = None
    if oauth_settings is None:
        if token is None:
            raise ValueError("one workspace needs a bot token (or OAuth settings for several)")
        authorize = OneWorkspaceAuthorize(token)
    # The app's own client holds no token: each request's client gets its workspace's from
    # `authorize`, and bolt refuses a token beside an authorize function.
    tokenless = AsyncWebClient(
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=client.retry_handlers,
        logger=client.logger,
    )
    app = AsyncApp(
        client=tokenless,
        signing_secret=signing_secret,
        authorize=authorize,  # type: ignore[arg-type]  # bolt accepts AsyncAuthorize objects too
        oauth_settings=oauth_settings,
        logger=logger or logging.getLogger("adapters.slack"),
        user_facing_authorize_error_message=NOT_INSTALLED,
        # HTTP requests are verified before their body is read (request_gate.py); Socket Mode
        # requests carry no signature, and bolt verifies none of them either
        request_verification_enabled=False,
    )
    register_listeners(app, deps)
    return app
