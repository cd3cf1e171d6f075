"""``unmentor discord invite-url`` and the settings read from the environment."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from adapters.discord.invite import REQUIRED_PERMISSIONS
from bot.discord_cli import register
from bot.discord_config import DiscordSettings


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """unmentor"""

    register(app)
    return app


class TestInviteUrl:
    def test_it_prints_the_url_with_the_bot_and_commands_scopes_and_permissions(self) -> None:
        result = CliRunner().invoke(_app(), ["discord", "invite-url", "--client-id", "1234"])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == (
            "https://discord.com/oauth2/authorize?client_id=1234"
            "&scope=bot+applications.commands&permissions=343597452288"
        )

    def test_the_permissions_are_only_what_the_bot_uses(self) -> None:
        granted = {name for name, on in REQUIRED_PERMISSIONS if on}
        assert granted == {
            "read_messages",  # discord.py's name for View Channels
            "send_messages",
            "read_message_history",
            "create_private_threads",
            "send_messages_in_threads",
        }

    def test_without_a_client_id_it_says_what_is_missing(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("DISCORD_APPLICATION_ID", raising=False)
        monkeypatch.chdir("/")  # no .env
        result = CliRunner().invoke(_app(), ["discord", "invite-url"])
        assert result.exit_code == 2
        assert "DISCORD_APPLICATION_ID" in result.output


class TestDiscordSettings:
    def test_guild_ids_are_a_comma_separated_list(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DISCORD_TOKEN", "t")
        monkeypatch.setenv("DISCORD_GUILD_IDS", "123, 456")
        settings = DiscordSettings(_env_file=None)  # type: ignore[call-arg]
        assert settings.guild_ids == (123, 456) and settings.configured
