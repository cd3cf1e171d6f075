"""``unmentor db``: bring the database schema up to date, or back to an earlier revision."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from alembic.util import CommandError
from sqlalchemy.engine import make_url

from adapters.persistence.migrate import current_revision, downgrade, head_revision, upgrade
from bot.cli.errors import fail_cleanly
from bot.config import Settings

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``db`` commands to the command line."""
    db = typer.Typer(name="db", help="Manage the database schema.", no_args_is_help=True)
    db.command("upgrade")(upgrade_command)
    db.command("downgrade")(downgrade_command)
    app.add_typer(db)


def upgrade_command(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to migrate; defaults to UNMENTOR_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Apply every migration the database lacks."""
    with fail_cleanly():
        url = database_url or Settings().database_url
        try:
            asyncio.run(upgrade(url))
        except CommandError as error:
            # e.g. the database was migrated by a newer release than this one
            typer.echo(f"error: {str(error).strip().splitlines()[0]}", err=True)
            raise typer.Exit(1) from None
    shown = make_url(url).render_as_string(hide_password=True)
    typer.echo(f"Database {shown} is up to date (revision {head_revision()}).")


def downgrade_command(
    revision: Annotated[str, typer.Argument(help="The revision to go back to, such as 0011.")],
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to migrate; defaults to UNMENTOR_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Undo the migrations after REVISION (before running an earlier release on this database).

    A migration that would lose data refuses, saying why, and changes nothing.
    """
    with fail_cleanly():
        url = database_url or Settings().database_url
        try:
            asyncio.run(downgrade(url, revision))
        except (CommandError, RuntimeError) as error:
            typer.echo(f"error: {str(error).strip().splitlines()[0]}", err=True)
            raise typer.Exit(1) from None
        now = asyncio.run(current_revision(url))
    shown = make_url(url).render_as_string(hide_password=True)
    typer.echo(f"Database {shown} is at revision {now or 'base'}.")
