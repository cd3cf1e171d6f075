"""OAuth settings for installing the app in several workspaces (``/slack/install``)."""

from __future__ import annotations

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.scopes import BOT_SCOPES

__all__ = ["INSTALL_PATH", "REDIRECT_PATH", "STATE_SECONDS", "oauth_settings"]

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


def oauth_settings(
    *,
    client_id: str,
    client_secret: str,
    installations: AsyncInstallationStore,
    states: AsyncOAuthStateStore,
    redirect_uri: str | None = None,
) -> AsyncOAuthSettings:
    """Return bolt's OAuth settings: the bot scopes only, tokens kept in ``installations``.

    ``/slack/install`` redirects straight to Slack (no intermediate page). ``states`` must be
    shared by every replica: the redirect may reach a different one than the install did.
    """
    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
    )
    if isinstance(settings.authorize, AsyncInstallationStoreAuthorize):
        # Remember auth.test per bot token: otherwise every request calls it before its ack.
        settings.authorize.cache_enabled = True
    return settings
