"""The delivery loop: send the outbox every few seconds, and at once when a step wrote to it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.runtime.metrics import Metrics
from pairing_core.ports import ChatPlatform
from pairing_core.services.context import Services
from pairing_core.services.delivery import DeliveryReport, deliver_pending

__all__ = ["DeliveryWorker"]

log = logging.getLogger(__name__)


class DeliveryWorker:
    """Call ``deliver_pending`` in a loop until cancelled; a failed pass never stops the next."""

    def __init__(
        self,
        new_services: Callable[[], Services],
        platform: ChatPlatform | None,
        metrics: Metrics,
        interval: float,
        outbox_depth: Callable[[], Awaitable[int]] | None = None,
        batch: int = 100,
        deliver: Callable[[], Awaitable[DeliveryReport]] | None = None,
        except_platform: str | None = None,
    ) -> None:
        self._new_services = new_services
        self._platform = platform
        self._metrics = metrics
        self._interval = interval
        self._outbox_depth = outbox_depth
        self._batch = batch
        self._wake = asyncio.Event()
        # an adapter with its own delivery pass (e.g. Discord's closed-DM follow-up) supplies it
        self._deliver = deliver
        # with ``platform``: the communities of this platform are left for others (the playground)
        self._except_platform = except_platform
        if platform is None and deliver is None:
            raise ValueError("a delivery worker needs a platform or a deliver function")

    def wake(self) -> None:
        """Deliver now rather than at the next interval (a step has just written messages)."""
        self._wake.set()

    async def run_once(self) -> float:
        """Deliver one batch; return how long to wait before the next."""
        services = self._new_services()
        if self._deliver is not None:
            report = await self._deliver()
        else:
            assert self._platform is not None
            report = await deliver_pending(
                services, self._platform, limit=self._batch, except_platform=self._except_platform
            )
        self._metrics.record_delivery(report)
        if self._outbox_depth is not None:
            self._metrics.outbox_depth.set(await self._outbox_depth())
        if report.claimed >= self._batch:
            # more may be due, and a claim skips whatever a pause the platform asked for holds
            return 0.0
        if report.paused_until is not None:
            # the platform asked to wait (this worker or another): come back when that ends
            pause = (report.paused_until - services.clock.now()).total_seconds()
            return min(max(pause, 0.0), self._interval)
        return self._interval

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                wait = await self.run_once()
            except Exception:
                log.exception("delivery pass failed")
                wait = self._interval
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
