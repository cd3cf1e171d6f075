"""``unmentor secrets``: make a key for ``UNMENTOR_SECRET_KEY``, re-encrypt stored tokens."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_installations import reseal_stored_tokens
from adapters.persistence.token_cipher import SECRET_KEY_SETTING, TokenCipher
from bot.bootstrap import open_storage
from bot.cli.errors import fail_cleanly
from bot.config import Settings

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``secrets`` commands to the command line."""
    secrets = typer.Typer(
        name="secrets", help="Keys that encrypt the stored tokens.", no_args_is_help=True
    )
    secrets.command("new-key")(new_key_command)
    secrets.command("rotate")(rotate_command)
    app.add_typer(secrets)


def new_key_command() -> None:
    """Print a fresh random key for UNMENTOR_SECRET_KEY."""
    typer.echo(TokenCipher.new_key())


async def _rotate(settings: Settings, cipher: TokenCipher) -> int:
    async with open_storage(settings) as storage:
        return await reseal_stored_tokens(session_factory(storage.engine), cipher)


def rotate_command(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to re-encrypt; defaults to UNMENTOR_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Re-encrypt every stored token with the newest (first) key of UNMENTOR_SECRET_KEY.

    Tokens stored unencrypted before a key was set are encrypted too. Once this has run on
    every database, older keys can be dropped from the setting.
    """
    with fail_cleanly():
        settings = Settings()
        if database_url:
            settings = settings.model_copy(update={"database_url": database_url})
        key = settings.secret_key
        cipher = TokenCipher.from_setting(key.get_secret_value() if key is not None else None)
        if not cipher.encrypts:
            raise ValueError(
                f"{SECRET_KEY_SETTING} is not set: set it to the new key first (then the old "
                "ones, comma-separated); `unmentor secrets new-key` makes one."
            )
        changed = asyncio.run(_rotate(settings, cipher))
    typer.echo(f"Re-encrypted {changed} stored token(s) with the newest key.")
