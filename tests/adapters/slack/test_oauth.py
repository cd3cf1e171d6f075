"""Installing the app in several workspaces over OAuth, with tokens in the project's database.

Runs on SQLite and on PostgreSQL (skipped when no server is reachable, like the storage tests).
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_installations import SqlSlackInstallationStore
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.slack.http import add_slack_routes
from adapters.slack.scopes import BOT_SCOPES
from bot.bootstrap import open_storage
from bot.config import Settings
from bot.slack_config import SlackSettings
from bot.slack_wiring import build_slack
from pairing_core.programme import GENERAL
from pairing_core.services.context import Services
from tests.adapters.slack.conftest import SECRET, START, SlackWorld, _serve
from tests.adapters.slack.fake_slack import FakeSlack, PendingInstall
from tests.integration.conftest import BACKENDS, POSTGRES_URL, fresh_postgres_database
from tests.unit.fakes import FakeClock

# slack-sdk sends the client id and secret to oauth.v2.access with aiohttp.BasicAuth, which
# aiohttp 3.14 deprecates; the warning is slack-sdk's to fix, not a failure of this adapter.
pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning:slack_sdk.web.async_base_client"
)

CLIENT_ID = "1111.2222"
STATE_COOKIE = "slack-app-oauth-state"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'oauth.db'}"
        return
    async with fresh_postgres_database(POSTGRES_URL) as url:
        yield url


@dataclass
class Installer:
    """A browser going through the install, and the app as each installed workspace sees it."""

    world: SlackWorld
    store: SqlSlackInstallationStore

    @property
    def slack(self) -> FakeSlack:
        return self.world.slack

    async def start(self) -> tuple[int, str, str]:
        """Open /slack/install; return the status, where it redirects to, and the state cookie."""
        url = self.world.url + "/slack/install"
        async with self.world.session.get(url, allow_redirects=False) as resp:
            cookie = resp.cookies[STATE_COOKIE].value if STATE_COOKIE in resp.cookies else ""
            return resp.status, resp.headers.get("Location", ""), cookie

    async def come_back(self, code: str, state: str, cookie: str | None = None) -> int:
        """Arrive at /slack/oauth_redirect as Slack sends the installer back."""
        headers = {"Cookie": f"{STATE_COOKIE}={state if cookie is None else cookie}"}
        url = self.world.url + "/slack/oauth_redirect"
        async with self.world.session.get(
            url, params={"code": code, "state": state}, headers=headers, allow_redirects=False
        ) as resp:
            await resp.read()
            return resp.status

    async def install(self, team_id: str) -> None:
        """Install the app in a workspace, all the way through."""
        self.slack.installs[f"code-{team_id}"] = PendingInstall(team_id, f"{team_id} council")
        status, _, state = await self.start()
        assert status == 302
        assert await self.come_back(f"code-{team_id}", state) == 200

    def as_team(self, team_id: str) -> SlackWorld:
        return SlackWorld(
            self.slack,
            self.world.deps,
            self.world.clock,
            self.world.url,
            self.world.session,
            team_id,
        )


@pytest.fixture
async def installer(database_url: str) -> AsyncIterator[Installer]:
    slack = FakeSlack(granted_scopes=",".join(BOT_SCOPES))
    fake_runner, slack.base_url = await _serve(slack.web_app())
    clock = FakeClock(START)
    rng = random.Random(5)
    slack_settings = SlackSettings(
        client_id=CLIENT_ID,
        client_secret=SecretStr("client-secret"),
        signing_secret=SecretStr(SECRET),
        api_base_url=f"{slack.base_url}/api/",
    )
    assert slack_settings.mode == "oauth"
    try:
        async with open_storage(Settings(database_url=database_url)) as storage:
            sessions = session_factory(storage.engine)
            adapter = build_slack(
                slack_settings,
                storage.engine,
                lambda: Services(SqlAlchemyUnitOfWork(sessions), clock, rng),
                clock,
            )
            web_app = web.Application()
            assert adapter.gate is not None
            add_slack_routes(web_app, adapter.app, adapter.gate, adapter.deps.unanswered)
            app_runner, url = await _serve(web_app)
            try:
                async with aiohttp.ClientSession() as session:
                    world = SlackWorld(slack, adapter.deps, clock, url, session)
                    yield Installer(world, SqlSlackInstallationStore(sessions, CLIENT_ID))
                    await adapter.deps.in_flight.wait_idle()
            finally:
                await app_runner.cleanup()
    finally:
        await fake_runner.cleanup()


class TestInstallPage:
    async def test_it_redirects_to_slacks_consent_page_with_the_bot_scopes(
        self, installer: Installer
    ) -> None:
        status, location, cookie = await installer.start()
        assert status == 302
        target = urlsplit(location)
        assert f"{target.scheme}://{target.netloc}{target.path}" == (
            "https://slack.com/oauth/v2/authorize"
        )
        query = parse_qs(target.query, keep_blank_values=True)
        assert query["client_id"] == [CLIENT_ID]
        assert query["scope"][0].split(",") == list(BOT_SCOPES)
        assert query["user_scope"] == [""]
        [state] = query["state"]
        assert len(state) >= 32 and cookie == state

    async def test_each_visit_gets_its_own_state(self, installer: Installer) -> None:
        first, second = await installer.start(), await installer.start()
        assert first[2] != second[2]


class TestOAuthRedirect:
    async def test_the_code_is_exchanged_and_the_installation_stored(
        self, installer: Installer
    ) -> None:
        installer.slack.installs["code-1"] = PendingInstall("T2", "Devon council")
        _, _, state = await installer.start()
        assert await installer.come_back("code-1", state) == 200
        [exchange] = installer.slack.called("oauth.v2.access")
        assert exchange.args["code"] == "code-1"
        bot = await installer.store.async_find_bot(enterprise_id=None, team_id="T2")
        assert bot is not None and bot.bot_token == "xoxb-T2"
        assert bot.bot_scopes == list(BOT_SCOPES)
        found = await installer.store.async_find_installation(enterprise_id=None, team_id="T2")
        assert found is not None and found.user_id == "UINSTALLER"
        assert found.team_name == "Devon council"

    async def test_an_unknown_state_is_refused_and_nothing_is_exchanged(
        self, installer: Installer
    ) -> None:
        installer.slack.installs["code-1"] = PendingInstall("T2", "Devon council")
        await installer.start()
        assert await installer.come_back("code-1", "made-up-state") == 401
        assert installer.slack.called("oauth.v2.access") == []
        assert await installer.store.bot_token("T2") is None

    async def test_a_state_is_good_for_one_install_only(self, installer: Installer) -> None:
        installer.slack.installs["code-1"] = PendingInstall("T2", "Devon council")
        installer.slack.installs["code-2"] = PendingInstall("T3", "Leeds council")
        _, _, state = await installer.start()
        assert await installer.come_back("code-1", state) == 200
        assert await installer.come_back("code-2", state) == 401
        assert await installer.store.bot_token("T3") is None

    async def test_a_state_without_the_browsers_cookie_is_refused(
        self, installer: Installer
    ) -> None:
        installer.slack.installs["code-1"] = PendingInstall("T2", "Devon council")
        _, _, state = await installer.start()
        assert await installer.come_back("code-1", state, cookie="another-state") == 400
        assert installer.slack.called("oauth.v2.access") == []


class TestInstalledWorkspaces:
    async def test_each_workspace_is_answered_and_introduced_with_its_own_token(
        self, installer: Installer
    ) -> None:
        await installer.install("T2")
        await installer.install("T3")
        for team, people in (("T2", ("U1", "U2")), ("T3", ("U3", "U4"))):
            world = installer.as_team(team)
            installer.slack.add_user(f"A{team}", "boss", admin=True)
            await world.command(f"A{team}", f"admin settings add-admin=<@A{team}>")
            for person in people:
                installer.slack.add_user(person, person.lower())
                assert (await world.command(person, "join")).startswith("You're in the pot")
            reply = await world.command(f"A{team}", "admin round now")
            assert reply.startswith("Round 1 has started")
        tokens = {
            c.args["channel"]: c.token
            for c in installer.slack.called("chat.postMessage")
            if c.args["channel"].startswith("G")
        }
        assert tokens == {"GU1-U2": "xoxb-T2", "GU3-U4": "xoxb-T3"}
        for call in installer.slack.called("users.info"):
            expected = "xoxb-T2" if call.args["user"] in ("U1", "U2", "AT2") else "xoxb-T3"
            assert call.token == expected

    async def test_a_workspace_that_never_installed_is_told_to_install(
        self, installer: Installer
    ) -> None:
        await installer.install("T2")
        world = installer.as_team("T9")
        reply = await world.command("U1", "join")
        assert "install" in reply
        async with world.services().uow as uow:
            assert await uow.communities.get("T9") is None
            assert await uow.members.get("T9", "U1", programme_id=GENERAL) is None

    async def test_uninstalling_deletes_the_workspaces_tokens(self, installer: Installer) -> None:
        await installer.install("T2")
        await installer.install("T3")
        resp = await installer.as_team("T2").event({"type": "app_uninstalled"})
        assert resp.status == 200
        assert await installer.store.bot_token("T2") is None
        assert (
            await installer.store.async_find_installation(enterprise_id=None, team_id="T2") is None
        )
        assert await installer.store.bot_token("T3") == "xoxb-T3"

    async def test_revoked_bot_tokens_are_deleted(self, installer: Installer) -> None:
        await installer.install("T2")
        await installer.as_team("T2").event(
            {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
        )
        assert await installer.store.bot_token("T2") is None
