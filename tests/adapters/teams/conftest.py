"""The Teams adapter over real HTTP: Teams' requests signed with a local key, posted to the bot's
``/api/messages``; the bot's replies and cards recorded by a fake Bot Connector (``fake_teams``)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from adapters.teams.identity import member_id, team_community
from bot.bootstrap import open_storage
from bot.config import Settings
from bot.runtime.plugins import PluginContext
from bot.teams_config import TeamsSettings
from bot.teams_plugin import TeamsPlugin, build_teams
from pairing_core.services.context import Services
from tests.adapters.teams.fake_teams import APP_ID, BOT_ID, GROUP, TENANT, Call, FakeTeams
from tests.unit.fakes import FakeClock

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
TEAM = "19:team-general@thread.tacv2"
COMMUNITY = team_community(TEAM)
CHANNEL = "19:reflections@thread.tacv2"


def card_text(call: Call) -> str:
    """The words of the card an activity carries."""
    return str(call.json["attachments"][0]["content"]["body"][0]["text"])


def card_of(call: Call) -> dict[str, Any]:
    return dict(call.json["attachments"][0]["content"])


class TeamsWorld:
    """The bot as Teams sees it, with helpers that read like what people do in Teams."""

    def __init__(self, fake: FakeTeams, plugin: TeamsPlugin, clock: FakeClock, url: str) -> None:
        self.fake, self.plugin, self.clock, self.url = fake, plugin, clock, url
        self._ids = count(1)

    @property
    def deps(self) -> Any:
        return self.plugin.app.deps

    def services(self) -> Services:
        return self.deps.new_services()

    def member(self, letter: str) -> str:
        return member_id(self.fake.person(letter).aad)

    def activity(
        self, letter: str, text: str = "", *, channel: bool = False, **more: Any
    ) -> dict[str, Any]:
        person = self.fake.person(letter)
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"msg-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.fake.service_url,
            "from": {"id": person.user_id, "name": person.name, "aadObjectId": person.aad},
            "recipient": {"id": BOT_ID, "name": "UnMentoring"},
            "text": text,
            "channelData": {"tenant": {"id": TENANT}},
        }
        if channel:
            activity["conversation"] = {
                "id": f"{TEAM};messageid=1",
                "conversationType": "channel",
                "tenantId": TENANT,
            }
            activity["channelData"].update(
                team={"id": TEAM, "name": "Digital"}, channel={"id": TEAM}
            )
        else:
            activity["conversation"] = {
                "id": f"a:chat-{person.user_id}",
                "conversationType": "personal",
                "tenantId": TENANT,
            }
        activity.update(more)
        return activity

    async def post(
        self, activity: dict[str, Any], token: str | None = None
    ) -> aiohttp.ClientResponse:
        headers = {"Authorization": f"Bearer {token if token is not None else self.fake.sign()}"}
        async with aiohttp.ClientSession() as http:
            response = await http.post(f"{self.url}/api/messages", json=activity, headers=headers)
            await response.read()
        await self.deps.in_flight.wait_idle()
        return response

    async def say(self, letter: str, text: str, *, channel: bool = False, **more: Any) -> list[str]:
        """Send a message as the person; return the texts of the cards the bot sent because of it."""
        before = len(self.fake.sent())
        response = await self.post(self.activity(letter, text, channel=channel, **more))
        assert response.status == 200
        return [card_text(c) for c in self.fake.sent()[before:]]

    async def install(self, letter: str) -> None:
        """The person adds the bot to the team."""
        activity = self.activity(letter, channel=True, type="conversationUpdate")
        activity["membersAdded"] = [{"id": BOT_ID}]
        # Teams names the team's Microsoft 365 group in updates (not in messages)
        activity["channelData"]["team"]["aadGroupId"] = GROUP
        self.fake.team_members.setdefault(GROUP, {})  # the team exists in Graph, owned by nobody
        assert (await self.post(activity)).status == 200

    async def press(
        self, letter: str, content: dict[str, Any], title: str, **inputs: str
    ) -> dict[str, Any]:
        """Press the card's button titled ``title`` (with form ``inputs``); return the new card."""
        [action] = [a for a in content.get("actions", []) if a.get("title") == title]
        activity = self.activity(letter, type="invoke", name="adaptiveCard/action")
        activity["value"] = {
            "action": {
                "type": "Action.Execute",
                "verb": action["verb"],
                "data": {**action["data"], **inputs},
            }
        }
        headers = {"Authorization": f"Bearer {self.fake.sign()}"}
        async with aiohttp.ClientSession() as http:
            response = await http.post(f"{self.url}/api/messages", json=activity, headers=headers)
            body = await response.json()
        await self.deps.in_flight.wait_idle()
        assert response.status == 200 and body["statusCode"] == 200
        return dict(body["value"])


def teams_settings(fake: FakeTeams) -> TeamsSettings:
    return TeamsSettings(
        app_id=APP_ID,
        app_password="s3cret",
        tenant_id=TENANT,
        openid_metadata_url=fake.metadata_url,
        authority_url=fake.base_url,
        graph_url=fake.graph_url,
    )


@pytest.fixture
async def fake_teams() -> AsyncIterator[FakeTeams]:
    fake = FakeTeams()
    runner = web.AppRunner(fake.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    fake.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield fake
    finally:
        await runner.cleanup()


@pytest.fixture
async def world(fake_teams: FakeTeams, tmp_path: Path) -> AsyncIterator[TeamsWorld]:
    """The bot's /api/messages served on 127.0.0.1, storage in a fresh SQLite file."""
    async with serving_world(fake_teams, tmp_path) as world:
        yield world


@asynccontextmanager
async def serving_world(
    fake: FakeTeams, tmp_path: Path, teams: TeamsSettings | None = None
) -> AsyncIterator[TeamsWorld]:
    """Serve the bot with ``teams`` settings (the fake's, with a client secret, by default)."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'teams.db'}")
    clock = FakeClock(START)
    rng = random.Random(3)
    async with open_storage(settings) as storage:
        sessions = session_factory(storage.engine)

        def new_services() -> Services:
            return Services(SqlAlchemyUnitOfWork(sessions), clock, rng)

        context = PluginContext(storage.engine, new_services, clock)
        world = await _serve(fake, context, clock, teams)
        try:
            yield world
        finally:
            await world.stop()


async def _serve(
    fake: FakeTeams,
    context: PluginContext,
    clock: FakeClock,
    settings: TeamsSettings | None = None,
) -> TeamsWorld:
    plugin = build_teams(settings or teams_settings(fake), context)
    app = web.Application()
    plugin.add_routes(app)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await plugin.start()
    world = TeamsWorld(fake, plugin, clock, f"http://127.0.0.1:{runner.addresses[0][1]}")

    async def stop() -> None:
        await plugin.stop()
        await runner.cleanup()

    world.stop = stop  # type: ignore[method-assign]
    world.context = context  # type: ignore[attr-defined]
    return world


async def restarted(world: TeamsWorld) -> TeamsWorld:
    """Stop the bot and start a new one on the same storage (nothing kept in memory)."""
    await world.stop()
    return await _serve(world.fake, world.context, world.clock)  # type: ignore[attr-defined]
