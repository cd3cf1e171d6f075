"""Slack as a plugin of ``serve``: the whole runtime on a real port, against the fake Slack Web API."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from adapters.slack.deps import SlackDeps
from bot.config import Settings
from bot.slack_config import SlackSettings
from bot.slack_plugin import SlackPlugin, slack_plugin
from tests.adapters.slack.conftest import SECRET, sign
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.runtime.serving import Running, free_port, serving


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    runner = web.AppRunner(slack.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    slack.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield slack
    await runner.cleanup()


def _settings(database: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{database}", host="127.0.0.1", port=free_port()
    )


def _deps(running: Running) -> SlackDeps:
    [plugin] = running.plugins
    assert isinstance(plugin, SlackPlugin)
    return plugin.adapter.deps


class TestServeSlack:
    async def test_it_answers_health_checks_and_slash_commands_until_cancelled(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        fake_slack.add_user("U1", "alice")
        slack_settings = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        async with serving(_settings(tmp_path / "run.db"), slack_plugin(slack_settings)) as running:
            deps, base = _deps(running), running.base
            async with aiohttp.ClientSession() as session:
                async with session.get(base + "/healthz") as resp:
                    assert resp.status == 200
                    assert await resp.json() == {"database": "ok", "scheduler": "running"}
                body = urlencode(
                    {
                        "command": "/unmentor",
                        "text": "join",
                        "team_id": TEAM,
                        "user_id": "U1",
                        "response_url": f"{fake_slack.base_url}/respond/1",
                    }
                )
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                async with session.post(base + "/slack/events", data=body, headers=headers) as r:
                    assert r.status == 200
            await deps.in_flight.wait_idle()
            [reply] = fake_slack.called("respond")
            assert str(reply.args["text"]).startswith("You're in the pot!")
        assert running.task.cancelled()


class TestConnections:
    async def test_web_api_calls_share_connections_rather_than_opening_one_each(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        slack_settings = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        async with (
            serving(_settings(tmp_path / "pool.db"), slack_plugin(slack_settings)) as running,
            aiohttp.ClientSession() as session,
        ):
            for n in range(6):
                fake_slack.add_user(f"U{n}", f"person{n}")
                body = urlencode(
                    {
                        "command": "/unmentor",
                        "text": "join",
                        "team_id": TEAM,
                        "user_id": f"U{n}",
                        "response_url": f"{fake_slack.base_url}/respond/{n}",
                    }
                )
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                async with session.post(
                    running.base + "/slack/events", data=body, headers=headers
                ) as resp:
                    assert resp.status == 200
                await _deps(running).in_flight.wait_idle()
        api_calls = [c for c in fake_slack.calls if c.peer is not None and c.method != "respond"]
        assert len(api_calls) >= 6
        assert len({c.peer for c in api_calls}) < len(api_calls) / 2


class TestSocketMode:
    async def test_a_slash_command_envelope_is_acked_over_the_socket_and_answered(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        fake_slack.add_user("U1", "alice")
        slack_settings = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            app_token=SecretStr("xapp-test"),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        settings = _settings(tmp_path / "socket.db")
        async with serving(settings, slack_plugin(slack_settings)) as running:
            [opened] = await fake_slack.wait_for("apps.connections.open")
            assert opened.token == "xapp-test"
            await fake_slack.wait_for("socket.connected")
            await fake_slack.push(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "command": "/unmentor",
                        "text": "join Devon CC",
                        "team_id": TEAM,
                        "user_id": "U1",
                        "user_name": "alice",
                        "response_url": f"{fake_slack.base_url}/respond/1",
                        "trigger_id": "trig",
                    },
                }
            )
            [ack] = await fake_slack.wait_for("socket")
            assert ack.args["envelope_id"] == "env-1"
            [reply] = await fake_slack.wait_for("respond")
            await _deps(running).in_flight.wait_idle()
        assert str(reply.args["text"]).startswith("You're in the pot (organisation: Devon CC)!")
        assert {c.token for c in fake_slack.called("users.info")} == {"xoxb-test"}

    async def test_no_http_events_are_accepted_without_a_signing_secret(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        slack_settings = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            app_token=SecretStr("xapp-test"),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        settings = _settings(tmp_path / "socket.db")
        async with (
            serving(settings, slack_plugin(slack_settings)) as running,
            aiohttp.ClientSession() as session,
        ):
            async with session.post(running.base + "/slack/events", data="x=1") as resp:
                assert resp.status == 404
            async with session.get(running.base + "/healthz") as resp:
                assert resp.status == 200


class TestServeSeveralWorkspaces:
    @pytest.mark.filterwarnings(
        "ignore:BasicAuth is deprecated:DeprecationWarning:slack_sdk.web.async_base_client"
    )
    async def test_it_serves_the_install_page_and_health_checks(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        slack_settings = SlackSettings(
            client_id="1111.2222",
            client_secret=SecretStr("client-secret"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        settings = _settings(tmp_path / "oauth.db")
        async with (
            serving(settings, slack_plugin(slack_settings)) as running,
            aiohttp.ClientSession() as session,
        ):
            base = running.base
            async with session.get(base + "/slack/install", allow_redirects=False) as resp:
                assert resp.status == 302
                assert resp.headers["Location"].startswith("https://slack.com/oauth/v2/authorize?")
            async with session.get(base + "/healthz") as resp:
                assert resp.status == 200


class TestStartupWarnings:
    async def test_starting_from_the_environment_logs_no_warning_about_an_unused_token(
        self,
        fake_slack: FakeSlack,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # as `unmentor run` is started: the tokens are in the environment, where bolt looks too
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_API_BASE_URL", f"{fake_slack.base_url}/api/")
        with caplog.at_level(logging.INFO):
            async with serving(_settings(tmp_path / "run.db"), slack_plugin(SlackSettings())):
                pass
        slack_warnings = [
            r.getMessage()
            for r in caplog.records
            if r.name.startswith(("adapters.slack", "slack")) and r.levelno >= logging.WARNING
        ]
        assert slack_warnings == []
        assert os.environ["SLACK_BOT_TOKEN"] == "xoxb-test"  # put back after the app was built
