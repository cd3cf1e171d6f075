"""Slack and Discord in one ``serve``: each community's messages go out on its own platform only."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from bot.discord_plugin import discord_plugin
from bot.slack_config import SlackSettings
from bot.slack_plugin import SlackPlugin, slack_plugin
from pairing_core.member import Member
from pairing_core.message import OutboxStatus
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.round_calendar import run_round_now
from tests.adapters.discord.conftest import fake_settings, serve_fake
from tests.adapters.discord.fake_discord import GUILD, FakeDiscord
from tests.adapters.slack.conftest import SECRET
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.runtime.serving import Running, free_port, serving

SLACK_PEOPLE = ("U1", "U2")
DISCORD_PEOPLE = ("100000000000000001", "100000000000000002")
DISCORD_COMMUNITY = f"discord:{GUILD}"
REFLECTIONS = "600000000000000002"
INTRO = "round:1:group:0:intro"


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    runner = await serve_fake(fake)
    try:
        yield fake
    finally:
        await runner.cleanup()


async def _seed_two_rounds(settings: Settings) -> None:
    """A Slack workspace and a Discord server, each with a round just started (intros queued)."""
    now = datetime.now(UTC)
    async with open_storage(settings) as storage:
        services = services_for(storage, seed=1)
        await ensure_community(services.uow, now, TEAM, "slack", "Slack workspace")
        await ensure_community(
            services.uow,
            now,
            DISCORD_COMMUNITY,
            "discord",
            "Discord server",
            ProgrammeSettings(reflections_channel=REFLECTIONS),
        )
        async with services.uow as uow:
            for community, people in ((TEAM, SLACK_PEOPLE), (DISCORD_COMMUNITY, DISCORD_PEOPLE)):
                for person in people:
                    await uow.members.add(Member(community, person, f"name {person}", now))
            await uow.commit()
        await run_round_now(services, TEAM, GENERAL)
        await run_round_now(services, DISCORD_COMMUNITY, GENERAL)


async def _until_sent(running: Running, community: str, timeout: float = 20.0) -> None:
    """Wait until the delivery workers have marked the community's intro sent."""
    plugin = next(p for p in running.plugins if isinstance(p, SlackPlugin))
    deadline = time.monotonic() + timeout
    while True:
        async with plugin.adapter.deps.new_services().uow as uow:
            item = await uow.outbox.get(community, INTRO)
        if item is not None and item.status is OutboxStatus.SENT:
            return
        assert time.monotonic() < deadline, f"{community}'s intro was never sent"
        await asyncio.sleep(0.05)


class TestRunWithSlackAndDiscord:
    async def test_each_communitys_intro_goes_only_to_its_own_platform(
        self, fake_slack: FakeSlack, fake_discord: FakeDiscord, tmp_path: Path
    ) -> None:
        for person in SLACK_PEOPLE:
            fake_slack.add_user(person, f"name {person}")
        for person in DISCORD_PEOPLE:
            fake_discord.add_user(person, f"name{person[-1]}")
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'both.db'}",
            host="127.0.0.1",
            port=free_port(),
            delivery_interval_seconds=0.2,
        )
        await _seed_two_rounds(settings)
        slack = slack_plugin(
            SlackSettings(
                bot_token=SecretStr("xoxb-test"),
                signing_secret=SecretStr(SECRET),
                api_base_url=f"{fake_slack.base_url}/api/",
            )
        )
        discord = discord_plugin(
            fake_settings(fake_discord, token=SecretStr("test-token"), guild_ids=(int(GUILD),))
        )
        async with serving(settings, slack, discord) as running:
            await fake_discord.wait_until(lambda: fake_discord.identified == 1)
            for community in (TEAM, DISCORD_COMMUNITY):
                await _until_sent(running, community)

        [opened] = fake_slack.called("conversations.open")
        assert sorted(str(opened.args["users"]).split(",")) == list(SLACK_PEOPLE)
        [intro] = fake_slack.called("chat.postMessage")
        assert "say hello" in str(intro.args)
        # uploaded files (the intro's calendar invites) are searched too
        sent_to_slack = json.dumps([c.args for c in fake_slack.calls], default=_text)
        assert not any(person in sent_to_slack for person in DISCORD_PEOPLE)

        [(thread, made)] = fake_discord.threads.items()
        assert sorted(made["members"]) == list(DISCORD_PEOPLE)
        [discord_intro] = fake_discord.messages[thread]
        assert discord_intro["content"].startswith("**UnMentoring round 1** — say hello!")
        sent_to_discord = json.dumps([c.json for c in fake_discord.calls], default=_text)
        assert not any(person in sent_to_discord for person in SLACK_PEOPLE)


def _text(value: object) -> str:
    """Show a file's bytes as text, so what it holds is searched with the rest."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
