"""Figures kept a short while, so a page read by many admins at once is computed once.

A programme's figures change only as rounds run and people answer; recomputing them (every
group of every round, and the experiment's bootstrap, which takes seconds for a large programme)
for each page view would cost far more than the page. The first request waits for them; after
``FRESH_FOR`` the kept copy is still served while one background task reads them again. Each
replica keeps its own copy; the dashboard forgets a programme's copy at once when an admin
changes the programme through the dashboard.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["FRESH_FOR", "FreshCache"]

log = logging.getLogger(__name__)

FRESH_FOR = 60.0  # seconds

T = TypeVar("T")


class FreshCache(Generic[T]):
    """Values by key, each computed by one caller at a time, read again once ``fresh_for`` old."""

    def __init__(self, fresh_for: float = FRESH_FOR) -> None:
        self._fresh_for = fresh_for
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._refreshing: dict[Hashable, asyncio.Task[None]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """Return the value kept for ``key``: computed now when there is none, else the kept one
        (read again in the background when stale)."""
        kept = self._values.get(key)
        if kept is None:
            lock = self._locks.setdefault(key, asyncio.Lock())
            async with lock:  # requests arriving together wait for one computation
                kept = self._values.get(key)
                if kept is None:
                    value = await compute()
                    self._values[key] = (time.monotonic(), value)
                    return value
        if time.monotonic() - kept[0] >= self._fresh_for and key not in self._refreshing:
            self._refreshing[key] = asyncio.create_task(self._refresh(key, compute))
        return kept[1]

    async def _refresh(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> None:
        try:
            self._values[key] = (time.monotonic(), await compute())
        except Exception:  # the kept copy stays; the next request tries again
            log.exception("reading the figures again failed")
        finally:
            self._refreshing.pop(key, None)

    def forget(self, key: Hashable) -> None:
        self._values.pop(key, None)
        refreshing = self._refreshing.pop(key, None)
        if refreshing is not None:  # it may have read the programme before the change
            refreshing.cancel()
