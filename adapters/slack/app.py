"""Build the slack-bolt app; nothing here connects or reads the environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.authorize import NOT_INSTALLED, OneWorkspaceAuthorize
from adapters.slack.deps import SlackDeps
from adapters.slack.listeners import register_listeners

__all__ = ["build_app"]

# AsyncApp falls back on these when it is given no token or OAuth settings: it would then warn that
# the token it read is unused beside our client, or set up OAuth with defaults we never asked for.
_BOLT_ENV_FALLBACKS = ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@contextmanager
def _without_bolt_env_fallbacks() -> Iterator[None]:
    """Hide the variables bolt would read on its own while the app is built, then restore them."""
    hidden = {name: os.environ.pop(name) for name in _BOLT_ENV_FALLBACKS if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


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
    # bolt is given everything it needs here, so it reads nothing from the environment
    with _without_bolt_env_fallbacks():
        app = AsyncApp(
            client=tokenless,
            signing_secret=signing_secret,
            authorize=authorize,  # type: ignore[arg-type]  # bolt accepts AsyncAuthorize objects
            oauth_settings=oauth_settings,
            # bolt's own DEBUG lines hold request bodies (personal data): keep them under the
            # library's name, whose level UNMENTOR_LIBRARY_LOG_LEVEL sets, not the bot's
            logger=logger or logging.getLogger("slack_bolt.App"),
            user_facing_authorize_error_message=NOT_INSTALLED,
            # HTTP requests are verified before their body is read (request_gate.py); Socket Mode
            # requests carry no signature, and bolt verifies none of them either
            request_verification_enabled=False,
        )
    register_listeners(app, deps)
    return app
