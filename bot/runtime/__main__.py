"""``python -m bot.runtime``: run the scheduler and delivery against the HTTP (webhook) platform.

Slack and Discord start through ``unmentor run``; this entry serves a platform that receives each
send as an HTTP POST (``UNMENTOR_HTTP_PLATFORM_URL``), for integrations and replica tests.
"""

from __future__ import annotations

import asyncio
import sys

from adapters.http_platform import HttpPlatform
from bot.config import Settings, secret_values
from bot.runtime.log_setup import configure_logging
from bot.runtime.serve import serve


async def _run(settings: Settings, url: str) -> None:
    async with HttpPlatform(url) as platform:
        await serve(settings, platform)


def main() -> None:
    settings = Settings()
    configure_logging(
        settings.log_level,
        settings.log_format,
        library_level=settings.library_log_level,
        secrets=secret_values(settings),
    )
    if not settings.http_platform_url:
        sys.exit("UNMENTOR_HTTP_PLATFORM_URL is not set: nowhere to deliver messages.")
    asyncio.run(_run(settings, settings.http_platform_url))


if __name__ == "__main__":
    main()
