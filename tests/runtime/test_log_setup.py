"""Log levels per source, and the filter that blanks out secrets in every record."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from adapters.persistence.token_cipher import TokenCipher
from bot.runtime.log_redaction import RedactSecrets
from bot.runtime.log_setup import OWN_LOGGERS, configure_logging

DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Yield the stream configure_logging writes to; put the logging setup back afterwards."""
    root = logging.getLogger()
    touched = [logging.getLogger(name) for name in (*OWN_LOGGERS, "sqlalchemy")]
    saved = list(root.handlers), root.level, [logger.level for logger in touched]
    yield io.StringIO()
    root.handlers[:], root.level = saved[0], saved[1]
    for logger, level in zip(touched, saved[2], strict=True):
        logger.setLevel(level)


class TestRedaction:
    @pytest.mark.parametrize(
        "secret",
        [
            "xoxb-1234-5678-abcDEF",
            "xoxp-1234-5678-abcDEF",
            "xapp-1-A111-222-abcdef",
            "xoxe-1-My0xLTEtYWJj",
            "xoxe.xoxb-1-abcdef",
            DISCORD_TOKEN,
            TokenCipher([TokenCipher.new_key()]).seal("x").removeprefix("fernet:"),
        ],
    )
    def test_token_shapes_are_blanked_out(self, secret: str) -> None:
        assert RedactSecrets().redact(f"got {secret}, ok") == "got [redacted], ok"

    @pytest.mark.parametrize(
        ("line", "shown"),
        [
            ("Authorization: Bearer abcdefghijklmnop1234", "Authorization: Bearer [redacted]"),
            ("Authorization: Bot abcdefghijklmnop1234", "Authorization: Bot [redacted]"),
            ("GET /slack/oauth_redirect?code=4321.abc&state=s1", "code=[redacted]&state=s1"),
            ("body: {'client_secret': 'hush', 'code': 'c1'}", "'client_secret': '[redacted]'"),
            ('{"token": "whatever-it-is"}', '{"token": "[redacted]"}'),
        ],
    )
    def test_credentials_in_headers_queries_and_bodies_are_blanked_out(
        self, line: str, shown: str
    ) -> None:
        assert shown in RedactSecrets().redact(line)

    def test_configured_secret_values_are_blanked_out_whatever_their_shape(self) -> None:
        redact = RedactSecrets(["my-signing-secret", "abc"]).redact
        assert redact("secret my-signing-secret here") == "secret [redacted] here"
        assert redact("abc stays: too short to be told from words").startswith("abc stays")

    def test_messages_arguments_and_tracebacks_are_all_redacted(self, log: io.StringIO) -> None:
        configure_logging("INFO", "json", secrets=["hush-hush-value"], stream=log)
        logger = logging.getLogger("bot.test")
        logger.info("token %s and %s", "xoxb-1-2-3", "hush-hush-value")
        try:
            raise RuntimeError("failed with xoxp-9-9-9")
        except RuntimeError:
            logger.exception("call failed")
        lines = [json.loads(line) for line in log.getvalue().splitlines()]
        assert lines[0]["message"] == "token [redacted] and [redacted]"
        assert "xoxp" not in lines[1]["exception"] and "[redacted]" in lines[1]["exception"]


class TestLevels:
    def test_the_bots_debug_leaves_libraries_at_info_and_sqlalchemy_at_warning(
        self, log: io.StringIO
    ) -> None:
        configure_logging("DEBUG", stream=log)
        logging.getLogger("bot.runtime.test").debug("own debug line")
        logging.getLogger("adapters.slack.test").debug("adapter debug line")
        logging.getLogger("slack_sdk.web.async_base_client").debug("library debug line")
        logging.getLogger("slack_bolt.App").debug("bolt debug line")
        logging.getLogger("aiohttp.access").info("access line")
        logging.getLogger("sqlalchemy.engine.Engine").info("SELECT with parameters")
        written = log.getvalue()
        assert "own debug line" in written and "adapter debug line" in written
        assert "access line" in written
        assert "library debug line" not in written and "bolt debug line" not in written
        assert "SELECT with parameters" not in written

    def test_library_debug_is_given_only_when_asked_for(self, log: io.StringIO) -> None:
        configure_logging("INFO", library_level="DEBUG", stream=log)
        logging.getLogger("slack_sdk.web.async_base_client").debug("library debug line")
        logging.getLogger("sqlalchemy.engine.Engine").info("SELECT with parameters")
        logging.getLogger("bot.runtime.test").debug("own debug line")
        written = log.getvalue()
        assert "library debug line" in written and "SELECT with parameters" in written
        assert "own debug line" not in written

    def test_a_quieter_bot_keeps_libraries_as_quiet(self, log: io.StringIO) -> None:
        configure_logging("WARNING", stream=log)
        logging.getLogger("discord.gateway").info("library info line")
        assert log.getvalue() == ""

    def test_an_unknown_level_names_its_setting(self, log: io.StringIO) -> None:
        with pytest.raises(ValueError, match="UNMENTOR_LIBRARY_LOG_LEVEL must be DEBUG"):
            configure_logging("INFO", library_level="LOUD", stream=log)
