"""``unmentor run``: start every platform configured in the environment."""

from __future__ import annotations

import asyncio
import sys

import typer

from bot.cli.errors import fail_cleanly
from bot.config import Settings, secret_values
from bot.discord_config import DiscordSettings
from bot.playground import run_playground
from bot.runtime.log_setup import configure_logging
from bot.runtime.plugins import PluginFactory
from bot.slack_config import SlackSettings
from bot.teams_config import TeamsSettings

__all__ = ["NOTHING_CONFIGURED", "register"]

NOTHING_CONFIGURED = (
    "no platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (one Slack "
    "workspace), SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET (several), or "
    "DISCORD_TOKEN, or TEAMS_APP_ID and TEAMS_APP_PASSWORD; or try it locally with `unmentor playground`"
)


async def _serve(
    settings: Settings, plugins: list[PluginFactory], slack: SlackSettings, discord: DiscordSettings
) -> None:
    from adapters.http_platform import HttpPlatform
    from bot.dashboard_wiring import dashboard_config
    from bot.runtime.serve import serve

    dashboard = dashboard_config(settings, slack, discord)
    if settings.http_platform_url:
        async with HttpPlatform(settings.http_platform_url) as platform:
            await serve(settings, platform, plugins=plugins, dashboard=dashboard)
    else:
        await serve(settings, plugins=plugins, dashboard=dashboard)


def _plugins(
    slack: SlackSettings, discord: DiscordSettings, teams: TeamsSettings
) -> list[PluginFactory]:
    plugins: list[PluginFactory] = []
    if slack.configured:
        from bot.slack_plugin import slack_plugin

        plugins.append(slack_plugin(slack))
    if discord.configured:
        # imported only when used: discord.py is heavy and warns about audioop on import
        from bot.discord_plugin import discord_plugin

        plugins.append(discord_plugin(discord))
    if teams.configured:
        from bot.teams_plugin import teams_plugin

        plugins.append(teams_plugin(teams))
    return plugins


def _stop(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    @app.command()
    def run() -> None:
        """Run the bot for the platforms configured by environment.

        With none configured it starts the playground when typed at a terminal, and otherwise
        (a container, a service) says what to set and exits with code 2.
        """
        with fail_cleanly():
            settings = Settings()
            slack, discord, teams = SlackSettings(), DiscordSettings(), TeamsSettings()
            for problem in (slack.problem, discord.problem, teams.problem):
                if problem is not None:
                    _stop(problem)
            plugins = _plugins(slack, discord, teams)
            if not plugins and not settings.http_platform_url:
                if not sys.stdin.isatty():
                    _stop(NOTHING_CONFIGURED)
                typer.echo(
                    "No Slack, Discord or Teams settings are configured: starting the local playground "
                    f"(data in {settings.playground_database_url}).",
                    err=True,
                )
                asyncio.run(run_playground(settings))
                return
            configure_logging(
                settings.log_level,
                settings.log_format,
                library_level=settings.library_log_level,
                secrets=secret_values(settings, slack, discord, teams),
            )
            asyncio.run(_serve(settings, plugins, slack, discord))
