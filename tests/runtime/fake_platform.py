"""A chat platform served over HTTP for ``HttpPlatform``: records every call, limits rates, dedupes.

Used by the runtime tests, the replica test and ``bench/delivery.py``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    key: str | None


@dataclass
class FakePlatformServer:
    """``limit`` calls per ``window`` seconds per method (None: unlimited), refused with 429."""

    limit: int | None = None
    window: float = 1.0
    accepted: list[Call] = field(default_factory=list)
    refused: int = 0  # 429s answered
    repeats: int = 0  # calls dropped because their idempotency key was seen
    conversations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    url: str = ""
    _runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{method}", self._handle)
        return app

    async def start(self) -> str:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _rate_limited(self, method: str) -> float | None:
        if self.limit is None:
            return None
        now = time.monotonic()
        start, used = self._windows.get(method, (now, 0))
        if now - start >= self.window:
            start, used = now, 0
        if used >= self.limit:
            return start + self.window - now
        self._windows[method] = (start, used + 1)
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await request.json()
        key = request.headers.get("Idempotency-Key")
        wait = self._rate_limited(method)
        if wait is not None:
            self.refused += 1
            return web.json_response(
                {"error": "ratelimited"}, status=429, headers={"Retry-After": f"{wait:.3f}"}
            )
        if key is not None and (method, key) in self._answers:
            self.repeats += 1
            return web.json_response(self._answers[(method, key)])
        answer = self._answer(method, body)
        self.accepted.append(Call(method, body, key))
        if key is not None:
            self._answers[(method, key)] = answer
        return web.json_response(answer)

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "open_group":
            members = tuple(sorted(body["member_ids"]))
            conversation = f"G-{'-'.join(members)}"
            self.conversations[conversation] = members
            return {"conversation_id": conversation}
        if method == "display_name":
            return {"name": body["member_id"]}
        return {"ref": f"m{len(self.accepted) + 1}"}

    def sends(self, method: str = "send") -> list[Call]:
        return [c for c in self.accepted if c.method == method]
