"""``unmentor playground``: a terminal chat where you act as every member of one community."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.errors import fail_cleanly
from bot.config import Settings
from bot.playground import run_playground

__all__ = ["register"]


def register(app: typer.Typer) -> None:

    @app.command()
    def playground(
        database_url: str = typer.Option(
            None,
            help="Where to keep the playground's data (default: UNMENTOR_PLAYGROUND_DATABASE_URL, "
            "else unmentor-playground.db in the current folder).",
        ),
        seed: int = typer.Option(None, help="Seed the matcher for a reproducible session."),
    ) -> None:
        """Play every member of a community in the terminal, on the real core and storage."""
        with fail_cleanly():
            settings = Settings()
            if database_url is not None:
                settings = settings.model_copy(update={"playground_database_url": database_url})
            asyncio.run(run_playground(settings, seed))
