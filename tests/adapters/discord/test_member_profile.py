"""``/unmentor timezone`` (with suggestions as you type), ``hours`` and ``about`` on Discord."""

from __future__ import annotations

from datetime import time

from pairing_core.member import Member
from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld

ALICE = "111111111111111111"


async def stored(world: DiscordWorld) -> Member:
    async with world.services().uow as uow:
        member = await uow.members.get(COMMUNITY, ALICE, programme_id=GENERAL)
    assert member is not None
    return member


class TestTimezoneOption:
    async def test_the_zone_is_stored_and_cleared(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [saved] = await world.slash(ALICE, "unmentor timezone", name="Europe/Dublin")
        assert saved == "Your time zone is Europe/Dublin."
        assert (await stored(world)).timezone == "Europe/Dublin"
        [cleared] = await world.slash(ALICE, "unmentor timezone", clear=True)
        assert cleared == "Your time zone is cleared: your programme's time zone is used."
        assert (await stored(world)).timezone is None

    async def test_an_unknown_zone_gets_one_line_and_nothing_is_stored(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(ALICE, "unmentor join")
        [refused] = await world.slash(ALICE, "unmentor timezone", name="Mars/Base")
        assert refused == "Unknown timezone 'Mars/Base': use an IANA name such as Europe/Dublin."
        [empty] = await world.slash(ALICE, "unmentor timezone")
        assert empty == "Give a time zone like Europe/Dublin, or set `clear`."
        assert (await stored(world)).timezone is None

    async def test_zones_are_suggested_as_you_type_at_most_25(self, world: DiscordWorld) -> None:
        choices = await world.autocomplete(ALICE, "unmentor timezone", "name", name="dubl")
        assert choices == [{"name": "Europe/Dublin", "value": "Europe/Dublin"}]
        many = await world.autocomplete(ALICE, "unmentor timezone", "name", name="america")
        assert len(many) == 25 and all(c["value"].startswith("America/") for c in many)
        assert await world.autocomplete(ALICE, "unmentor timezone", "name", name="zzz") == []


class TestHoursAndAbout:
    async def test_hours_are_stored_and_bad_ones_explained(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [saved] = await world.slash(ALICE, "unmentor hours", hours="08:00-16:00")
        assert saved == "Your working hours are 08:00-16:00, Monday to Friday."
        [bad] = await world.slash(ALICE, "unmentor hours", hours="16:00-08:00")
        assert bad == (
            "Your working hours end (08:00) before they start (16:00): give them like 08:00-16:00."
        )
        member = await stored(world)
        assert (member.work_start, member.work_end) == (time(8, 0), time(16, 0))

    async def test_the_about_line_is_stored_and_cleared(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [saved] = await world.slash(ALICE, "unmentor about", line="I run a library service")
        assert saved == "Your intros will say about you: I run a library service"
        assert (await stored(world)).about == "I run a library service"
        await world.slash(ALICE, "unmentor about", clear=True)
        assert (await stored(world)).about is None
