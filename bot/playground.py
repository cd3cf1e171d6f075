"""The playground: a terminal chat where one person acts as every member of a community."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from adapters.console.platform import ConsolePlatform
from adapters.console.session import PLAYGROUND_HELP, PlaygroundClock, PlaygroundSession
from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from pairing_core.community import CommunitySettings
from pairing_core.services.community_setup import ensure_community

__all__ = ["PLAYGROUND_COMMUNITY", "run_playground"]

PLAYGROUND_COMMUNITY = "playground"


async def run_playground(settings: Settings, seed: int | None = None) -> None:
    """Read lines from standard input until it ends or the person quits."""
    interactive = sys.stdin.isatty()
    platform = ConsolePlatform(lambda text: print(text, flush=True))
    async with open_storage(settings) as storage:
        clock = PlaygroundClock(datetime.now(UTC))
        services = services_for(storage, clock, seed, settings.retention_days)
        await ensure_community(
            storage.uow,
            clock.now(),
            PLAYGROUND_COMMUNITY,
            "console",
            "the playground",
            CommunitySettings(admins=frozenset({"admin"}), reflections_channel="reflections"),
        )
        session = PlaygroundSession(services, platform, clock, PLAYGROUND_COMMUNITY)
        print(f"unmentor playground — data in {settings.database_url}")
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
