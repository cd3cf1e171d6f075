"""The heads-up through Discord: a DM before matching whose Skip button works from the DM."""

from __future__ import annotations

from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.heads_up import heads_up_at
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, texts
from tests.adapters.discord.test_round import ALICE, BOB, CAROL, move_to


async def round_one(world: DiscordWorld) -> Round:
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(COMMUNITY, GENERAL, 1)
    assert round_ is not None
    return round_


class TestHeadsUp:
    async def test_pressing_skip_on_the_heads_up_dm_leaves_one_out_of_that_round(
        self, world: DiscordWorld
    ) -> None:
        for member in (ALICE, BOB, CAROL):
            await world.slash(member, "unmentor join")
        scheduled = await round_one(world)
        async with world.services().uow as uow:
            programme = await uow.programmes.get(COMMUNITY, GENERAL)
        assert programme is not None
        due = heads_up_at(programme.settings, scheduled)
        assert due is not None

        await move_to(world, due)
        [heads_up] = world.fake.messages[f"9{ALICE}"]
        assert heads_up["content"].startswith("Round 1 starts tomorrow")
        labels = [b["label"] for row in heads_up["components"] for b in row["components"]]
        assert labels == ["Skip this round", "Pause 2 weeks"]

        replies = await world.click(ALICE, heads_up, "Skip this round")
        assert any("You'll skip round 1" in text for text in texts(replies)), texts(replies)

        await move_to(world, scheduled.intro_at)
        matched = await round_one(world)
        assert [sorted(g.members) for g in matched.groups] == [sorted((BOB, CAROL))]
