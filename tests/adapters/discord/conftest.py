"""The Discord bot over real HTTP: a fake Discord REST API, interactions as the gateway delivers them.

The bot logs in against the fake (``DISCORD_API_BASE_URL``'s setting points at it) and never opens a gateway; each
interaction is handed to ``parse_interaction_create``, the code path of a gateway
``INTERACTION_CREATE``. Every reply, thread, DM and post is a recorded REST call.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from adapters.charts import PngCharts
from adapters.discord.app import UnmentorBot
from adapters.discord.endpoints import discord_endpoints
from adapters.persistence import SqlAlchemyUnitOfWork, session_factory
from bot.bootstrap import open_storage
from bot.config import Settings
from bot.discord_config import DiscordSettings
from pairing_core.services.context import Services
from tests.adapters.discord.fake_discord import (
    APP_ID,
    BOT_ID,
    GUILD,
    TIMESTAMP,
    Call,
    FakeDiscord,
    role_json,
    user_json,
)
from tests.unit.fakes import FakeClock

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
COMMUNITY = f"discord:{GUILD}"
MANAGE_GUILD = 1 << 5
EVERYONE = (1 << 10) | (1 << 11)  # view channels, send messages
CHANNEL = "600000000000000001"  # where commands are typed
REFLECTIONS = "600000000000000002"


@dataclass(frozen=True)
class UserRef:
    id: str


@dataclass(frozen=True)
class ChannelRef:
    id: str


@dataclass(frozen=True)
class RoleRef:
    id: str


_TYPES: dict[type, int] = {str: 3, int: 4, bool: 5, UserRef: 6, ChannelRef: 7, RoleRef: 8}


def _member(user: dict[str, Any], admin: bool, roles: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "user": user,
        "nick": None,
        "roles": list(roles),
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(EVERYONE | (MANAGE_GUILD if admin else 0)),
    }


def _text_channel(channel_id: str) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": GUILD,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "permissions": str(EVERYONE),
    }


def edit_of(calls: list[Call]) -> dict[str, Any]:
    """The edit a deferred interaction made to the message it came from (its only PATCH)."""
    assert calls[0].json["type"] == 6  # answered at once, before any database work
    [edit] = [c for c in calls if c.method == "PATCH" and c.path.endswith("/@original")]
    return dict(edit.json)


def texts(calls: list[Call]) -> list[str]:
    """The words of an interaction's replies: callback messages and follow-ups."""
    found = []
    for call in calls:
        body = call.json or {}
        if call.path.startswith("/interactions"):
            content = (body.get("data") or {}).get("content")
        else:
            content = body.get("content")
        if content:
            found.append(str(content))
    return found


