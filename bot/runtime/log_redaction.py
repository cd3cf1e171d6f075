"""The last line of defence: a logging filter that blanks out anything shaped like a secret.

The bot's own log lines name no tokens; libraries logging at DEBUG (slack-sdk's response bodies,
SQL parameters) can. Every record is rewritten before it is written: known token shapes, secret
values from the settings, and credentials in query strings and JSON bodies become ``[redacted]``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = ["REDACTED", "RedactSecrets"]

REDACTED = "[redacted]"

_SHAPES = re.compile(
    "|".join(
        (
            # Slack bot, user, app-level, refresh and rotating tokens: xoxb-, xoxp-, xapp-,
            # xoxe-, xoxe.xoxb-
            r"\bx(?:ox[a-z]|app)(?:\.xox[a-z])?-[A-Za-z0-9-]+",
            # Discord bot tokens: the base64 user id, a timestamp and an HMAC, dot-separated
            r"\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}",
            # JSON web tokens
            r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
            # Fernet tokens (encrypted values): a version byte 0x80, then the rest
            r"\bgAAAAA[A-Za-z0-9_-]{40,}={0,2}",
        )
    )
)
# credentials after an HTTP authorization scheme (the scheme is kept)
_SCHEMES = re.compile(r"(?i)(\b(?:bearer|basic|bot)\s+)[A-Za-z0-9._~+/-]{16,}=*")
_NAMES = r"client_secret|refresh_token|access_token|token|code|signing_secret|password"
# name=value in a query string or form body; "name": "value" in JSON or a dict's repr
_NAMED_VALUES = re.compile(
    rf"(?i)(\b(?:{_NAMES})=)[^&\s'\"]+|((?:'|\")(?:{_NAMES})(?:'|\")\s*:\s*(?:'|\"))[^'\"]+"
)
_SHORTEST_SECRET = 6  # shorter configured values would blank out ordinary words


class RedactSecrets(logging.Filter):
    """Rewrite each record's message, exception and stack with secrets blanked out."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        values = sorted({s for s in secrets if len(s) >= _SHORTEST_SECRET}, key=len, reverse=True)
        self._values = re.compile("|".join(map(re.escape, values))) if values else None

    def redact(self, text: str) -> str:
        """Return ``text`` with every secret it holds replaced by ``[redacted]``."""
        if self._values is not None:
            text = self._values.sub(REDACTED, text)
        text = _SHAPES.sub(REDACTED, text)
        text = _SCHEMES.sub(lambda m: m[1] + REDACTED, text)
        return _NAMED_VALUES.sub(lambda m: (m[1] or m[2]) + REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: show both
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
