"""Requests are checked before their body is read: forged ones refused, replays without effect."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest

from tests.adapters.slack.conftest import SlackWorld, sign
from tests.adapters.slack.fake_slack import TEAM

FORM = "application/x-www-form-urlencoded"


def _gate_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("adapters.slack", "slack_bolt"))]


class TestMalformedUnsignedRequests:
    @pytest.mark.parametrize(
        ("body", "headers"),
        [
            pytest.param(b"payload=%7Bnot-json", {}, id="not JSON, unsigned"),
            pytest.param(b"payload=\xff\xfe\x00", {}, id="not UTF-8"),
            pytest.param(
                b"payload=%7B%7D",
                {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
                id="a timestamp that is not a number",
            ),
            pytest.param(
                b"payload=%7Bnot-json",
                {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=00"},
                id="not JSON, forged signature",
            ),
        ],
    )
    async def test_are_refused_401_with_one_log_line_and_no_traceback(
        self,
        world: SlackWorld,
        caplog: pytest.LogCaptureFixture,
        body: bytes,
        headers: dict[str, str],
    ) -> None:
        caplog.set_level(logging.INFO)
        async with world.session.post(
            world.url + "/slack/events", data=body, headers={"Content-Type": FORM, **headers}
        ) as resp:
            assert resp.status == 401
        [line] = _gate_lines(caplog)
        assert line.exc_info is None
        assert "signature" in line.getMessage()


class TestReplays:
    async def test_the_same_signed_command_sent_twice_takes_effect_once(
        self, world_on_each_backend: SlackWorld, caplog: pytest.LogCaptureFixture
    ) -> None:
        world = world_on_each_backend
        world.slack.add_user("U1", "alice")
        body = urlencode(
            {
                "command": "/unmentor",
                "text": "join",
                "team_id": TEAM,
                "user_id": "U1",
                "response_url": f"{world.slack.base_url}/respond/1",
            }
        )
        headers = sign(body)
        first = await world.post(body, FORM, headers)
        await world.settle()
        caplog.set_level(logging.INFO)
        again = await world.post(body, FORM, headers)
        await world.settle()
        assert (first.status, again.status, again.body) == (200, 200, "")
        assert len(world.slack.called("respond")) == 1
        [line] = _gate_lines(caplog)
        assert "replayed" in line.getMessage()

    async def test_a_new_signature_for_the_same_words_is_handled(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "status")
        await world.command("U1", "status")
        assert len(world.slack.called("respond")) == 2
