"""A fake Discord REST API: a real aiohttp server speaking Discord's JSON, recording every call.

discord.py sends every request to ``DISCORD_API_BASE_URL`` (``discord.http.Route.BASE``), which
points here in tests.
It answers 429 with ``retry_after`` (and the ``Via`` header Discord sends, without which discord.py
takes a 429 for a Cloudflare ban) and 403 ``50007`` for members whose DMs are closed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import BodyPartReader, web

APP_ID = "900000000000000001"
BOT_ID = APP_ID
GUILD = "800000000000000001"
OWNER = "700000000000000001"
TIMESTAMP = "2026-03-04T12:00:00+00:00"
# How long Discord remembers a message's nonce for ``enforce_nonce`` ("the past few minutes").
NONCE_SECONDS = 120.0


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py reads a body as JSON only when the content type is exactly application/json
    headers = {**(headers or {}), "Content-Type": "application/json"}
    return web.Response(body=json.dumps(payload).encode(), status=status, headers=headers)


@dataclass
class Call:
    method: str
    path: str  # e.g. /channels/123/messages
    json: Any
    query: dict[str, str]


# A scripted failure: return (status, body, headers) to answer instead, or None to answer normally.
Failure = Callable[[Call], tuple[int, dict[str, Any], dict[str, str]] | None]


async def _multipart(request: web.Request) -> dict[str, Any]:
    """Read a message sent with files: its JSON part plus each file's name and bytes."""
    body: dict[str, Any] = {"multipart": True, "files": {}}
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body |= json.loads(await part.text())
        elif part.filename:
            body["files"][part.filename] = bytes(await part.read())
    return body


def rate_limited(retry_after: float) -> tuple[int, dict[str, Any], dict[str, str]]:
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    return 429, body, {"Retry-After": str(retry_after), "Via": "1.1 google"}


def discord_error(
    status: int, code: int, message: str
) -> tuple[int, dict[str, Any], dict[str, str]]:
    return status, {"code": code, "message": message}, {}


def user_json(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def role_json(role_id: str) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": f"role{role_id[-3:]}",
        "color": 0,
        "hoist": False,
        "position": 1,
        "permissions": "0",
        "managed": False,
        "mentionable": True,
        "flags": 0,
    }


