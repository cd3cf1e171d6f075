"""The Slack app over real HTTP: a fake Slack Web API, the bolt app served by aiohttp, SQLite storage."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from adapters.charts import PngCharts
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from adapters.persistence.repositories.slack_seen_requests import SqlSeenSlackRequests
from adapters.slack.app import build_app
from adapters.slack.deps import SlackDeps
from adapters.slack.http import EVENTS_PATH, add_slack_routes
from adapters.slack.platform import SlackPlatform
from adapters.slack.request_gate import RequestGate
from bot.bootstrap import open_storage
from bot.config import Settings
from bot.runtime.serve import LISTEN_BACKLOG
from pairing_core.services.context import Services
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.integration.conftest import BACKENDS, POSTGRES_URL, fresh_postgres_database
from tests.unit.fakes import FakeClock

SECRET = "test-signing-secret"
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Return the headers Slack sends with a request body."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=LISTEN_BACKLOG)  # as `unmentor run`
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Answer:
    """The app's HTTP answer to one request from Slack."""

    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class SlackWorld:
    """The app as Slack sees it, with helpers that read like what people do in Slack."""

    slack: FakeSlack
    deps: SlackDeps
    clock: FakeClock
    url: str
    session: aiohttp.ClientSession
    team: str = TEAM  # the workspace the requests come from
    _ids = count(1)

    def services(self) -> Services:
        return self.deps.new_services()

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Answer:
        headers = {"Content-Type": content_type, **(headers or sign(body))}
        async with self.session.post(self.url + EVENTS_PATH, data=body, headers=headers) as resp:
            return Answer(resp.status, await resp.text())

    async def settle(self) -> None:
        """Wait until the work each listener does after its ack has finished."""
        await self.deps.in_flight.wait_idle()

    def _response_url(self) -> str:
        return f"{self.slack.base_url}/respond/{next(self._ids)}"

    async def command(self, user: str, text: str) -> str:
        """Run ``/unmentor text`` as ``user``; return the ephemeral reply's text."""
        before = len(self.slack.called("respond"))
        body = urlencode(
            {
                "command": "/unmentor",
                "text": text,
                "team_id": self.team,
                "team_domain": "localgov",
                "user_id": user,
                "user_name": user.lower(),
                "channel_id": "CGENERAL",
                "response_url": self._response_url(),
                "trigger_id": "trig",
            }
        )
        resp = await self.post(body, "application/x-www-form-urlencoded")
        assert resp.status == 200
        await self.settle()
        replies = self.slack.called("respond")[before:]
        assert len(replies) == 1, replies
        return str(replies[0].args["text"])

    async def interact(self, payload: dict[str, Any]) -> Answer:
        body = urlencode({"payload": json.dumps(payload)})
        resp = await self.post(body, "application/x-www-form-urlencoded")
        await self.settle()
        return resp

    async def click(self, user: str, message: dict[str, Any], label: str, channel: str) -> Answer:
        """Press the button labelled ``label`` on a posted message."""
        button = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["text"]["text"] == label
        )
        return await self.interact(
            {
                "type": "block_actions",
                "team": {"id": self.team, "domain": "localgov"},
                "user": {"id": user, "name": user.lower(), "team_id": self.team},
                "api_app_id": "A1",
                "trigger_id": "trigger-1",
                "container": {
                    "type": "message",
                    "channel_id": channel,
                    "message_ts": message.get("ts", "1.0"),
                },
                "channel": {"id": channel},
                "message": message,
                "response_url": self._response_url(),
                "actions": [
                    {
                        "type": "button",
                        "action_id": button["action_id"],
                        "block_id": "unmentor_actions",
                        "value": button["value"],
                        "action_ts": "1.1",
                    }
                ],
            }
        )

    async def event(self, event: dict[str, Any]) -> Answer:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": self.team,
                "api_app_id": "A1",
                "event": event,
                "event_id": f"Ev{next(self._ids)}",
                "event_time": int(time.time()),
            }
        )
        resp = await self.post(body, "application/json")
        await self.settle()
        return resp


@asynccontextmanager
async def slack_world(database_url: str) -> AsyncIterator[SlackWorld]:
    """Serve the app on ``database_url`` against a fresh fake Slack; yield it as Slack sees it."""
    slack = FakeSlack()
    fake_runner, slack.base_url = await _serve(slack.web_app())
    settings = Settings(database_url=database_url)
    clock = FakeClock(START)
    rng = random.Random(3)
    try:
        async with open_storage(settings) as storage:
            sessions = session_factory(storage.engine)
            client = AsyncWebClient(token="xoxb-test", base_url=f"{slack.base_url}/api/")
            deps = SlackDeps(
                new_services=lambda: Services(
                    SqlAlchemyUnitOfWork(sessions), clock, rng, charts=PngCharts()
                ),
                platform=SlackPlatform(client),
                clock=clock,
            )
            web_app = web.Application()
            gate = RequestGate.for_secret(SECRET, SqlSeenSlackRequests(sessions))
            app = build_app(deps, signing_secret=SECRET)
            add_slack_routes(web_app, app, gate, deps.unanswered)
            app_runner, url = await _serve(web_app)
            try:
                async with aiohttp.ClientSession() as session:
                    yield SlackWorld(slack, deps, clock, url, session)
                    await deps.in_flight.wait_idle()
            finally:
                await app_runner.cleanup()
    finally:
        await fake_runner.cleanup()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    async with slack_world(f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}") as world:
        yield world


@pytest.fixture(params=BACKENDS)
async def world_on_each_backend(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SlackWorld]:
    """The app on SQLite and on PostgreSQL (where replicas share one database)."""
    if request.param == "sqlite":
        async with slack_world(f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}") as world:
            yield world
        return
    async with fresh_postgres_database(POSTGRES_URL) as url, slack_world(url) as world:
        yield world
