"""``unmentor run``: start every platform configured in the environment."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.errors import fail_cleanly
from bot.config import Settings
from bot.playground import run_playground

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command()
    def run() -> None:
        """Run the bot for the platforms configured by environment; with none, the playground."""
        settings = Settings()
        typer.echo(
            "No Slack or Discord tokens are configured (SLACK_BOT_TOKEN, DISCORD_TOKEN): "
            "starting the local playground instead.",
            err=True,
        )
        with fail_cleanly():
            asyncio.run(run_playground(settings))