class DiscordWorld:
    """The bot as Discord sees it, with helpers that read like what people do in Discord."""

    def __init__(self, fake: FakeDiscord, bot: UnmentorBot, clock: FakeClock) -> None:
        self.fake, self.bot, self.clock = fake, bot, clock
        self._ids = count(500_000_000_000_000_000)

    def services(self) -> Services:
        return self.bot.deps.new_services()

    def user(self, user_id: str) -> dict[str, Any]:
        return self.fake.users.get(user_id) or self.fake.add_user(user_id, f"user{user_id[-3:]}")

    def _base(
        self,
        user_id: str,
        kind: int,
        channel: dict[str, Any],
        admin: bool,
        roles: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        token = f"tok{next(self._ids)}"
        payload: dict[str, Any] = {
            "id": token.removeprefix("tok"),
            "application_id": APP_ID,
            "type": kind,
            "token": token,
            "version": 1,
            "channel_id": channel["id"],
            "channel": channel,
            "locale": "en-GB",
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
            "app_permissions": str(EVERYONE),
        }
        if channel.get("guild_id"):
            payload.update(
                guild_id=GUILD,
                guild_locale="en-GB",
                member=_member(self.user(user_id), admin, roles),
                context=0,
                authorizing_integration_owners={"0": GUILD},
            )
        else:
            payload.update(user=self.user(user_id), context=1)
        return payload

    async def dispatch(self, payload: dict[str, Any]) -> list[Call]:
        """Deliver an interaction as the gateway would; return its replies once handled."""
        token = payload["token"]
        self.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        await self.fake.wait_until(
            lambda: any(
                c.path.startswith("/interactions") for c in self.fake.interaction_replies(token)
            )
        )
        await asyncio.sleep(0)
        await self.bot.deps.in_flight.wait_idle()
        return self.fake.interaction_replies(token)

    def _options(self, values: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        options, resolved = [], {}
        for name, value in values.items():
            kind = _TYPES[type(value)]
            raw = value.id if isinstance(value, UserRef | ChannelRef | RoleRef) else value
            options.append({"name": name, "type": kind, "value": raw})
            if isinstance(value, UserRef):
                user = self.user(value.id)
                resolved.setdefault("users", {})[value.id] = user
                member = {k: v for k, v in _member(user, False).items() if k != "user"}
                resolved.setdefault("members", {})[value.id] = member
            elif isinstance(value, ChannelRef):
                resolved.setdefault("channels", {})[value.id] = _text_channel(value.id)
            elif isinstance(value, RoleRef):
                resolved.setdefault("roles", {})[value.id] = role_json(value.id)
        return options, resolved

    def _command_data(self, words: str, values: dict[str, Any], focused: str = "") -> dict:
        group, *path = words.split()
        options, resolved = self._options(values)
        for option in options:
            if option["name"] == focused:
                option["focused"] = True
        for sub in reversed(path):
            options = [{"name": sub, "type": 1 if sub == path[-1] else 2, "options": options}]
        data: dict[str, Any] = {"id": "1", "name": group, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        return data

    async def slash_calls(
        self, user_id: str, words: str, *, admin: bool = False, **values: Any
    ) -> list[Call]:
        """Run ``/words option:value ...``; return the calls answering it (with their buttons)."""
        payload = self._base(user_id, 2, _text_channel(CHANNEL), admin)
        payload["data"] = self._command_data(words, values)
        return await self.dispatch(payload)

    def reply_message(self, call: Call) -> dict[str, Any]:
        """The message a follow-up call created, as a later interaction on it carries it."""
        return self.fake._message(CHANNEL, call.json, user_json(BOT_ID, "unmentor", bot=True))

    def guild_with(self, *members: tuple[str, tuple[str, ...]]) -> None:
        """Tell the bot (as the gateway's GUILD_CREATE does) of the server and its members' roles."""
        self.bot._connection.parse_guild_create(
            {
                "id": GUILD,
                "name": "LocalGov Digital",
                "owner_id": "700000000000000001",
                "roles": [role_json(GUILD), *(role_json(r) for r in self.fake.roles)],
                "channels": [],
                "members": [_member(self.user(m), False, roles) for m, roles in members],
                "member_count": len(members),
                "large": False,
                "unavailable": False,
                "emojis": [],
                "stickers": [],
                "features": [],
                "threads": [],
                "voice_states": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }  # type: ignore[arg-type]
        )

    async def roles_change(self, user_id: str, roles: tuple[str, ...]) -> None:
        """Deliver GUILD_MEMBER_UPDATE (the member now holds ``roles``); wait until it is handled."""
        member = _member(self.user(user_id), False, roles)
        self.bot._connection.parse_guild_member_update({"guild_id": GUILD, **member})  # type: ignore[arg-type]
        for _ in range(3):  # the listener's task starts and counts itself in flight
            await asyncio.sleep(0)
        await self.bot.deps.in_flight.wait_idle()

    async def slash(
        self,
        user_id: str,
        words: str,
        *,
        admin: bool = False,
        roles: tuple[str, ...] = (),
        **values: Any,
    ) -> list[str]:
        """Run ``/words option:value ...`` as ``user_id`` holding ``roles``; return the replies."""
        payload = self._base(user_id, 2, _text_channel(CHANNEL), admin, roles)
        payload["data"] = self._command_data(words, values)
        return texts(await self.dispatch(payload))

    async def autocomplete(self, user_id: str, words: str, focused: str, **values: Any) -> list:
        payload = self._base(user_id, 4, _text_channel(CHANNEL), False)
        payload["data"] = self._command_data(words, values, focused)
        [callback] = await self.dispatch(payload)
        return list(callback.json["data"]["choices"])

    def _channel_of(self, channel_id: str) -> dict[str, Any]:
        if channel_id in self.fake.threads:
            thread = self.fake.threads[channel_id]
            return {
                "id": channel_id,
                "type": 12,
                "guild_id": GUILD,
                "parent_id": thread["parent"],
                "owner_id": APP_ID,
                "name": thread["name"],
                "message_count": 3,
                "member_count": len(thread["members"]) + 1,
                "permissions": str(EVERYONE),
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 10080,
                    "archive_timestamp": TIMESTAMP,
                    "locked": False,
                },
            }
        if channel_id.startswith("9"):
            return {"id": channel_id, "type": 1, "recipients": []}
        return _text_channel(channel_id)

    async def click(self, user_id: str, message: dict[str, Any], label: str) -> list[Call]:
        """Press the button labelled ``label`` on a posted message."""
        button = next(
            b for row in message["components"] for b in row["components"] if b["label"] == label
        )
        payload = self._base(user_id, 3, self._channel_of(message["channel_id"]), False)
        payload["message"] = message
        payload["data"] = {"custom_id": button["custom_id"], "component_type": 2}
        return await self.dispatch(payload)

    async def submit(
        self, user_id: str, modal: dict[str, Any], values: dict[str, str], channel_id: str
    ) -> list[str]:
        """Fill in a modal the bot opened (its callback's data) and submit it."""
        rows = []
        for component in modal["components"]:
            inner = component.get("component") or component["components"][0]
            answered = {"type": inner["type"], "custom_id": inner["custom_id"]}
            answered["value"] = values.get(inner["custom_id"], "")
            if component["type"] == 1:
                rows.append({"type": 1, "components": [answered]})
            else:
                rows.append({"type": component["type"], "component": answered})
        payload = self._base(user_id, 5, self._channel_of(channel_id), False)
        payload["data"] = {"custom_id": modal["custom_id"], "components": rows}
        return texts(await self.dispatch(payload))


async def serve_fake(fake: FakeDiscord) -> web.AppRunner:
    runner = web.AppRunner(fake.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    fake.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/v10"
    return runner


def fake_settings(fake: FakeDiscord, **more: Any) -> DiscordSettings:
    """Discord settings whose REST base and gateway URLs point at the fake."""
    gateway = fake.base_url.replace("http", "ws").replace("/api/v10", "/gateway")
    return DiscordSettings(api_base_url=fake.base_url, gateway_url=gateway, **more)


@pytest.fixture
async def fake_discord_server() -> AsyncIterator[FakeDiscord]:
    """The fake, served; nothing points at it yet."""
    fake = FakeDiscord()
    runner = await serve_fake(fake)
    try:
        yield fake
    finally:
        await runner.cleanup()


@pytest.fixture
def fake_discord(fake_discord_server: FakeDiscord) -> Iterator[FakeDiscord]:
    """The fake, with discord.py pointed at it as ``unmentor run`` does from the settings."""
    settings = fake_settings(fake_discord_server)
    with discord_endpoints(settings.api_base_url, settings.gateway_url):
        yield fake_discord_server


@pytest.fixture
async def world(
    fake_discord: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[DiscordWorld]:
    """The bot logged in to the fake; ``indirect`` parameters are passed to ``UnmentorBot``."""
    options: dict[str, Any] = getattr(request, "param", {})
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}")
    clock = FakeClock(START)
    rng = random.Random(3)
    async with open_storage(settings) as storage:
        sessions = session_factory(storage.engine)
        bot = UnmentorBot(
            lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng, charts=PngCharts()),
            clock,
            **options,
        )
        world = DiscordWorld(fake_discord, bot, clock)
        try:
            await bot.login("test-token")
            yield world
            await world.bot.deps.in_flight.wait_idle()
        finally:
            await bot.close()
            await world.bot.close()  # a test may have restarted the bot


__all__ = [
    "COMMUNITY",
    "edit_of",
    "REFLECTIONS",
    "ChannelRef",
    "DiscordWorld",
    "RoleRef",
    "UserRef",
    "user_json",
]
