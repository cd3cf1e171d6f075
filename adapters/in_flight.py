"""Counting work still running in an adapter, so shutdown (and tests) can wait for it to end."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["InFlight"]


class InFlight:
    """Count pieces of work still running; ``wait_idle`` returns once there are none."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        """How much work is counted now."""
        return self._count

    def begin(self) -> None:
        """Count one more piece of work (``end`` it exactly once)."""
        self._count += 1
        self._idle.clear()

    def end(self) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self.begin()
        try:
            yield
        finally:
            self.end()

    async def wait_idle(self) -> None:
        """Return once no counted work is running."""
        await self._idle.wait()

    async def wait_idle_at_most(self, seconds: float) -> None:
        """Return once nothing is counted, or after ``seconds`` at the latest."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), seconds)
