"""``unmentor teams ...``: helpers for setting up the Teams app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DEFAULT_OUT = Path("teams-app")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")


def register(app: typer.Typer) -> None:
    teams_app = typer.Typer(help="Set up the Microsoft Teams app.", no_args_is_help=True)

    @teams_app.command("package")
    def package_command(
        app_id: str = typer.Option(
            ..., "--app-id", help="The Azure Bot's Microsoft App ID (TEAMS_APP_ID)."
        ),
        domain: str = typer.Option(
            ..., "--domain", help="Where the bot is served, e.g. unmentor.council.gov.uk."
        ),
        out: Annotated[
            Path, typer.Option("--out", help="Folder to write manifest.json, icons and the zip to.")
        ] = _DEFAULT_OUT,
    ) -> None:
        """Write the Teams app package to upload in Teams (Apps -> Manage your apps)."""
        from adapters.teams.app_package import write_package

        if not _GUID.match(app_id):
            raise typer.BadParameter("the app id is a GUID", param_hint="--app-id")
        if not _DOMAIN.match(domain):
            raise typer.BadParameter(
                "a host name such as unmentor.council.gov.uk", param_hint="--domain"
            )
        typer.echo(str(write_package(out, app_id, domain)))

    app.add_typer(teams_app, name="teams")
