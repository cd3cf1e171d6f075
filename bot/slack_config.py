"""Slack settings, from ``SLACK_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SlackMode", "SlackSettings"]

# "workspace": one workspace, one bot token. "oauth": any workspace installs it at /slack/install.
SlackMode = Literal["workspace", "oauth"]


class SlackSettings(BaseSettings):
    """One workspace: a bot token plus a signing secret (HTTP events) or an app token (Socket
    Mode). Several workspaces: a client id and secret plus the signing secret, and no bot token.

    With several workspaces each one's bot token is kept in the bot's database
    (``UNMENTOR_DATABASE_URL``), encrypted when ``UNMENTOR_SECRET_KEY`` is set; without it,
    anyone who can read that database or its backups can act as the bot in every workspace.
    """

    # A variable left empty (``SLACK_BOT_TOKEN=`` copied from .env.example) counts as unset.
    model_config = SettingsConfigDict(
        env_prefix="SLACK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
    )

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None  # xapp-...: Socket Mode, no public URL needed
    client_id: str | None = None
    client_secret: SecretStr | None = None
    # Where Slack sends installers back; needed only when the app lists several redirect URLs.
    redirect_uri: str | None = None
    api_base_url: str = "https://slack.com/api/"
    # Sign in with Slack (the dashboard): where people are sent to sign in; the token and user
    # info endpoints are openid.connect.token and openid.connect.userInfo under api_base_url.
    openid_authorize_url: str = "https://slack.com/openid/connect/authorize"

    @property
    def mode(self) -> SlackMode | None:
        """How the bot connects to Slack, or None when there is not enough to connect at all."""
        if self.bot_token is not None:
            if self.signing_secret is not None or self.app_token is not None:
                return "workspace"
            return None
        if (
            self.client_id is not None
            and self.client_secret is not None
            and self.signing_secret is not None
        ):
            return "oauth"
        return None

    @property
    def problem(self) -> str | None:
        """Name what a half-set configuration lacks, in one line; None when it is whole or unset."""
        bot, app, secret = self.bot_token, self.app_token, self.signing_secret
        client_id, client_secret = self.client_id, self.client_secret
        if bot is not None and (client_id is not None or client_secret is not None):
            return (
                "SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET "
                "(several workspaces) are both set: keep one of them"
            )
        if bot is not None and secret is None and app is None:
            return (
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not "
                "(or SLACK_APP_TOKEN, for Socket Mode)"
            )
        if app is not None and bot is None:
            return "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not"
        if client_id is not None and client_secret is None:
            return "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not"
        if client_secret is not None and client_id is None:
            return "SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not"
        if client_id is not None and secret is None:
            return "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set but SLACK_SIGNING_SECRET is not"
        if self.redirect_uri is not None and client_id is None:
            return "SLACK_REDIRECT_URI is set but SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not"
        if secret is not None and bot is None and client_id is None:
            return (
                "SLACK_SIGNING_SECRET is set but neither SLACK_BOT_TOKEN (one workspace) nor "
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (several workspaces) are"
            )
        return None

    @property
    def configured(self) -> bool:
        """True when there is enough to connect to one workspace or to install in several."""
        return self.mode is not None
