"""Keep under the Bot Connector's published rate limits, rather than run into its 429s.

Microsoft publishes, per bot and conversation ("thread"), 7 calls a second, 8 in 2 seconds and
60 in 30 seconds, and per app and tenant 50 calls a second; a 429 beyond them comes with a wait
that is whole seconds at best. Spacing calls to fit costs nothing when traffic is light and keeps
a 1,000-intro round at the limits' own pace (``bench/teams.py``). A 429 that still comes (another
replica sharing the app's budget) goes to the shared delivery's pause as before.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

__all__ = ["APP_LIMITS", "CONVERSATION_LIMITS", "ConnectorLimits"]

# (seconds, calls) windows
CONVERSATION_LIMITS = ((1.0, 7), (2.0, 8), (30.0, 60))
APP_LIMITS = ((1.0, 50),)
# A call reaches Microsoft a little after it leaves: windows are kept this much longer, so two
# calls that left a window apart never arrive inside one.
_MARGIN_SECONDS = 0.02


class _Windows:
    def __init__(self, limits: tuple[tuple[float, int], ...]) -> None:
        self.limits = limits
        self.calls: deque[float] = deque(maxlen=max(count for _, count in limits))

    def wait_for(self, now: float) -> float:
        """Return how long to wait before one more call fits every window."""
        wait = 0.0
        for seconds, count in self.limits:
            if len(self.calls) >= count:
                wait = max(wait, self.calls[-count] + seconds + _MARGIN_SECONDS - now)
        return wait


class ConnectorLimits:
    def __init__(
        self,
        conversation_limits: tuple[tuple[float, int], ...] = CONVERSATION_LIMITS,
        app_limits: tuple[tuple[float, int], ...] = APP_LIMITS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._conversation_limits, self._now = conversation_limits, now
        self._app = _Windows(app_limits)
        self._conversations: dict[str, _Windows] = {}
        self._lock = asyncio.Lock()

    async def take(self, conversation: str | None) -> None:
        """Wait until one more call (to ``conversation``, if it names one) fits the limits."""
        async with self._lock:
            windows = [self._app]
            if conversation is not None:
                if len(self._conversations) > 10_000:  # old conversations' windows are long past
                    self._conversations.clear()
                windows.append(
                    self._conversations.setdefault(
                        conversation, _Windows(self._conversation_limits)
                    )
                )
            while (wait := max(w.wait_for(self._now()) for w in windows)) > 0:
                await asyncio.sleep(wait)
            for w in windows:
                w.calls.append(self._now())
