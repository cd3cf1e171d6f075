"""Discord as a plugin of ``serve``: log in, sync commands, connect to a (fake) gateway, answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from pydantic import SecretStr

from bot.config import Settings
from bot.discord_config import DiscordSettings
from bot.discord_plugin import DiscordPlugin, discord_plugin
from tests.adapters.discord.conftest import DiscordWorld, texts
from tests.adapters.discord.fake_discord import APP_ID, GUILD, FakeDiscord
from tests.runtime.serving import free_port, serving


class TestServeDiscord:
    async def test_it_syncs_commands_to_the_listed_servers_and_answers_over_the_gateway(
        self, fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        gateway = fake_discord.base_url.replace("http", "ws").replace("/api/v10", "/gateway")
        monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(gateway))
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            host="127.0.0.1",
            port=free_port(),
        )
        factory = discord_plugin(
            DiscordSettings(token=SecretStr("test-token"), guild_ids=(int(GUILD),))
        )
        async with serving(settings, factory) as running:
            [plugin] = running.plugins
            assert isinstance(plugin, DiscordPlugin)
            synced = fake_discord.called("PUT", f"/applications/{APP_ID}/guilds/{GUILD}/commands")
            assert [c["name"] for c in synced[0].json] == ["unmentor", "unmentor-admin"]
            assert fake_discord.called("PUT", f"/applications/{APP_ID}/commands") == []
            await fake_discord.wait_until(lambda: fake_discord.identified == 1)

            builder = DiscordWorld(fake_discord, None, None)  # type: ignore[arg-type]
            payload = builder._base("111111111111111111", 2, {"id": "1", "type": 0, "guild_id": GUILD, "name": "general", "position": 0, "permission_overwrites": []}, False)  # fmt: skip
            payload["data"] = builder._command_data("unmentor join", {})
            await fake_discord.push("INTERACTION_CREATE", payload)
            await fake_discord.wait_until(
                lambda: len(fake_discord.interaction_replies(payload["token"])) >= 2
            )
            await plugin.bot.deps.in_flight.wait_idle()
            [joined] = texts(fake_discord.interaction_replies(payload["token"]))
            assert joined.startswith("You're in the pot")
