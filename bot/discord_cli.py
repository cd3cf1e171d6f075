"""``unmentor discord ...``: helpers for setting up the Discord bot."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    discord_app = typer.Typer(help="Set up the Discord bot.", no_args_is_help=True)

    @discord_app.command("invite-url")
    def invite_url_command(
        client_id: int | None = typer.Option(
            None,
            "--client-id",
            help="The application id (Developer Portal -> General Information); "
            "default: DISCORD_APPLICATION_ID.",
        ),
    ) -> None:
        """Print the URL that adds the bot to a server with the permissions it needs."""
        from adapters.discord.invite import REQUIRED_PERMISSIONS, invite_url
        from bot.discord_config import DiscordSettings

        application_id = client_id or DiscordSettings().application_id
        if application_id is None:
            raise typer.BadParameter(
                "give --client-id or set DISCORD_APPLICATION_ID", param_hint="--client-id"
            )
        typer.echo(invite_url(application_id))
        typer.echo(f"permissions integer: {REQUIRED_PERMISSIONS.value}", err=True)

    app.add_typer(discord_app, name="discord")
