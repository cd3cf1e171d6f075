"""Discord as a plugin of ``serve``: log in, sync commands, connect to a (fake) gateway, answer."""

from __future__ import annotations

from pathlib import Path

from discord.gateway import DiscordWebSocket
from discord.http import Route
from pydantic import SecretStr

from bot.config import Settings
from bot.discord_plugin import DiscordPlugin, discord_plugin
from tests.adapters.discord.conftest import DiscordWorld, fake_settings, texts
from tests.adapters.discord.fake_discord import APP_ID, GUILD, FakeDiscord
from tests.runtime.serving import free_port, serving


class TestServeDiscord:
    async def test_it_syncs_commands_to_the_listed_servers_and_answers_over_the_gateway(
        self, fake_discord_server: FakeDiscord, tmp_path: Path
    ) -> None:
        # only the settings point discord.py at the fake, as DISCORD_API_BASE_URL and
        # DISCORD_GATEWAY_URL do for `unmentor run`
        fake_discord = fake_discord_server
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            host="127.0.0.1",
            port=free_port(),
        )
        factory = discord_plugin(
            fake_settings(fake_discord, token=SecretStr("test-token"), guild_ids=(int(GUILD),))
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

    async def test_discord_is_pointed_back_at_discord_once_the_bot_stops(
        self, fake_discord_server: FakeDiscord, tmp_path: Path
    ) -> None:
        before = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            host="127.0.0.1",
            port=free_port(),
        )
        factory = discord_plugin(fake_settings(fake_discord_server, token=SecretStr("t")))
        async with serving(settings, factory):
            assert fake_discord_server.base_url == Route.BASE
            await fake_discord_server.wait_until(lambda: fake_discord_server.identified == 1)
        assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
