"""The dashboard bench's browsers: signed-in clients asking for one page, in their own process.

Run by ``bench/dashboard.py`` in a separate process, so that the clients' own work (sending,
reading and checking 80 KB pages) does not share the server's interpreter, as browsers would
not. Reads a JSON job on stdin, prints each page's time in milliseconds as a JSON list.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp


async def _client(url: str, cookie: dict[str, str], pages: int, times: list[float]) -> None:
    async with aiohttp.ClientSession(cookies=cookie) as session:
        for _ in range(pages):
            began = time.perf_counter()
            async with session.get(url) as response:
                body = await response.read()
                if response.status != 200 or b"The experiment" not in body:
                    raise SystemExit(f"unexpected page: {response.status}")
            times.append((time.perf_counter() - began) * 1000)


async def _main() -> None:
    job = json.load(sys.stdin)
    times: list[float] = []
    each = job["pages"] // len(job["cookies"])
    await asyncio.gather(*(_client(job["url"], c, each, times) for c in job["cookies"]))
    print(json.dumps(times))


if __name__ == "__main__":
    asyncio.run(_main())
