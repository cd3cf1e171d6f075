"""A fake Slack Web API: a real aiohttp server speaking Slack's JSON, recording every call."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.slack.fake_files import BOT_USER, TEAM, file_object, share


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None = None  # the bearer token the call was made with
    peer: str | None = None  # the caller's address and port: one per TCP connection


# An OAuth code the fake exchanges at oauth.v2.access for an install in this workspace.
@dataclass(frozen=True)
class PendingInstall:
    team_id: str
    team_name: str
    installer: str = "UINSTALLER"

    @property
    def bot_token(self) -> str:
        return f"xoxb-{self.team_id}"


# A scripted failure: return (status, body, headers) to answer instead, or None to answer normally.
Failure = Callable[[Call], tuple[int, dict[str, Any], dict[str, str]] | None]
# A scripted wait before a call takes effect (a slow Slack): the call is recorded after it.
Delay = Callable[[Call], Awaitable[None]]


def rate_limited(retry_after: int) -> tuple[int, dict[str, Any], dict[str, str]]:
    return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}


def slack_error(error: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    return 200, {"ok": False, "error": error}, {}


def _about_invites(call: Call) -> bool:
    """True for a step of uploading .ics files (the upload, its URL, its completion)."""
    args = call.args
    if call.method == "upload":
        return bytes(args["content"]).startswith(b"BEGIN:VCALENDAR")
    if call.method == "files.getUploadURLExternal":
        return str(args.get("filename", "")).endswith(".ics")
    if call.method == "files.completeUploadExternal":
        return all(str(f.get("title", "")).endswith(".ics") for f in args.get("files", []))
    return False


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    delay: Delay | None = None
    base_url: str = ""
    # OAuth codes Slack would have handed the installer, and the scopes it granted
    installs: dict[str, PendingInstall] = field(default_factory=dict)
    granted_scopes: str = ""
    issued: dict[str, str] = field(default_factory=dict)  # bot token -> team id
    sockets: list[web.WebSocketResponse] = field(default_factory=list)  # Socket Mode connections
    # what people see in each conversation: posted messages and file shares, oldest first
    messages: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # file id -> Slack's file object
    # Slack shares a completed upload asynchronously: its answer may not name the message yet
    shares_pending: bool = False
    # a post Slack takes, then answers only after this many seconds (a crash may come first)
    post_answer_delay: float = 0.0
    # calls Slack carries out whose answer is lost on the way back: the caller sees a 500
    lost_answers: list[Callable[[Call], bool]] = field(default_factory=list)
    # calls Slack carries out before the connection drops: the caller sees it closed, no answer
    dropped_answers: list[Callable[[Call], bool]] = field(default_factory=list)
    # channels the bot can see: id -> whether the bot is in it (others: channel_not_found, as
    # Slack answers for a private channel the bot is not in)
    channels: dict[str, bool] = field(default_factory=dict)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ts: int = 0
    _files: int = 0

    def add_user(
        self, user_id: str, name: str, *, admin: bool = False, tz: str | None = None
    ) -> None:
        """Add a person; ``tz`` is the IANA zone of their profile (Slack's ``tz``), if given."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": name,
            "deleted": False,
            "is_admin": admin,
            "is_owner": False,
            "profile": {"display_name": name, "real_name": name.title()},
        }
        if tz is not None:
            self.users[user_id]["tz"] = tz

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def called_apart_from_invites(self, method: str) -> list[Call]:
        """Like ``called``, without the calls uploading calendar invites (an intro's .ics files)."""
        return [c for c in self.called(method) if not _about_invites(c)]

    def shown_in(self, channel: str) -> list[dict[str, Any]]:
        """Return the messages people see in a conversation: text, ts, and any shared files."""
        return [m for m in self.messages if m["channel"] == channel]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called at least ``count`` times; return those calls."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.called(method)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.called(method)

    # -- the server ---------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.method == "POST":
            args.update(dict(await request.post()))
        for key in ("blocks", "view", "files"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def api(self, request: web.Request) -> web.Response:
        args = await self._args(request)
        authorization = request.headers.get("Authorization", "")
        token = (
            authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        )
        peer = request.transport.get_extra_info("peername") if request.transport else None
        call = Call(request.match_info["method"], args, token or args.get("token"), str(peer))
        if self.delay is not None:
            await self.delay(call)
        await self._record(call)
        for failure in self.failures:
            scripted = failure(call)
            if scripted is not None:
                status, body, headers = scripted
                return web.json_response(body, status=status, headers=headers)
        answer = self._answer(call)
        if call.method == "chat.postMessage":
            await asyncio.sleep(self.post_answer_delay)
        if any(lost(call) for lost in self.lost_answers):
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if any(dropped(call) for dropped in self.dropped_answers) and request.transport:
            request.transport.abort()
            return web.Response(status=500)  # written to nowhere
        return web.json_response(answer)

    async def upload(self, request: web.Request) -> web.Response:
        """Where ``files.getUploadURLExternal`` points: the file's bytes, recorded as "upload"."""
        content = await request.read()
        call = Call("upload", {"file_id": request.match_info["id"], "content": content})
        await self._record(call)
        for failure in self.failures:
            scripted = failure(call)
            if scripted is not None:  # the upload service answers in plain text, not Slack's JSON
                status, body, headers = scripted
                return web.Response(status=status, text=json.dumps(body), headers=headers)
        return web.Response(text="OK - " + str(len(content)))

    def uploaded(self, file_id: str) -> bytes:
        """Return the bytes posted to a file's upload URL."""
        [call] = [c for c in self.called("upload") if c.args["file_id"] == file_id]
        return bytes(call.args["content"])

    async def respond(self, request: web.Request) -> web.Response:
        """Where ``response_url`` points: ephemeral replies to commands and buttons."""
        await self._record(Call("respond", await request.json()))
        return web.Response(text="ok")

    def _answer(self, call: Call) -> dict[str, Any]:
        a = call.args
        if call.method == "auth.test":
            team = self.issued.get(call.token or "", TEAM)
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": team, "team": "t"}
        if call.method == "apps.connections.open":
            return {"ok": True, "url": "ws" + self.base_url.removeprefix("http") + "/socket"}
        if call.method == "oauth.v2.access":
            return self._exchange(a.get("code", ""))
        if call.method == "users.info":
            user = self.users.get(a.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if call.method == "conversations.open":
            users = sorted(a["users"].split(","))
            prefix = "D" if len(users) == 1 else "G"
            return {"ok": True, "channel": {"id": prefix + "-".join(users)}}
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            ts = a.get("ts") or self._new_ts()
            self._show(call.method, a, ts)
            return {"ok": True, "channel": a.get("channel"), "ts": ts, "message_ts": ts}
        if call.method == "conversations.info":
            channel = a.get("channel", "")
            if channel not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, "is_member": self.channels[channel]}}
        if call.method == "conversations.history":
            return self._history(a)
        if call.method == "chat.getPermalink":
            channel, ts = a["channel"], a["message_ts"]
            link = f"https://localgov.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        if call.method == "files.getUploadURLExternal":
            self._files += 1
            file_id = f"F{self._files}"
            self.files[file_id] = file_object(file_id, a["filename"], int(a["length"]))
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"{self.base_url}/upload/{file_id}",
            }
        if call.method == "files.completeUploadExternal":
            return self._complete(a)
        if call.method in ("views.open", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": "V1", **a.get("view", {})}}
        return {"ok": False, "error": "unknown_method"}

    def _new_ts(self) -> str:
        """Return a message ts as Slack makes them: the time it was posted, unique and rising."""
        self._ts = max(self._ts + 1, int(time.time() * 1_000_000))
        return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    def _show(self, method: str, a: dict[str, Any], ts: str) -> None:
        if method == "chat.postMessage":
            message = {"channel": a["channel"], "ts": ts, "text": a.get("text", ""), "files": []}
            if a.get("metadata"):  # kept as sent, shown only to include_all_metadata
                message["metadata"] = a["metadata"]
            self.messages.append(message)
        elif method == "chat.update":
            for message in self.shown_in(a["channel"]):
                if message["ts"] == ts:
                    message["text"] = a.get("text", "")

    def _history(self, a: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: newest first, from ``oldest``, ``limit`` a page, by cursor."""
        channel = a.get("channel", "")
        oldest = float(a.get("oldest") or 0)
        with_metadata = str(a.get("include_all_metadata", "")).lower() in ("1", "true")
        shown = [
            {k: v for k, v in m.items() if k != "metadata" or with_metadata}
            for m in reversed(self.shown_in(channel))
            if float(m["ts"]) > oldest
        ]
        start = int(a.get("cursor") or 0)
        limit = int(a.get("limit") or 100)
        page = shown[start : start + limit]
        more = start + limit < len(shown)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def posted_for(self, key: str) -> list[dict[str, Any]]:
        """Return the messages posted carrying the outbox key ``key`` in their metadata."""
        return [
            m
            for m in self.messages
            if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key
        ]

    def _complete(self, a: dict[str, Any]) -> dict[str, Any]:
        """files.completeUploadExternal: share the files in ``channel_id`` as one message."""
        files = [self.files[f["id"]] for f in a["files"]]
        for file, entry in zip(files, a["files"], strict=True):
            file["title"] = entry.get("title") or file["name"]
        channel = a.get("channel_id")
        if channel:
            ts = self._new_ts()
            for file in files:
                share(file, channel, ts, named=not self.shares_pending)
            shown = [dict(file) for file in files]
            text = a.get("initial_comment", "")
            message = {"channel": channel, "ts": ts, "text": text, "files": shown}
            if a.get("thread_ts"):
                message["thread_ts"] = a["thread_ts"]
            self.messages.append(message)
        return {"ok": True, "files": [dict(file) for file in files]}

    def _exchange(self, code: str) -> dict[str, Any]:
        install = self.installs.pop(code, None)  # a code is good for one exchange
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        self.issued[install.bot_token] = install.team_id
        return {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": install.installer},
            "scope": self.granted_scopes,
            "token_type": "bot",
            "access_token": install.bot_token,
            "bot_user_id": BOT_USER,
            "team": {"id": install.team_id, "name": install.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every frame the app sends (its acks) as "socket"."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        await self._record(Call("socket.connected", {}))
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                await self._record(Call("socket", json.loads(frame.data)))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send an envelope down the newest Socket Mode connection."""
        await self.sockets[-1].send_json(envelope)

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/socket", self.socket)
        app.router.add_route("*", "/api/{method}", self.api)
        app.router.add_post("/respond/{id}", self.respond)
        app.router.add_post("/upload/{id}", self.upload)
        return app