@dataclass
class FakeDiscord:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed_dms: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    threads: dict[str, dict[str, Any]] = field(default_factory=dict)
    system_channel: str | None = None
    roles: list[str] = field(default_factory=list)  # the guild's role ids, @everyone aside
    base_url: str = ""
    _ids: Any = field(default_factory=lambda: count(1_000_000_000_000_000_000))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    identified: int = 0
    _sequence: int = 0
    # a message post Discord takes, then answers only after this many seconds (a crash may come first)
    post_answer_delay: float = 0.0
    # message posts Discord takes whose answer is lost on the way back: the caller sees a 503
    lost_answers: list[Callable[[Call], bool]] = field(default_factory=list)
    # (author, nonce) -> (when, message) for enforce_nonce
    _nonces: dict[tuple[str, str], tuple[float, dict[str, Any]]] = field(default_factory=dict)

    def add_user(self, user_id: str, name: str) -> dict[str, Any]:
        self.users[user_id] = user_json(user_id, name)
        return self.users[user_id]

    def new_id(self) -> str:
        return str(next(self._ids))

    def called(self, method: str, path_start: str = "") -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(path_start)]

    def interaction_replies(self, token: str) -> list[Call]:
        """The callback and follow-ups of one interaction, in order."""
        return [c for c in self.calls if f"/{token}" in c.path]

    async def wait_until(self, ready: Callable[[], bool], timeout: float = 5.0) -> None:
        async def check() -> None:
            async with self._changed:
                await self._changed.wait_for(ready)

        await asyncio.wait_for(check(), timeout)

    # -- the server ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart"):
                body = await _multipart(request)
        call = Call(request.method, path, body, dict(request.query))
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        for failure in self.failures:
            scripted = failure(call)
            if scripted is not None:
                status, payload, headers = scripted
                return _json(payload, status, headers)
        status, payload = self._answer(call)
        if call.method == "POST" and call.path.endswith("/messages"):
            await asyncio.sleep(self.post_answer_delay)
        if any(lost(call) for lost in self.lost_answers):
            return _json({"message": "Service Unavailable", "code": 0}, 503)
        if payload is None:
            return web.Response(status=status)
        response = _json(payload, status)
        async with self._changed:
            self._changed.notify_all()
        return response

    def _message(self, channel_id: str, data: dict[str, Any], author: dict[str, Any]) -> dict:
        return {
            "id": self.new_id(),
            "channel_id": channel_id,
            "type": 0,
            "content": data.get("content", ""),
            "author": author,
            "attachments": [],
            "embeds": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "flags": data.get("flags", 0),
            "components": data.get("components", []),
        }

    def _answer(self, call: Call) -> tuple[int, Any]:
        parts = call.path.strip("/").split("/")
        data = call.json if isinstance(call.json, dict) else {}
        bot = user_json(BOT_ID, "unmentor", bot=True)
        if call.path == "/users/@me":
            return 200, bot
        if call.path == "/oauth2/applications/@me":
            return 200, {
                "id": APP_ID,
                "name": "unmentor",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_json(OWNER, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        if parts[0] == "applications" and call.method == "PUT":
            return 200, [
                {**cmd, "id": self.new_id(), "application_id": APP_ID, "version": "1"}
                for cmd in call.json
            ]
        if parts[0] == "interactions":
            kind = data.get("type")
            flags = (data.get("data") or {}).get("flags", 0)
            return 200, {
                "interaction": {
                    "id": parts[1],
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(flags & 64),
                },
                "resource": {"type": kind},
            }
        if parts[0] == "webhooks":
            if call.method == "POST":
                return 200, self._message("0", data, bot)
            return 200, self._message("0", data, bot)
        if call.path == "/users/@me/channels":
            return 200, {"id": f"9{data['recipient_id']}", "type": 1, "recipients": []}
        if parts[0] == "channels" and parts[-1] == "threads":
            thread_id = self.new_id()
            self.threads[thread_id] = {
                "parent": parts[1],
                "name": data["name"],
                "members": [],
                "type": data.get("type", 12),
                "auto_archive_duration": data.get("auto_archive_duration", 10080),
                "invitable": data.get("invitable", True),
            }
            return 201, self._thread_json(thread_id)
        if parts[0] == "channels" and parts[2:3] == ["thread-members"]:
            members = self.threads[parts[1]]["members"]
            if parts[3] not in members:  # adding a member twice changes nothing, as on Discord
                members.append(parts[3])
            return 204, None
        if parts[0] == "guilds" and parts[2:] == ["threads", "active"] and call.method == "GET":
            # the bot joined every thread it opened, private ones included
            threads = [self._thread_json(thread_id) for thread_id in self.threads]
            members = [
                {"id": t["id"], "user_id": BOT_ID, "join_timestamp": TIMESTAMP, "flags": 0}
                for t in threads
            ]
            return 200, {"threads": threads, "members": members}
        if parts[0] == "channels" and parts[2:3] == ["messages"] and call.method == "POST":
            channel = parts[1]
            if channel.startswith("9") and channel[1:] in self.closed_dms:
                return 403, {"code": 50007, "message": "Cannot send messages to this user"}
            nonce = data.get("nonce")
            remembered = self._nonces.get((BOT_ID, str(nonce)))
            if (
                nonce is not None
                and data.get("enforce_nonce")
                and remembered is not None
                and time.monotonic() - remembered[0] < NONCE_SECONDS
            ):
                return 200, remembered[1]  # the message created before, none created now
            message = self._message(channel, data, bot)
            if nonce is not None:
                message["nonce"] = nonce
                self._nonces[(BOT_ID, str(nonce))] = (time.monotonic(), message)
            self.messages.setdefault(channel, []).append(message)
            return 200, message
        if parts[0] == "guilds" and parts[2:] == ["roles"] and call.method == "GET":
            return 200, [role_json(role_id) for role_id in [parts[1], *self.roles]]
        if parts[0] == "guilds" and len(parts) == 2:
            return 200, {
                "id": parts[1],
                "name": "LocalGov Digital",
                "owner_id": OWNER,
                "system_channel_id": self.system_channel,
            }
        if parts[0] == "guilds" and parts[2:3] == ["members"]:
            user = self.users.get(parts[3])
            if user is None:
                return 404, {"code": 10007, "message": "Unknown Member"}
            return 200, {"user": user, "nick": None, "roles": [], "joined_at": TIMESTAMP}
        return 404, {"code": 0, "message": f"fake has no {call.method} {call.path}"}

    def _thread_json(self, thread_id: str) -> dict[str, Any]:
        thread = self.threads[thread_id]
        return {
            "id": thread_id,
            "type": thread.get("type", 12),
            "guild_id": GUILD,
            "parent_id": thread["parent"],
            "owner_id": BOT_ID,
            "name": thread["name"],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": thread.get("auto_archive_duration", 10080),
                "archive_timestamp": TIMESTAMP,
                "locked": False,
                "invitable": thread.get("invitable", True),
            },
        }

    # -- a minimal gateway: hello, READY after identify, then whatever a test pushes -------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for frame in socket:
            message = json.loads(frame.data)
            if message["op"] == 2:  # identify
                await self.push("READY", self._ready())
                async with self._changed:
                    self.identified += 1
                    self._changed.notify_all()
            elif message["op"] == 1:  # heartbeat
                await socket.send_json({"op": 11})
        self.sockets.remove(socket)
        return socket

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": user_json(BOT_ID, "unmentor", bot=True),
            "guilds": [],
            "session_id": "session",
            "resume_gateway_url": self.base_url.replace("http", "ws").replace(
                "/api/v10", "/gateway"
            ),
            "application": {"id": APP_ID, "flags": 0},
        }

    async def push(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected bot."""
        self._sequence += 1
        for socket in self.sockets:
            await socket.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        return app


class RouteLimit:
    """Allow ``rate`` calls per route (method + path) and ``global_rate`` calls in all, in each
    window of ``per`` seconds; answer 429 with ``retry_after`` beyond that, as Discord does."""

    def __init__(
        self,
        rate: int,
        global_rate: int | None = None,
        per: float = 1.0,
        paths: tuple[str, ...] = ("/channels",),
    ) -> None:
        self.rate, self.global_rate, self.per, self.paths = rate, global_rate, per, paths
        self.windows: dict[str, tuple[float, int]] = {}
        self.refused = 0
        self.allowed: dict[str, int] = {}

    def _take(self, key: str, rate: int, now: float) -> float | None:
        start, used = self.windows.get(key, (now, 0))
        if now - start >= self.per:
            start, used = now, 0
        if used >= rate:
            return start + self.per - now
        self.windows[key] = (start, used + 1)
        return None

    def __call__(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if not call.path.startswith(self.paths):
            return None
        now = time.monotonic()
        key = f"{call.method} {call.path}"
        if self.global_rate is not None:
            wait = self._take("*", self.global_rate, now)
            if wait is not None:
                self.refused += 1
                status, body, headers = rate_limited(round(wait, 3) + 0.001)
                return status, {**body, "global": True}, {**headers, "X-RateLimit-Global": "true"}
        wait = self._take(key, self.rate, now)
        if wait is not None:
            self.refused += 1
            return rate_limited(round(wait, 3) + 0.001)
        self.allowed[key] = self.allowed.get(key, 0) + 1
        return None
