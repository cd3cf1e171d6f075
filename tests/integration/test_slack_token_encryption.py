"""Slack tokens at rest, on SQLite and PostgreSQL: encrypted with UNMENTOR_SECRET_KEY, rotated."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_installations import (
    SqlSlackInstallationStore,
    reseal_stored_tokens,
)
from adapters.persistence.token_cipher import SecretKeyError, TokenCipher

OLD_KEY, NEW_KEY = TokenCipher.new_key(), TokenCipher.new_key()
SECRETS = {
    "bot_token": "xoxb-1111-2222-botsecret",
    "bot_refresh_token": "xoxe-1-botrefresh",
    "user_token": "xoxp-1111-usersecret",
    "user_refresh_token": "xoxe-1-userrefresh",
    "incoming_webhook_url": "https://hooks.slack.com/services/T1/B1/webhooksecret",
}


def store(engine: AsyncEngine, *keys: str) -> SqlSlackInstallationStore:
    return SqlSlackInstallationStore(
        session_factory(engine), client_id="111.222", cipher=TokenCipher(keys)
    )


def an_installation(**overrides: str) -> Installation:
    return Installation(
        app_id="A1",
        team_id="T1",
        team_name="Local gov",
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes=["commands"],
        user_id="UINSTALLER",
        user_scopes="",
        token_type="bot",
        installed_at=1_780_000_000.0,
        **{**SECRETS, **overrides},
    )


async def raw_values(engine: AsyncEngine) -> list[str]:
    """Every stored secret, as the database holds it."""
    statements = (
        "SELECT bot_token, bot_refresh_token, user_token, user_refresh_token, "
        "incoming_webhook_url FROM slack_installations",
        "SELECT bot_token, bot_refresh_token FROM slack_bots",
    )
    async with engine.connect() as connection:
        return [
            value
            for statement in statements
            for row in await connection.execute(text(statement))
            for value in row
        ]


async def assert_found_in_plain(found: SqlSlackInstallationStore) -> None:
    installation = await found.async_find_installation(enterprise_id=None, team_id="T1")
    assert installation is not None
    assert {name: getattr(installation, name) for name in SECRETS} == SECRETS
    assert await found.bot_token("T1") == SECRETS["bot_token"]


class TestTokensAtRest:
    async def test_with_a_key_no_column_holds_a_token_and_every_token_is_read_back(
        self, engine: AsyncEngine
    ) -> None:
        await store(engine, NEW_KEY).async_save(an_installation())
        stored = await raw_values(engine)
        assert len(stored) == 7
        for value in stored:
            assert value.startswith("fernet:")
            assert not any(secret in value for secret in SECRETS.values())
        await assert_found_in_plain(store(engine, NEW_KEY))
        assert await store(engine, NEW_KEY).check_readable() == 7

    async def test_without_a_key_tokens_are_stored_as_given(self, engine: AsyncEngine) -> None:
        await store(engine).async_save(an_installation())
        assert set(await raw_values(engine)) == set(SECRETS.values())

    async def test_a_token_of_255_characters_still_fits_once_encrypted(
        self, engine: AsyncEngine
    ) -> None:
        long_token = "xoxe.xoxb-" + "a" * 245
        await store(engine, NEW_KEY).async_save(an_installation(bot_token=long_token))
        assert await store(engine, NEW_KEY).bot_token("T1") == long_token


class TestOlderRows:
    async def test_tokens_stored_before_the_key_was_set_are_still_read(
        self, engine: AsyncEngine
    ) -> None:
        await store(engine).async_save(an_installation())
        await assert_found_in_plain(store(engine, NEW_KEY))

    async def test_rotating_encrypts_tokens_stored_before_the_key_was_set(
        self, engine: AsyncEngine
    ) -> None:
        await store(engine).async_save(an_installation())
        assert await reseal_stored_tokens(session_factory(engine), TokenCipher([NEW_KEY])) == 7
        assert all(value.startswith("fernet:") for value in await raw_values(engine))
        await assert_found_in_plain(store(engine, NEW_KEY))


class TestKeyRotation:
    async def test_a_token_sealed_with_an_older_listed_key_is_read(
        self, engine: AsyncEngine
    ) -> None:
        await store(engine, OLD_KEY).async_save(an_installation())
        await assert_found_in_plain(store(engine, NEW_KEY, OLD_KEY))

    async def test_rotating_moves_every_token_to_the_newest_key(self, engine: AsyncEngine) -> None:
        await store(engine, OLD_KEY).async_save(an_installation())
        before = await raw_values(engine)
        cipher = TokenCipher([NEW_KEY, OLD_KEY])
        assert await reseal_stored_tokens(session_factory(engine), cipher) == 7
        after = await raw_values(engine)
        assert all(value.startswith("fernet:") for value in after)
        assert set(before).isdisjoint(after)
        await assert_found_in_plain(store(engine, NEW_KEY))  # the old key is no longer needed
        with pytest.raises(SecretKeyError):
            await store(engine, OLD_KEY).bot_token("T1")

    async def test_a_key_that_reads_nothing_stored_is_named_in_a_clear_error(
        self, engine: AsyncEngine
    ) -> None:
        await store(engine, OLD_KEY).async_save(an_installation())
        with pytest.raises(SecretKeyError, match="UNMENTOR_SECRET_KEY"):
            await store(engine, NEW_KEY).check_readable()
        with pytest.raises(SecretKeyError, match="UNMENTOR_SECRET_KEY"):
            await store(engine).bot_token("T1")  # no key at all
        with pytest.raises(SecretKeyError, match="UNMENTOR_SECRET_KEY"):
            await reseal_stored_tokens(session_factory(engine), TokenCipher([NEW_KEY]))
        assert all(value.startswith("fernet:") for value in await raw_values(engine))
