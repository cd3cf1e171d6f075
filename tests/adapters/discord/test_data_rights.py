"""Data rights on Discord: the export as a private file, forget-me confirmed with a button."""

from __future__ import annotations

import json

from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import CHANNEL, COMMUNITY, DiscordWorld, edit_of
from tests.adapters.discord.fake_discord import APP_ID, user_json

ALICE = "111111111111111111"


class TestMyData:
    async def test_the_export_arrives_as_a_private_json_attachment(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(ALICE, "unmentor join", organisation="Devon CC")
        before = len(world.fake.calls)
        await world.slash(ALICE, "unmentor my-data")
        [sent] = [c for c in world.fake.calls[before:] if c.json and c.json.get("files")]
        assert sent.json["flags"] & 64  # ephemeral
        export = json.loads(sent.json["files"]["unmentor-my-data.json"])
        assert export["member"]["organisation"] == "Devon CC"


class TestForgetMe:
    async def test_the_question_has_buttons_and_a_press_erases_the_member(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(ALICE, "unmentor join")
        before = len(world.fake.calls)
        await world.slash(ALICE, "unmentor forget-me")
        [question] = [c for c in world.fake.calls[before:] if c.json and c.json.get("components")]
        bot = user_json(APP_ID, "unmentor", bot=True)
        message = world.fake._message(CHANNEL, question.json, bot)
        calls = await world.click(ALICE, message, "Erase me, keep takeaways anonymised")
        assert "is erased" in edit_of(calls)["content"]
        async with world.services().uow as uow:
            assert await uow.members.get(COMMUNITY, ALICE, programme_id=GENERAL) is None
