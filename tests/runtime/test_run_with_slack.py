"""``unmentor run`` with Slack configured: one process serving Slack, the scheduler and delivery."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.runtime.serve import serve
from bot.slack_config import SlackSettings
from bot.slack_plugin import slack_plugin
from tests.adapters.slack.conftest import SECRET, sign
from tests.adapters.slack.fake_slack import TEAM, FakeSlack


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _command(
    session: aiohttp.ClientSession, base: str, fake: FakeSlack, user: str, text: str
) -> None:
    body = urlencode(
        {
            "command": "/unmentor",
            "text": text,
            "team_id": TEAM,
            "user_id": user,
            "response_url": f"{fake.base_url}/respond/{user}",
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with session.post(base + "/slack/events", data=body, headers=headers) as response:
        assert response.status == 200


async def _wait_until(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


class TestRunWithSlack:
    async def test_a_round_started_by_an_admin_is_introduced_by_the_delivery_worker(
        self, fake_slack: FakeSlack, tmp_path: Path
    ) -> None:
        fake_slack.add_user("U1", "alice")
        fake_slack.add_user("U2", "bob")
        fake_slack.add_user("UA", "ada", admin=True)
        port = _free_port()
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            host="127.0.0.1",
            port=port,
            delivery_interval_seconds=0.2,
        )
        slack = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr(SECRET),
            api_base_url=f"{fake_slack.base_url}/api/",
        )
        task = asyncio.create_task(serve(settings, plugins=[slack_plugin(slack)]))
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession() as session:

                async def healthy() -> bool:
                    with contextlib.suppress(aiohttp.ClientError):
                        async with session.get(base + "/healthz") as response:
                            return response.status == 200
                    return False

                deadline = time.monotonic() + 30
                while not await healthy():
                    assert time.monotonic() < deadline and not task.done(), "never became healthy"
                    await asyncio.sleep(0.1)
                await _command(session, base, fake_slack, "U1", "join")
                await _command(session, base, fake_slack, "U2", "join")
                # commands are worked on after their ack: both must have joined before the round
                await fake_slack.wait_for("respond", count=2)
                await _command(session, base, fake_slack, "UA", "admin round now")
                await _wait_until(lambda: len(fake_slack.called("chat.postMessage")) >= 1)
                async with session.get(base + "/metrics") as response:
                    metrics = await response.text()
            [intro] = fake_slack.called("chat.postMessage")
            assert "say hello" in str(intro.args)
            assert len(fake_slack.called("conversations.open")) == 1
            assert "unmentor" in metrics
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


class TestRunCommand:
    def test_run_with_slack_tokens_serves_health_and_migrates_at_start(
        self, fake_slack_url: str, tmp_path: Path
    ) -> None:
        port = _free_port()
        env = {
            **os.environ,
            "UNMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'proc.db'}",
            "UNMENTOR_HOST": "127.0.0.1",
            "UNMENTOR_PORT": str(port),
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": fake_slack_url,
        }
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "run"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            status = None
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    import urllib.request

                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                        status = r.status
                        break
                except OSError:
                    time.sleep(0.2)
            assert status == 200, (
                process.stdout.read() if process.poll() is not None else "no answer"
            )
            assert (tmp_path / "proc.db").exists()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        assert process.returncode == 0


@pytest.fixture
def fake_slack_url() -> str:
    # the process never needs to reach Slack just to start and answer health checks
    return "http://127.0.0.1:9/api/"
