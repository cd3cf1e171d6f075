from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pairing_core.community import Community, CommunitySettings
from pairing_core.dispatch import handle_text
from pairing_core.errors import InvalidSetting
from pairing_core.programme import GENERAL, Cadence, ProgrammeSettings
from pairing_core.schedule import next_slot, timetable_from
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, START, World


class TestAdminSettings:
    async def test_settings_are_shown_with_how_to_change_them(self, world: World) -> None:
        reply = await world.say("boss", "admin settings")
        assert "cadence: fortnightly" in reply and "Change with:" in reply

    async def test_changing_settings_retimes_the_next_round(self, world: World) -> None:
        reply = await world.say(
            "boss",
            "admin settings cadence=weekly weekday=thursday time=14:00 channel=<#C9|takeaways>",
        )
        assert "Saved." in reply and "Next round: Thursday 5 March" in reply
        async with world.uow:
            programme = await world.uow.programmes.get(COMMUNITY, GENERAL)
        assert programme is not None
        assert programme.settings.cadence is Cadence.WEEKLY
        assert programme.settings.reflections_channel == "C9"

    async def test_one_bad_value_changes_nothing(self, world: World) -> None:
        reply = await world.say("boss", "admin settings cadence=weekly timezone=Mars/Olympus")
        assert reply == "Unknown timezone 'Mars/Olympus': use an IANA name such as Europe/London."
        async with world.uow:
            programme = await world.uow.programmes.get(COMMUNITY, GENERAL)
        assert programme is not None and programme.settings.cadence is Cadence.FORTNIGHTLY

    async def test_an_unknown_setting_shows_the_usage(self, world: World) -> None:
        reply = await world.say("boss", "admin settings colour=blue")
        assert reply.startswith("There is no setting 'colour'.\nUsage: `/unmentor admin settings")

    async def test_admins_can_be_added_to_the_community_list(self, world: World) -> None:
        await world.say("boss", "admin settings add-admin=<@carol>")
        assert "has started" in await world.say("carol", "admin round now")


class TestAdminRole:
    async def _holding(self, world: World, roles: frozenset[str], text: str) -> str:
        actor = Actor("dana", "Dana", roles=roles)
        return (await handle_text(text, actor, COMMUNITY, world.services)).text

    async def _role(self, world: World) -> str | None:
        async with world.uow:
            community = await world.uow.communities.get(COMMUNITY)
        assert community is not None
        return community.settings.admin_role

    async def test_a_role_mention_sets_the_admin_role_and_is_shown(self, world: World) -> None:
        reply = await world.say("boss", "admin settings admin-role=<@&R42>")
        assert "admin-role (its members are admins too): <@&R42>" in reply
        assert await self._role(world) == "R42"

    async def test_none_clears_the_admin_role(self, world: World) -> None:
        await world.say("boss", "admin settings admin-role=<@&R42>")
        reply = await world.say("boss", "admin settings admin-role=none")
        assert "admin-role (its members are admins too): not set" in reply
        assert await self._role(world) is None

    async def test_something_that_is_not_a_role_changes_nothing(self, world: World) -> None:
        reply = await world.say("boss", "admin settings cadence=weekly admin-role=<@dana>")
        # quoted as typed: markup for Slack to show "<@dana>", not to mention someone
        assert reply == "'&lt;@dana&gt;' is not a role I recognise: give @role or none."
        assert await self._role(world) is None

    async def test_members_holding_the_admin_role_are_admins(self, world: World) -> None:
        await world.say("boss", "admin settings admin-role=<@&R42>")
        assert "has started" in await self._holding(
            world, frozenset({"R1", "R42"}), "admin round now"
        )

    async def test_members_without_the_admin_role_are_refused(self, world: World) -> None:
        await world.say("boss", "admin settings admin-role=<@&R42>")
        reply = await self._holding(world, frozenset({"R1"}), "admin round now")
        assert reply == "Sorry, only this community's admins can do that."

    async def test_no_role_makes_an_admin_while_the_setting_is_unset(self, world: World) -> None:
        reply = await self._holding(world, frozenset({"R42"}), "admin stats")
        assert reply == "Sorry, only this community's admins can do that."

    def test_an_empty_admin_role_is_invalid(self) -> None:
        with pytest.raises(InvalidSetting):
            CommunitySettings(admin_role=" ")

    def test_is_admin_matches_the_role_only_when_held(self) -> None:
        settings = CommunitySettings(admin_role="R42")
        community = Community("T1", "test", "Test", START, settings)
        assert community.is_admin("dana", {"R42"}) and not community.is_admin("dana", {"R4"})
        assert not community.is_admin("dana")


class TestSchedule:
    def test_slots_keep_local_time_across_the_clock_change(self) -> None:
        settings = ProgrammeSettings(weekday=0)
        first = next_slot(settings, datetime(2026, 3, 20, tzinfo=UTC))
        times = timetable_from(settings, first)
        assert first == datetime(2026, 3, 23, 9, 30, tzinfo=UTC)  # GMT
        assert times.close_at == datetime(2026, 4, 6, 8, 30, tzinfo=UTC)  # BST: still 09:30 local
        assert first < times.checkin_at < times.reflection_at < times.close_at

    def test_an_early_round_ends_on_a_regular_slot(self) -> None:
        settings = ProgrammeSettings(weekday=0, timezone="America/New_York")
        times = timetable_from(settings, datetime(2026, 6, 10, 15, tzinfo=UTC))  # a Wednesday
        local_close = times.close_at.astimezone(settings.zone)
        assert (local_close.weekday(), local_close.hour, local_close.minute) == (0, 9, 30)
