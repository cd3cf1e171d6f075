"""The App Home tab names only partners still taking part, and never an erased member's pseudonym."""

from __future__ import annotations

from adapters.slack.home import home_facts
from tests.unit.conftest import COMMUNITY, World


async def a_trio_introduced() -> World:
    world = World()
    await world.setup()
    for who in ("a", "b", "c"):
        await world.say(who, "join")
    await world.tick(days=5)
    return world


class TestHomePartners:
    async def test_someone_who_left_is_not_a_current_partner(self) -> None:
        world = await a_trio_introduced()
        await world.say("c", "leave")
        facts = await home_facts(world.services, COMMUNITY, "a")
        assert sorted(facts.current_partners) == ["b"]
        assert (await home_facts(world.services, COMMUNITY, "c")).current_partners == ()

    async def test_an_erased_past_partner_is_left_out_and_one_who_left_stays(self) -> None:
        world = await a_trio_introduced()
        await world.tick(days=14)  # round 1 closes; round 2 starts
        await world.say("b", "leave")
        await world.say("c", "forget-me --confirm")
        facts = await home_facts(world.services, COMMUNITY, "a")
        assert facts.past_partners == ("b",)
