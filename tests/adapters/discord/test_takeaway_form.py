"""The takeaway form on Discord refuses exactly what the core refuses, in the core's words."""

from __future__ import annotations

from typing import Any

import pytest

from pairing_core.programme import GENERAL
from pairing_core.typed_input import RATINGS, TAKEAWAY, FieldRefused, checked_reflection_fields
from tests.adapters.discord.conftest import COMMUNITY, REFLECTIONS, DiscordWorld
from tests.adapters.discord.test_round import ALICE, BOB, move_to, start_round, thread_of

# What a submission may carry that the core refuses: (takeaway, rating), each with one fault.
# The round is not here: it comes from the form the bot opened, never from the submission.
REFUSED = [
    pytest.param("x" * (TAKEAWAY.limit + 1), "4", id="2,001 characters"),
    pytest.param("a\x00b", "4", id="a NUL byte"),
    pytest.param("   ", "4", id="only spaces"),
    pytest.param("Worth it", "0", id="rating 0"),
    pytest.param("Worth it", "6", id="rating 6"),
    pytest.param("Worth it", "999", id="rating 999"),
    pytest.param("Worth it", "abc", id="rating abc"),
    pytest.param("Worth it", "³", id="rating superscript three"),
    pytest.param("Worth it", "٣", id="rating Arabic-Indic three"),
]


async def open_form(world: DiscordWorld) -> tuple[dict[str, Any], str]:
    """Start a round, reach its takeaway prompt and press it; return the form and the thread."""
    round_ = await start_round(world, ALICE, BOB)
    await move_to(world, round_.reflection_at)
    thread = thread_of(world, (ALICE, BOB))
    [opened] = await world.click(ALICE, world.fake.messages[thread][-1], "Share a takeaway")
    return opened.json["data"], thread


class TestTakeawayForm:
    @pytest.mark.parametrize(("text", "rating"), REFUSED)
    async def test_refuses_what_the_core_refuses_with_the_cores_reason(
        self, world: DiscordWorld, text: str, rating: str
    ) -> None:
        with pytest.raises(FieldRefused) as refused:
            checked_reflection_fields(text, rating, 1)
        form, thread = await open_form(world)
        reply = await world.submit(ALICE, form, {"takeaway": text, "rating": rating}, thread)
        assert reply == [str(refused.value)]
        async with world.services().uow as uow:
            assert await uow.reflections.list(COMMUNITY, GENERAL) == []
        assert REFLECTIONS not in world.fake.messages

    async def test_keeps_what_the_core_accepts_at_its_limits(self, world: DiscordWorld) -> None:
        form, thread = await open_form(world)
        inputs = {c["custom_id"]: c for row in form["components"] for c in row["components"]}
        assert (
            inputs["takeaway"]["max_length"] == TAKEAWAY.limit
        )  # Discord's hint, the core's limit
        top = str(RATINGS[-1])
        await world.submit(ALICE, form, {"takeaway": "x" * TAKEAWAY.limit, "rating": top}, thread)
        async with world.services().uow as uow:
            [saved] = await uow.reflections.list(COMMUNITY, GENERAL)
        assert (len(saved.text), saved.rating) == (TAKEAWAY.limit, RATINGS[-1])
