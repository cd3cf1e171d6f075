"""The ``unmentor`` command line: every command module registers itself on one Typer app."""

from __future__ import annotations

import sys

import typer

from bot import discord_cli, teams_cli
from bot.cli import db, playground, report, run, secret_keys, simulate

__all__ = ["app", "main"]

app = typer.Typer(
    name="unmentor",
    help="UnMentoring (Randomised Coffee Trials) for Slack, Discord and Microsoft Teams communities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help: the rich layout shows every flag as `--json <bool>`, as if it took a value
    rich_markup_mode=None,
)

for module in (run, playground, simulate, report, db, secret_keys, discord_cli, teams_cli):
    module.register(app)


def main() -> None:
    """Run the command line; a bad argument is one line on stderr and exit code 2."""
    try:
        result = app(standalone_mode=False)
    except typer.TyperException as error:
        # usage errors carry the command they belong to, so point at its --help
        ctx = getattr(error, "ctx", None)
        where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        typer.echo(f"error: {error.format_message()}{where}", err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
