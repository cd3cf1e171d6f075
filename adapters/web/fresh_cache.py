"""Figures kept a short while, so a page read by many admins at once is computed once.

A programme's figures change only as rounds run and people answer; recomputing them (every
group of every round, and the experiment's bootstrap) for each page view would cost far more than
the page. Each replica keeps its own copy for ``FRESH_FOR``; the dashboard forgets a programme's
copy at once when an admin changes it through the dashboard.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["FRESH_FOR", "FreshCache"]

FRESH_FOR = 30.0  # seconds

T = TypeVar("T")


class FreshCache(Generic[T]):
    """Values by key, each computed by one caller at a time and kept ``fresh_for`` seconds."""

    def __init__(self, fresh_for: float = FRESH_FOR) -> None:
        self._fresh_for = fresh_for
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """Return the value kept for ``key``, computing it when missing or stale."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # requests arriving together wait for one computation
            kept = self._values.get(key)
            if kept is not None and time.monotonic() - kept[0] < self._fresh_for:
                return kept[1]
            value = await compute()
            self._values[key] = (time.monotonic(), value)
            return value

    def forget(self, key: Hashable) -> None:
        self._values.pop(key, None)
