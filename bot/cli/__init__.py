"""The ``unmentor`` command line: every command module registers itself on one Typer app."""

from __future__ import annotations

import typer

from bot.cli import db, playground, run, simulate

__all__ = ["app", "main"]

app = typer.Typer(
    name="unmentor",
    help="UnMentoring (Randomised Coffee Trials) for Slack and Discord communities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (run, playground, simulate, db):
    module.register(app)


def main() -> None:
    """Run the command line."""
    app()
