"""``unmentor run``: start every platform configured in the environment."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.errors import fail_cleanly
from bot.config import Settings, secret_values
from bot.discord_config import DiscordSettings
from bot.playground import run_playground
from bot.runtime.log_setup import configure_logging
from bot.runtime.plugins import PluginFactory
from bot.slack_config import SlackSettings

__all__ = ["register"]


async def _serve(settings: Settings, plugins: list[PluginFactory]) -> None:
    from adapters.http_platform import HttpPlatform
    from bot.runtime.serve import serve

    if settings.http_platform_url:
        async with HttpPlatform(settings.http_platform_url) as platform:
            await serve(settings, platform, plugins=plugins)
    else:
        await serve(settings, plugins=plugins)


def _plugins(slack: SlackSettings, discord: DiscordSettings) -> list[PluginFactory]:
    plugins: list[PluginFactory] = []
    if slack.configured:
        from bot.slack_plugin import slack_plugin

        plugins.append(slack_plugin(slack))
    if discord.configured:
        # imported only when used: discord.py is heavy and warns about audioop on import
        from bot.discord_plugin import discord_plugin

        plugins.append(discord_plugin(discord))
    return plugins


def register(app: typer.Typer) -> None:
    @app.command()
    def run() -> None:
        """Run the bot for the platforms configured by environment; with none, the playground."""
        settings = Settings()
        with fail_cleanly():
            slack, discord = SlackSettings(), DiscordSettings()
            plugins = _plugins(slack, discord)
            if not plugins and not settings.http_platform_url:
                typer.echo(
                    "No Slack or Discord tokens are configured (SLACK_BOT_TOKEN with "
                    "SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, SLACK_CLIENT_ID with "
                    "SLACK_CLIENT_SECRET, or DISCORD_TOKEN): starting the local playground instead.",
                    err=True,
                )
                asyncio.run(run_playground(settings))
                return
            configure_logging(
                settings.log_level,
                settings.log_format,
                library_level=settings.library_log_level,
                secrets=secret_values(settings, slack, discord),
            )
            asyncio.run(_serve(settings, plugins))
