"""What the dashboard is built with: its address, its signing secret, the sign-in providers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

__all__ = ["DashboardConfig", "DiscordSignIn", "SlackSignIn"]


@dataclass(frozen=True)
class SlackSignIn:
    """Sign in with Slack (OpenID Connect); the token and user info endpoints sit under
    ``api_base_url``, as Slack's Web API does, so one setting points both at a fake."""

    client_id: str
    client_secret: str
    authorize_url: str = "https://slack.com/openid/connect/authorize"
    api_base_url: str = "https://slack.com/api/"


@dataclass(frozen=True)
class DiscordSignIn:
    """Discord OAuth2 (``identify``); the bot's own token reads a member's roles in a server."""

    client_id: str
    client_secret: str
    bot_token: str | None = None
    authorize_url: str = "https://discord.com/oauth2/authorize"
    api_base_url: str = "https://discord.com/api/v10"


@dataclass(frozen=True)
class DashboardConfig:
    public_url: str
    session_secret: str
    slack: SlackSignIn | None = None
    discord: DiscordSignIn | None = None
    # a signed-in session ends this long after sign-in, whatever happens
    session_lasts: timedelta = timedelta(hours=8)
    # a sign-in begun and not finished within this is refused
    sign_in_lasts: timedelta = timedelta(minutes=10)

    @property
    def base(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def secure(self) -> bool:
        """Cookies go over HTTPS only when the public address is HTTPS."""
        return self.public_url.startswith("https://")

    def callback(self, provider: str) -> str:
        return f"{self.base}/dashboard/sign-in/{provider}/callback"
