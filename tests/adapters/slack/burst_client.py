"""Send signed Slack requests all at once from another process, as Slack would, and time them.

Run as ``python -m tests.adapters.slack.burst_client`` with ``{"url", "bodies"}`` as JSON on
stdin; prints one ``[status, seconds, body]`` per request as JSON. A process of its own, so the
client's work does not share the bot's event loop and slow the answers it measures.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp

from tests.adapters.slack.conftest import sign


async def _burst(url: str, bodies: list[str]) -> list[tuple[int, float, str]]:
    connector = aiohttp.TCPConnector(limit=0)  # every request at once
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(body: str) -> tuple[int, float, str]:
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            started = time.monotonic()
            async with session.post(url, data=body, headers=headers) as resp:
                text = await resp.text()
            return resp.status, time.monotonic() - started, text

        return await asyncio.gather(*(send(body) for body in bodies))


def main() -> None:
    order = json.load(sys.stdin)
    json.dump(asyncio.run(_burst(order["url"], order["bodies"])), sys.stdout)


if __name__ == "__main__":
    main()
