"""The scheduler: one date job per community at its next due step, resynced every minute."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from adapters.console.platform import CONSOLE_PLATFORM
from bot.runtime.metrics import Metrics
from pairing_core.services.context import Services
from pairing_core.services.data_rights import erase_departed
from pairing_core.services.round_calendar import next_due_at, run_due_steps

__all__ = ["RoundScheduler"]

log = logging.getLogger(__name__)

_RESYNC_JOB = "resync"
_RETENTION_JOB = "erase-departed"


class RoundScheduler:
    """Run each community's round steps when they fall due.

    Every replica runs one; the core's per-community lock makes a step that two replicas run at
    once happen once. The resync job picks up communities and settings other replicas changed.
    Due times come from the (possibly simulated) clock and are turned into a wait from the real
    wall time, which is what APScheduler fires on.
    """

    def __init__(
        self,
        new_services: Callable[[], Services],
        metrics: Metrics,
        grace: timedelta | None,
        resync_seconds: float = 60.0,
        on_steps: Callable[[list[str]], None] = lambda steps: None,
        retention: timedelta | None = None,
    ) -> None:
        self._new_services = new_services
        self._metrics = metrics
        self._grace = grace
        self._resync_seconds = resync_seconds
        self._on_steps = on_steps
        self._retention = retention
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        """Start, with a resync at once and then every ``resync_seconds``."""
        self.scheduler.start()
        self.scheduler.add_job(
            self.resync,
            "interval",
            seconds=self._resync_seconds,
            id=_RESYNC_JOB,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            misfire_grace_time=None,
            max_instances=1,
        )
        if self._retention is not None:
            self.scheduler.add_job(
                self.erase_departed,
                "interval",
                days=1,
                id=_RETENTION_JOB,
                next_run_time=datetime.now(UTC),
                coalesce=True,
                misfire_grace_time=None,
                max_instances=1,
            )

    async def erase_departed(self) -> None:
        """Erase members who left longer ago than the retention period (daily)."""
        if self._retention is None:
            return
        try:
            erased = await erase_departed(self._new_services(), self._retention)
        except Exception:
            log.exception("retention erasure failed; it runs again tomorrow")
            return
        if erased:
            log.info("retention: erased %d member(s) who left", len(erased))

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def resync(self) -> None:
        """Schedule a job for every community at its next due step."""
        services = self._new_services()
        async with services.uow:
            communities = await services.uow.communities.list()
        for community in communities:
            # a playground's community lives on simulated time and has nobody to deliver to
            if community.platform != CONSOLE_PLATFORM:
                await self.schedule(community.id)

    def reschedule_soon(self, community_id: str) -> None:
        """Move the community's job to its next due step now: its timetable just changed here.

        Other replicas learn of the change at their next resync.
        """
        self.scheduler.add_job(
            self.schedule,
            args=[community_id],  # no trigger: run once, at once
            id=f"reschedule:{community_id}",
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def schedule(self, community_id: str, idle_wait: timedelta = timedelta(0)) -> None:
        """(Re)place the community's job at its next due time; with none, after ``idle_wait``."""
        services = self._new_services()
        due = await next_due_at(services.uow, community_id)
        wait = (due - services.clock.now()) if due is not None else idle_wait
        self.scheduler.add_job(
            self.run_community,
            "date",
            run_date=datetime.now(UTC) + max(wait, timedelta(0)),
            args=[community_id],
            id=f"community:{community_id}",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def run_community(self, community_id: str) -> None:
        """Run the community's due steps, then schedule its next one."""
        try:
            done = await run_due_steps(self._new_services(), community_id, self._grace)
        except Exception:
            log.exception("round steps for %s failed; the next resync retries them", community_id)
            return
        if done:
            log.info("%s: %s", community_id, "; ".join(done))
            self._metrics.record_steps(done)
            self._on_steps(done)
        # nothing due at all (which run_due_steps prevents by scheduling a round): no busy loop
        await self.schedule(community_id, idle_wait=timedelta(seconds=self._resync_seconds))
