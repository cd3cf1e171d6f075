"""``unmentor run`` at DEBUG, through an OAuth install and a round: no secret reaches the log.

The bot runs as its own process against a fake Slack, as in production, and its whole log (its
standard error) is read afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.persistence.token_cipher import TokenCipher
from tests.adapters.slack.conftest import SECRET, sign
from tests.adapters.slack.fake_slack import FakeSlack, PendingInstall
from tests.runtime.serving import free_port

# slack-sdk sends the client id and secret to oauth.v2.access with aiohttp.BasicAuth, which
# aiohttp 3.14 deprecates; the warning is slack-sdk's to fix, not a failure of this adapter.
pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning:slack_sdk.web.async_base_client"
)

TEAM = "T0LEAKTEST"
BOT_TOKEN = PendingInstall(TEAM, "").bot_token
CLIENT_SECRET = "client-secret-0123456789abcdef"
CONTACT = "call me on 07700 900123"
STATE_COOKIE = "slack-app-oauth-state"


@contextlib.asynccontextmanager
async def running_bot(env: dict[str, str], cwd: Path, log: Path) -> AsyncIterator[str]:
    """Run ``unmentor run`` with ``env``, its output to ``log``; yield its URL once healthy."""
    base = f"http://127.0.0.1:{env['UNMENTOR_PORT']}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "run"],
            env={**os.environ, **env},
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            async with aiohttp.ClientSession() as session:
                while True:
                    with contextlib.suppress(aiohttp.ClientError):
                        async with session.get(base + "/healthz") as response:
                            if response.status == 200:
                                break
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "never became healthy"
                    await asyncio.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                await asyncio.to_thread(process.wait, 20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def install(session: aiohttp.ClientSession, base: str, slack: FakeSlack) -> None:
    slack.installs["code-1"] = PendingInstall(TEAM, "Leak council")
    async with session.get(base + "/slack/install", allow_redirects=False) as response:
        assert response.status == 302
        state = response.cookies[STATE_COOKIE].value
    async with session.get(
        base + "/slack/oauth_redirect",
        params={"code": "code-1", "state": state},
        headers={"Cookie": f"{STATE_COOKIE}={state}"},
        allow_redirects=False,
    ) as response:
        assert response.status == 200, await response.text()


async def command(
    session: aiohttp.ClientSession, base: str, slack: FakeSlack, user: str, text: str
) -> None:
    before = len(slack.called("respond"))
    body = urlencode(
        {
            "command": "/unmentor",
            "text": text,
            "team_id": TEAM,
            "user_id": user,
            "response_url": f"{slack.base_url}/respond/{user}",
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with session.post(base + "/slack/events", data=body, headers=headers) as response:
        assert response.status == 200
    await slack.wait_for("respond", count=before + 1, timeout=20)


class TestLogsAtDebug:
    @pytest.mark.parametrize("library_level", ["", "DEBUG"], ids=["bot-debug", "all-debug"])
    async def test_an_install_and_a_round_log_no_token_or_secret(
        self, fake_slack: FakeSlack, tmp_path: Path, library_level: str
    ) -> None:
        key = TokenCipher.new_key()
        env = {
            "UNMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "UNMENTOR_HOST": "127.0.0.1",
            "UNMENTOR_PORT": str(free_port()),
            "UNMENTOR_LOG_LEVEL": "DEBUG",
            "UNMENTOR_LIBRARY_LOG_LEVEL": library_level,
            "UNMENTOR_SECRET_KEY": key,
            "UNMENTOR_DELIVERY_INTERVAL_SECONDS": "0.2",
            "SLACK_CLIENT_ID": "1111.2222",
            "SLACK_CLIENT_SECRET": CLIENT_SECRET,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": f"{fake_slack.base_url}/api/",
        }
        fake_slack.add_user("UADMIN", "boss", admin=True)
        fake_slack.add_user("U1", "alice")
        fake_slack.add_user("U2", "bob")
        log = tmp_path / "bot.log"
        async with (
            running_bot(env, tmp_path, log) as base,
            aiohttp.ClientSession() as session,
        ):
            await install(session, base, fake_slack)
            await command(session, base, fake_slack, "UADMIN", "admin settings add-admin=<@UADMIN>")
            await command(session, base, fake_slack, "U1", "join")
            await command(session, base, fake_slack, "U2", "join")
            await command(session, base, fake_slack, "U1", f"contact {CONTACT}")
            await command(session, base, fake_slack, "UADMIN", "admin round now")
            [intro] = await fake_slack.wait_for("chat.postMessage", timeout=20)
            assert intro.token == BOT_TOKEN
        written = log.read_text()
        assert "serving on" in written
        with sqlite3.connect(tmp_path / "bot.db") as db:
            [(stored,)] = db.execute("SELECT bot_token FROM slack_bots").fetchall()
        assert stored.startswith("fernet:") and BOT_TOKEN not in stored
        for secret in (BOT_TOKEN, CLIENT_SECRET, SECRET, key):
            assert secret not in written
        if library_level:
            # slack-sdk logged the oauth.v2.access answer; the filter took the token out
            assert "'access_token': '[redacted]'" in written
        else:
            assert CONTACT not in written  # typed personal data
