"""A dashboard served over HTTP on 127.0.0.1 with a fake Slack and Discord beside it, and a
storage holding two Slack workspaces and one Discord server, each with admins and a round run."""

from __future__ import annotations

import random
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest_asyncio
from aiohttp import web

from adapters.charts import PngCharts
from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory
from adapters.persistence.repositories.dashboard_sessions import SqlDashboardSessions
from adapters.web.app import add_dashboard
from adapters.web.config import DashboardConfig, DiscordSignIn, SlackSignIn
from adapters.web.deps import DashboardDeps
from pairing_core.community import CommunitySettings
from pairing_core.member import Member
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.reflection import Reflection
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Services
from pairing_core.services.round_calendar import run_round_now
from tests.adapters.web.fake_sign_in import (
    DISCORD_BOT_TOKEN,
    DISCORD_CLIENT,
    SLACK_CLIENT,
    FakeSignIn,
)
from tests.integration.conftest import migrated_sqlite  # noqa: F401  (a fixture)
from tests.unit.fakes import FakeClock

SECRET = "a-test-session-secret-of-at-least-32-characters"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = "9001"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Dashboard:
    url: str
    fake: FakeSignIn
    clock: FakeClock
    database_url: str
    sessions: SqlDashboardSessions
    engine_services: list[Services]

    def services(self) -> Services:
        return self.engine_services[0]

    def client(self) -> aiohttp.ClientSession:
        # unsafe: accept cookies from an IP address, as the browser does for 127.0.0.1
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def sign_in(self, client: aiohttp.ClientSession, provider: str = "slack") -> str:
        """Go through the sign-in; return the page it ends on."""
        async with client.get(f"{self.url}/dashboard/sign-in/{provider}") as response:
            return await response.text()

    def page(self, community: str, programme: str = GENERAL, rest: str = "") -> str:
        return f"{self.url}/dashboard/c/{community}/p/{programme}{rest}"


async def seed(services: Services, clock: FakeClock) -> None:
    """T1 (admin U1), T2 (admin U2), and a Discord server whose admin role is R-admin."""
    uow = services.uow
    for community, platform, name, admins, role in (
        ("T1", "slack", "Devon Network", {"U1"}, None),
        ("T2", "slack", "Leeds Network", {"U2"}, None),
        (f"discord:{GUILD}", "discord", "Cornwall Server", set(), "R-admin"),
    ):
        await ensure_community(
            uow,
            clock.now(),
            community,
            platform,
            name,
            ProgrammeSettings(reflections_channel="CREFL"),
            CommunitySettings(admins=frozenset(admins), admin_role=role),
        )
        async with uow:
            for n in range(6):
                await uow.members.add(
                    Member(community, f"M{n}", f"Member {n}", clock.now(), organisation=f"org{n % 3}",
                           contact=f"secret-contact-{n}")
                )  # fmt: skip
            await uow.commit()
        round_ = await run_round_now(services, community, GENERAL)
        async with uow:
            group = round_.groups[0]
            for public, text in (
                (True, "Councils share more than we think"),
                (False, "PRIVATE-NOTE"),
            ):
                await uow.reflections.add(
                    Reflection(community, round_.number, group.index if public else round_.groups[1].index,
                               group.members[0], group.members, text, public, clock.now(), rating=4)
                )  # fmt: skip
            await uow.commit()


@pytest_asyncio.fixture
async def dashboard(
    tmp_path: Path,
    migrated_sqlite: Path,  # noqa: F811
) -> AsyncIterator[Dashboard]:
    database = tmp_path / "unmentor.db"
    shutil.copy(migrated_sqlite, database)
    url = f"sqlite+aiosqlite:///{database}"
    engine = create_engine(url)
    clock = FakeClock(START)
    sessions_made = session_factory(engine)

    def new_services() -> Services:
        return Services(SqlAlchemyUnitOfWork(sessions_made), clock, random.Random(7),
                        charts=PngCharts())  # fmt: skip

    await seed(new_services(), clock)
    fake = FakeSignIn(discord_roles={GUILD: {"111": ["R-admin"], "222": ["R-other"]}})
    fake_runner = web.AppRunner(fake.app())
    await fake_runner.setup()
    fake_port = free_port()
    await web.TCPSite(fake_runner, "127.0.0.1", fake_port).start()
    fake_url = f"http://127.0.0.1:{fake_port}"
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    config = DashboardConfig(
        public,
        SECRET,
        SlackSignIn(*SLACK_CLIENT, f"{fake_url}/slack/openid/connect/authorize",
                    f"{fake_url}/slack/api/"),
        DiscordSignIn(*DISCORD_CLIENT, DISCORD_BOT_TOKEN, f"{fake_url}/discord/oauth2/authorize",
                      f"{fake_url}/discord/api"),
    )  # fmt: skip
    sessions = SqlDashboardSessions(sessions_made, clock.now)
    app = web.Application()
    add_dashboard(app, DashboardDeps(config, new_services, sessions, PngCharts()))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield Dashboard(public, fake, clock, url, sessions, [new_services()])
    finally:
        await runner.cleanup()
        await fake_runner.cleanup()
        await engine.dispose()
