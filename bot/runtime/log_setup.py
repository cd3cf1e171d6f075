"""Logging: readable lines by default, one JSON object a line with ``UNMENTOR_LOG_FORMAT=json``.

``UNMENTOR_LOG_LEVEL`` sets the bot's own loggers only. Third-party loggers (slack-sdk, bolt,
SQLAlchemy, aiohttp, discord.py, APScheduler, ...) stay at INFO, and SQLAlchemy at WARNING, unless
``UNMENTOR_LIBRARY_LOG_LEVEL`` asks for more: at DEBUG they log request and response bodies and SQL
parameters, so personal data, and tokens but for the redaction filter every line goes through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from bot.runtime.log_redaction import RedactSecrets

__all__ = ["OWN_LOGGERS", "JsonFormatter", "configure_logging"]

_TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
OWN_LOGGERS = ("pairing_core", "adapters", "bot", "migrations")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            # exc_text, when set, is the traceback with secrets already taken out
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _level(name: str, setting: str) -> int:
    level = logging.getLevelName(name.strip().upper())
    if not isinstance(level, int):
        raise ValueError(f"{setting} must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {name!r}")
    return level


def configure_logging(
    level: str = "INFO",
    log_format: str = "text",
    *,
    library_level: str | None = None,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> None:
    """Send every record to standard error (or ``stream``), secrets redacted, in one format.

    ``level`` is the bot's own; ``library_level`` that of every other logger (default: the
    bot's, but never below INFO, and SQLAlchemy never below WARNING). ``secrets`` are values
    to blank out wherever they appear, beside the token shapes always blanked out.
    """
    handler = logging.StreamHandler(stream)
    if log_format.lower() == "json":
        handler.setFormatter(JsonFormatter())
    elif log_format.lower() == "text":
        handler.setFormatter(logging.Formatter(_TEXT_FORMAT))
    else:
        raise ValueError(f"UNMENTOR_LOG_FORMAT must be 'text' or 'json', not {log_format!r}")
    handler.addFilter(RedactSecrets(secrets))
    own = _level(level, "UNMENTOR_LOG_LEVEL")
    if library_level:
        libraries = sql = _level(library_level, "UNMENTOR_LIBRARY_LOG_LEVEL")
    else:
        # SQLAlchemy logs every statement with its parameters at INFO
        libraries, sql = max(own, logging.INFO), max(own, logging.WARNING)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(libraries)
    logging.getLogger("sqlalchemy").setLevel(sql)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)
