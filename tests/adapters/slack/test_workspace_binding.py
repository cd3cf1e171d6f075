"""One workspace: requests naming another workspace are refused, and nothing is stored for them."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.authorize import NOT_INSTALLED
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM


class TestAnotherWorkspace:
    async def test_a_command_from_a_workspace_the_token_is_not_for_is_refused(
        self, world: SlackWorld, caplog: pytest.LogCaptureFixture
    ) -> None:
        world.slack.add_user("U1", "alice", admin=True)
        await world.command("U1", "join")  # the token's own workspace is answered
        caplog.set_level(logging.INFO)
        world.team = "T2"
        reply = await world.command("U1", "join")
        assert reply == NOT_INSTALLED
        async with world.services().uow as uow:
            assert await uow.communities.get("T2") is None
            assert await uow.members.get("T2", "U1", programme_id=GENERAL) is None
            assert [c.id for c in await uow.communities.list()] == [TEAM]
        assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1

    async def test_a_button_from_another_workspace_changes_nothing(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        world.team = "T2"
        message = {
            "ts": "1.0",
            "blocks": [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": "Join"},
                            "action_id": "unmentor_home_join",
                            "value": "join",
                        }
                    ],
                }
            ],
        }
        resp = await world.click("U1", message, "Join", "CGENERAL")
        assert resp.status == 200
        async with world.services().uow as uow:
            assert await uow.communities.list() == []
