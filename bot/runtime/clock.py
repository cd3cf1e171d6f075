"""Clocks for the runtime: the system clock, or a shared file that simulations move forward."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

__all__ = ["FileClock"]


class FileClock:
    """Read the time from a file holding one ISO 8601 timestamp, for simulations only.

    Several processes reading one file share one simulated time, which a test or simulation moves
    forward by rewriting the file. Set with ``UNMENTOR_SIMULATED_CLOCK_FILE``; never in production.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._last = datetime.fromtimestamp(0, UTC)

    def now(self) -> datetime:
        try:
            text = self._path.read_text(encoding="utf-8").strip()
            moment = datetime.fromisoformat(text)
        except (OSError, ValueError):
            return self._last  # the file is being rewritten: keep the last time read
        self._last = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return self._last
