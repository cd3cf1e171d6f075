"""``unmentor secrets new-key`` and ``unmentor secrets rotate``, run as an operator would."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from pathlib import Path

from adapters.persistence import create_engine, session_factory, upgrade
from adapters.persistence.repositories.slack_installations import SqlSlackInstallationStore
from adapters.persistence.token_cipher import TokenCipher
from tests.cli.test_command_line import unmentor
from tests.integration.test_slack_token_encryption import an_installation


def stored_with(url: str, cipher: TokenCipher) -> None:
    async def save() -> None:
        await upgrade(url)
        engine = create_engine(url)
        try:
            store = SqlSlackInstallationStore(session_factory(engine), "111.222", cipher=cipher)
            await store.async_save(an_installation())
        finally:
            await engine.dispose()

    asyncio.run(save())


def bot_tokens(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [token for (token,) in connection.execute("SELECT bot_token FROM slack_bots")]


def rotate(path: Path, secret_key: str) -> subprocess.CompletedProcess[str]:
    """Run ``unmentor secrets rotate`` on a SQLite file with the setting as given."""
    env = {
        "UNMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "UNMENTOR_SECRET_KEY": secret_key,
    }
    return unmentor("secrets", "rotate", env=env)


def assert_one_line_error(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("error:")
    assert all(word in stderr for word in words), stderr


class TestNewKey:
    def test_prints_a_fresh_usable_key_each_time(self) -> None:
        first, second = unmentor("secrets", "new-key"), unmentor("secrets", "new-key")
        assert first.returncode == 0 and second.returncode == 0
        assert first.stdout != second.stdout
        assert TokenCipher.from_setting(first.stdout.strip()).encrypts


class TestRotate:
    def test_encrypts_plain_tokens_and_moves_old_ones_to_the_newest_key(
        self, tmp_path: Path
    ) -> None:
        path, old, new = tmp_path / "bot.db", TokenCipher.new_key(), TokenCipher.new_key()
        url = f"sqlite+aiosqlite:///{path}"
        stored_with(url, TokenCipher())  # before any key was set
        stored_with(url, TokenCipher([old]))
        result = rotate(path, f"{new},{old}")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "Re-encrypted 14 stored token(s) with the newest key."
        new_only = TokenCipher([new])
        assert [new_only.open(token) for token in bot_tokens(path)] == [
            "xoxb-1111-2222-botsecret"
        ] * 2

    def test_without_a_key_says_to_set_one(self, tmp_path: Path) -> None:
        result = rotate(tmp_path / "bot.db", "")
        assert result.returncode == 1
        assert_one_line_error(result.stderr, "UNMENTOR_SECRET_KEY is not set")

    def test_a_key_that_cannot_read_the_tokens_changes_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "bot.db"
        url = f"sqlite+aiosqlite:///{path}"
        stored_with(url, TokenCipher([TokenCipher.new_key()]))
        before = bot_tokens(path)
        result = rotate(path, TokenCipher.new_key())
        assert result.returncode == 1
        assert_one_line_error(result.stderr, "UNMENTOR_SECRET_KEY")
        assert bot_tokens(path) == before

    def test_a_malformed_key_is_named(self, tmp_path: Path) -> None:
        result = rotate(tmp_path / "bot.db", "abc")
        assert result.returncode == 1
        assert_one_line_error(result.stderr, "UNMENTOR_SECRET_KEY: key 1 is not a Fernet key")
