"""Data rights in Slack: the export shown inline, forget-me confirmed with a button."""

from __future__ import annotations

import json
from typing import Any

from pairing_core.message import unescape_markup
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM


async def my_data(world: SlackWorld, user: str) -> Any:
    """Run ``my-data`` as ``user``; return the export shown inline as JSON code blocks."""
    await world.command(user, "my-data")
    respond = world.slack.called("respond")[-1].args
    assert respond["response_type"] == "ephemeral"
    code = "".join(
        b["text"]["text"].removeprefix("```\n").removesuffix("\n```") for b in respond["blocks"][1:]
    )
    return json.loads(unescape_markup(code))  # Slack shows &amp; &lt; &gt; as & < >


class TestMyData:
    async def test_the_export_arrives_privately_as_json_code_blocks(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join Devon CC")
        assert (await my_data(world, "U1"))["member"]["organisation"] == "Devon CC"


class TestForgetMe:
    async def test_the_button_erases_the_member_and_replaces_the_question(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join Devon CC")
        await world.command("U1", "forget-me")
        question = world.slack.called("respond")[-1].args
        async with world.services().uow as uow:
            assert await uow.members.get(TEAM, "U1", programme_id=GENERAL) is not None
        await world.click("U1", question, "Erase me, delete my takeaways", "D1")
        answer = world.slack.called("respond")[-1].args
        assert answer["replace_original"] is True
        assert "is erased" in answer["text"]
        async with world.services().uow as uow:
            assert await uow.members.get(TEAM, "U1", programme_id=GENERAL) is None
