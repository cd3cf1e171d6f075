"""The scheduler: one date job per programme at its next due step, resynced every minute."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from adapters.console.platform import CONSOLE_PLATFORM
from bot.runtime.metrics import Metrics
from pairing_core.errors import UnknownCommunity, UnknownProgramme
from pairing_core.services.context import Services
from pairing_core.services.data_rights import erase_departed
from pairing_core.services.round_calendar import next_due_at, next_due_times, run_due_steps

__all__ = ["RoundScheduler", "programme_job_id"]

log = logging.getLogger(__name__)

_RESYNC_JOB = "resync"
_RETENTION_JOB = "erase-departed"
_PROGRAMME_JOB = "programme:"


def programme_job_id(community_id: str, programme_id: str) -> str:
    """Return the id of the job that runs the programme's round steps."""
    return f"{_PROGRAMME_JOB}{community_id}/{programme_id}"


class RoundScheduler:
    """Run each programme's round steps when they fall due.

    Every replica runs one; the core's per-programme lock makes a step that two replicas run at
    once happen once. The resync job picks up programmes and settings other replicas changed,
    and drops the jobs of programmes archived or gone. Due times come from the (possibly
    simulated) clock and are turned into a wait from the real wall time, which is what
    APScheduler fires on.
    """

    def __init__(
        self,
        new_services: Callable[[], Services],
        metrics: Metrics,
        grace: timedelta | None,
        resync_seconds: float = 60.0,
        on_steps: Callable[[list[str]], None] = lambda steps: None,
        retention: timedelta | None = None,
        concurrent_steps: int = 4,
    ) -> None:
        self._new_services = new_services
        # Programmes' steps fall due together (every Monday 09:30): running them all at once would
        # only queue them on the database (SQLite, one writer at a time, fails those that wait
        # past its busy timeout), so at most this many run at once and the rest wait here.
        self._concurrent_steps = concurrent_steps
        self._step_slots: asyncio.Semaphore | None = None
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
        """Place a job for every active programme at its next due step; drop the others' jobs.

        Reads every programme, and their due times, in one unit of work.
        """
        services = self._new_services()
        async with services.uow:
            communities = await services.uow.communities.list()
            programmes = await services.uow.programmes.every()
        # a playground's community lives on simulated time and has nobody to deliver to
        playgrounds = {c.id for c in communities if c.platform == CONSOLE_PLATFORM}
        served = [p for p in programmes if p.community_id not in playgrounds]
        due = await next_due_times(services.uow, served)
        # an archived programme keeps its job only while its last round still has steps to run
        running = [p for p in served if p.active or due[(p.community_id, p.id)] is not None]
        now = services.clock.now()
        for programme in running:
            key = (programme.community_id, programme.id)
            self._place(*key, due[key], now, idle_wait=timedelta(0))
        wanted = {programme_job_id(p.community_id, p.id) for p in running}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(_PROGRAMME_JOB) and job.id not in wanted:
                job.remove()

    def reschedule_soon(self, community_id: str, programme_id: str) -> None:
        """Move the programme's job to its next due step now: its timetable just changed here.

        Other replicas learn of the change at their next resync.
        """
        self.scheduler.add_job(
            self.schedule,
            args=[community_id, programme_id],  # no trigger: run once, at once
            id=f"reschedule:{community_id}/{programme_id}",
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def schedule(
        self, community_id: str, programme_id: str, idle_wait: timedelta = timedelta(0)
    ) -> None:
        """(Re)place the programme's job at its next due time; with none, after ``idle_wait``.

        A programme archived or gone (or a playground's) loses its job instead.
        """
        services = self._new_services()
        async with services.uow:
            community = await services.uow.communities.get(community_id)
            programme = await services.uow.programmes.get(community_id, programme_id)
        if community is None or community.platform == CONSOLE_PLATFORM or programme is None:
            self._drop(community_id, programme_id)
            return
        due = await next_due_at(services.uow, community_id, programme_id)
        if due is None and not programme.active:  # archived, its last round over
            self._drop(community_id, programme_id)
            return
        self._place(community_id, programme_id, due, services.clock.now(), idle_wait)

    def _place(
        self,
        community_id: str,
        programme_id: str,
        due: datetime | None,
        now: datetime,
        idle_wait: timedelta,
    ) -> None:
        wait = (due - now) if due is not None else idle_wait
        self.scheduler.add_job(
            self.run_programme,
            "date",
            run_date=datetime.now(UTC) + max(wait, timedelta(0)),
            args=[community_id, programme_id],
            id=programme_job_id(community_id, programme_id),
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    def _drop(self, community_id: str, programme_id: str) -> None:
        job = self.scheduler.get_job(programme_job_id(community_id, programme_id))
        if job is not None:
            job.remove()

    async def run_programme(self, community_id: str, programme_id: str) -> None:
        """Run the programme's due steps, then schedule its next one."""
        where = f"{community_id}/{programme_id}"
        if self._step_slots is None:  # made here, on the running event loop
            self._step_slots = asyncio.Semaphore(self._concurrent_steps)
        try:
            async with self._step_slots:
                done = await run_due_steps(
                    self._new_services(), community_id, programme_id, self._grace
                )
        except (UnknownCommunity, UnknownProgramme) as error:  # deleted meanwhile
            log.info("%s: no round steps (%s)", where, error)
            await self.schedule(community_id, programme_id)
            return
        except Exception:
            log.exception("round steps for %s failed; the next resync retries them", where)
            return
        if done:
            log.info("%s: %s", where, "; ".join(done))
            self._metrics.record_steps(done)
            self._on_steps(done)
        # nothing due at all (which run_due_steps prevents by scheduling a round): no busy loop
        await self.schedule(
            community_id, programme_id, idle_wait=timedelta(seconds=self._resync_seconds)
        )
