"""The dashboard wired into the bot's HTTP server: its settings, storage and sign-in providers."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.charts import PngCharts
from adapters.persistence import session_factory
from adapters.persistence.repositories.dashboard_sessions import SqlDashboardSessions
from adapters.web.app import add_dashboard, add_dashboard_off
from adapters.web.config import DashboardConfig, DiscordSignIn, SlackSignIn
from adapters.web.deps import DashboardDeps
from bot.config import Settings
from bot.discord_config import DiscordSettings
from bot.slack_config import SlackSettings
from pairing_core.ports import Clock
from pairing_core.services.context import Services

__all__ = ["dashboard_config", "mount_dashboard"]


def dashboard_config(
    settings: Settings, slack: SlackSettings | None = None, discord: DiscordSettings | None = None
) -> DashboardConfig | str:
    """Return the dashboard's configuration, or the sentence saying what turns it on."""
    if settings.dashboard_problem is not None:
        return settings.dashboard_problem
    assert settings.public_url is not None and settings.session_secret is not None
    slack_sign_in = discord_sign_in = None
    if slack is not None and slack.client_id and slack.client_secret:
        slack_sign_in = SlackSignIn(
            slack.client_id,
            slack.client_secret.get_secret_value(),
            slack.openid_authorize_url,
            slack.api_base_url,
        )
    if discord is not None and discord.client_id and discord.client_secret:
        discord_sign_in = DiscordSignIn(
            discord.client_id,
            discord.client_secret.get_secret_value(),
            discord.token.get_secret_value() if discord.token else None,
            discord.oauth_authorize_url,
            discord.api_base_url,
        )
    return DashboardConfig(
        settings.public_url,
        settings.session_secret.get_secret_value(),
        slack_sign_in,
        discord_sign_in,
    )


def mount_dashboard(
    app: web.Application,
    config: DashboardConfig | str,
    engine: AsyncEngine,
    new_services: Callable[[], Services],
    clock: Clock,
) -> None:
    """Serve the dashboard under ``/dashboard`` (or the page saying how to turn it on)."""
    if isinstance(config, str):
        add_dashboard_off(app, config)
        return
    sessions = SqlDashboardSessions(session_factory(engine), clock.now)
    add_dashboard(app, DashboardDeps(config, new_services, sessions, PngCharts()))
