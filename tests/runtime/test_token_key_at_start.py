"""What ``unmentor run`` says at start-up about the key that encrypts stored Slack tokens."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.persistence.token_cipher import TokenCipher
from bot.config import Settings
from bot.slack_config import SlackSettings
from bot.slack_plugin import slack_plugin
from tests.cli.test_command_line import unmentor
from tests.cli.test_secrets_command import stored_with
from tests.runtime.serving import free_port, serving

UNENCRYPTED = "Slack tokens are stored unencrypted"


def oauth_slack() -> SlackSettings:
    # starting needs no call to Slack: nothing listens at the API address
    return SlackSettings(
        client_id="111.222",
        client_secret=SecretStr("client-secret"),
        signing_secret=SecretStr("signing-secret"),
        api_base_url="http://127.0.0.1:9/api/",
    )


def settings(tmp_path: Path, secret_key: str | None = None) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        host="127.0.0.1",
        port=free_port(),
        secret_key=SecretStr(secret_key) if secret_key is not None else None,
    )


class TestStartUp:
    async def test_without_a_key_one_warning_says_tokens_are_stored_unencrypted(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING):
            async with serving(settings(tmp_path), slack_plugin(oauth_slack())):
                pass
        warnings = [r for r in caplog.records if UNENCRYPTED in r.getMessage()]
        assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
        assert "UNMENTOR_SECRET_KEY" in warnings[0].getMessage()

    async def test_with_a_key_nothing_is_said(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING):
            async with serving(
                settings(tmp_path, TokenCipher.new_key()), slack_plugin(oauth_slack())
            ):
                pass
        assert not [r for r in caplog.records if UNENCRYPTED in r.getMessage()]

    def test_a_key_that_cannot_read_the_stored_tokens_stops_the_bot_with_one_clear_line(
        self, tmp_path: Path
    ) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        stored_with(url, TokenCipher([TokenCipher.new_key()]))
        result = unmentor(
            "run",
            cwd=tmp_path,
            env={
                "UNMENTOR_DATABASE_URL": url,
                "UNMENTOR_HOST": "127.0.0.1",
                "UNMENTOR_PORT": str(free_port()),
                "UNMENTOR_SECRET_KEY": TokenCipher.new_key(),
                "SLACK_CLIENT_ID": "111.222",
                "SLACK_CLIENT_SECRET": "client-secret",
                "SLACK_SIGNING_SECRET": "signing-secret",
                "SLACK_API_BASE_URL": "http://127.0.0.1:9/api/",
            },
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("error: None of the keys in UNMENTOR_SECRET_KEY"), result.stderr
