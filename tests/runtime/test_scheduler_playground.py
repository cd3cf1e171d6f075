"""`unmentor run` leaves a playground's community alone, even in the bot's own database."""

from __future__ import annotations

from adapters.console.platform import CONSOLE_PLATFORM
from bot.runtime.metrics import Metrics
from bot.runtime.scheduler import RoundScheduler, programme_job_id
from pairing_core.community import CommunitySettings
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.community_setup import ensure_community
from tests.unit.conftest import COMMUNITY, World


class TestPlaygroundCommunities:
    async def test_the_scheduler_never_schedules_a_playground_community(self) -> None:
        world = World()
        await world.setup()
        await ensure_community(
            world.uow,
            world.clock.now(),
            "playground",
            CONSOLE_PLATFORM,
            "the playground",
            ProgrammeSettings(reflections_channel="reflections"),
            CommunitySettings(admins=frozenset({"admin"})),
        )
        scheduler = RoundScheduler(lambda: world.services, Metrics(), None, resync_seconds=3600)
        scheduler.scheduler.start(paused=True)  # jobs are placed, none runs
        try:
            await scheduler.resync()
            jobs = sorted(job.id for job in scheduler.scheduler.get_jobs())
        finally:
            scheduler.shutdown()
        assert jobs == [programme_job_id(COMMUNITY, GENERAL)]
