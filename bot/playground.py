"""The playground: a terminal chat where one person acts as every member of a community."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from adapters.console.platform import CONSOLE_PLATFORM, ConsolePlatform
from adapters.console.session import PLAYGROUND_HELP, PlaygroundClock, PlaygroundSession
from adapters.persistence import session_factory
from adapters.persistence.playground_clock import load_simulated_time, save_simulated_time
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from pairing_core.community import CommunitySettings
from pairing_core.programme import ProgrammeSettings
from pairing_core.services.community_setup import ensure_community

__all__ = ["PLAYGROUND_COMMUNITY", "run_playground"]

PLAYGROUND_COMMUNITY = "playground"


async def run_playground(settings: Settings, seed: int | None = None) -> None:
    """Read lines from standard input until it ends or the person quits.

    The data goes to ``settings.playground_database_url``, never to the bot's own database.
    """
    interactive = sys.stdin.isatty()
    database = settings.model_copy(update={"database_url": settings.playground_database_url})
    async with open_storage(database) as storage:
        sessions = session_factory(storage.engine)
        # the simulated time resumes where the last session left it; it never goes backwards
        stored = await load_simulated_time(sessions, PLAYGROUND_COMMUNITY)
        clock = PlaygroundClock(max(stored or datetime.now(UTC), datetime.now(UTC)))
        platform = ConsolePlatform(lambda text: print(text, flush=True), now=clock.now)
        services = services_for(storage, clock, seed, settings.retention_days)
        await ensure_community(
            storage.uow,
            clock.now(),
            PLAYGROUND_COMMUNITY,
            CONSOLE_PLATFORM,
            "the playground",
            ProgrammeSettings(reflections_channel="reflections"),
            CommunitySettings(admins=frozenset({"admin"})),
        )

        async def keep_time(moment: datetime) -> None:
            await save_simulated_time(sessions, PLAYGROUND_COMMUNITY, moment)

        session = PlaygroundSession(
            services, platform, clock, PLAYGROUND_COMMUNITY, on_time_moved=keep_time
        )
        print(f"unmentor playground — data in {settings.playground_database_url}")
        print(PLAYGROUND_HELP)
        while True:
            try:
                line = input("> ") if interactive else sys.stdin.readline()
            except EOFError:
                break
            if not interactive:
                if not line:
                    break
                print(f"> {line.rstrip()}")
            if not await session.handle_line(line):
                break
