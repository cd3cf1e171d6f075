"""What people type reaches Discord as they typed it: never a link, a mention or a ping."""

from __future__ import annotations

from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import COMMUNITY, REFLECTIONS, DiscordWorld
from tests.adapters.discord.test_round import ALICE, BOB, move_to, start_round, thread_of


async def share_takeaway(world: DiscordWorld, typed: str) -> str:
    """Submit ``typed`` through the takeaway form; return the post's content in the channel."""
    round_ = await start_round(world, ALICE, BOB)
    await move_to(world, round_.reflection_at)
    thread = thread_of(world, (ALICE, BOB))
    prompt = world.fake.messages[thread][-1]
    [opened] = await world.click(ALICE, prompt, "Share a takeaway")
    await world.submit(ALICE, opened.json["data"], {"takeaway": typed, "rating": "4"}, thread)
    [post] = world.fake.messages[REFLECTIONS]
    return str(post["content"])


class TestTakeawaysAsTyped:
    async def test_a_labelled_link_in_a_takeaway_is_not_made_a_link(
        self, world: DiscordWorld
    ) -> None:
        content = await share_takeaway(world, "See <https://x.example|label> & more")

        # "\<" shows as "<" in Discord and starts nothing; no "[label](...)" masked link
        assert content.endswith("\n> See \\<https://x.example|label> & more")
        assert "[label]" not in content
        async with world.services().uow as uow:
            [reflection] = await uow.reflections.list(COMMUNITY, GENERAL)
        assert reflection.text == "See <https://x.example|label> & more"

    async def test_a_masked_link_stays_text_and_a_named_person_stays_a_mention(
        self, world: DiscordWorld
    ) -> None:
        content = await share_takeaway(world, "ask <@123456789012345678> [docs](https://e.example)")

        assert content.endswith("\n> ask <@123456789012345678> \\[docs](https://e.example)")

    async def test_only_the_people_named_can_be_pinged_by_the_post_never_everyone(
        self, world: DiscordWorld
    ) -> None:
        await share_takeaway(world, "<@123456789012345678> @everyone @here <@&555>")

        [call] = world.fake.called("POST", f"/channels/{REFLECTIONS}/messages")
        assert call.json["allowed_mentions"] == {
            "parse": [],
            "users": sorted([int(ALICE), int(BOB), 123456789012345678]),
        }
