"""Teams inside ``serve``: ``POST /api/messages`` on the bot's own server, alone or beside Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.discord_plugin import discord_plugin
from bot.teams_plugin import TeamsPlugin, teams_plugin
from tests.adapters.discord.conftest import fake_settings, serve_fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.teams.conftest import TeamsWorld, card_text, teams_settings
from tests.adapters.teams.fake_teams import FakeTeams
from tests.runtime.serving import free_port, serving


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    runner = await serve_fake(fake)
    try:
        yield fake
    finally:
        await runner.cleanup()


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        host="127.0.0.1",
        port=free_port(),
    )


async def _post(base: str, activity: dict[str, Any], token: str) -> int:
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{base}/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"}
        )
        return response.status


def _join(fake: FakeTeams) -> dict[str, Any]:
    builder = TeamsWorld(fake, None, None, "")  # type: ignore[arg-type]
    return builder.activity("a", "join Devon CC")


class TestServeTeams:
    async def test_it_answers_on_the_bots_own_server_and_refuses_bad_tokens(
        self, fake_teams: FakeTeams, tmp_path: Path
    ) -> None:
        async with serving(
            _settings(tmp_path), teams_plugin(teams_settings(fake_teams))
        ) as running:
            [plugin] = running.plugins
            assert isinstance(plugin, TeamsPlugin)
            assert await _post(running.base, _join(fake_teams), fake_teams.sign(aud="x")) == 401
            assert fake_teams.sent() == []
            assert await _post(running.base, _join(fake_teams), fake_teams.sign()) == 200
            await plugin.app.deps.in_flight.wait_idle()
            [reply] = fake_teams.sent()
            assert card_text(reply).startswith("You're in the pot (organisation: Devon CC)!")

    async def test_it_runs_beside_discord_in_one_process(
        self, fake_teams: FakeTeams, fake_discord: FakeDiscord, tmp_path: Path
    ) -> None:
        teams = teams_plugin(teams_settings(fake_teams))
        discord = discord_plugin(fake_settings(fake_discord, token=SecretStr("test-token")))
        async with serving(_settings(tmp_path), discord, teams) as running:
            assert [p.name for p in running.plugins] == ["discord", "teams"]
            await fake_discord.wait_until(lambda: fake_discord.identified == 1)
            assert await _post(running.base, _join(fake_teams), fake_teams.sign()) == 200
            await running.plugins[1].app.deps.in_flight.wait_idle()  # type: ignore[attr-defined]
            assert len(fake_teams.sent()) == 1
