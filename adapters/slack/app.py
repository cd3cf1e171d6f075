"""Build the slack-bolt app; nothing here connects or reads the environment."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

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
    if client is None:
        platform_client = deps.platform.client
        client = (
            platform_client
            if token is None
            else AsyncWebClient(token=token, base_url=platform_client.base_url)
        )
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        oauth_settings=oauth_settings,
        logger=logger or logging.getLogger("adapters.slack"),
    )
    register_listeners(app, deps)
    return app
