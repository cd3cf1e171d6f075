"""Programmes bound to roles: only with the Server Members intent; gaining the role joins."""

from __future__ import annotations

import pytest

from adapters.discord.app import intents
from adapters.discord.role_binding import INTENT_OFF
from pairing_core.member import MemberStatus
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, RoleRef
from tests.adapters.discord.fake_discord import GUILD
from tests.adapters.discord.test_programmes import create_data
from tests.adapters.discord.test_round import ADMIN, ALICE, BOB

ANALYSTS = "650000000000000001"
OTHER_ROLE = "650000000000000002"
MEMBERS_INTENT = pytest.mark.parametrize("world", [{"members_intent": True}], indirect=True)


async def bind(world: DiscordWorld, role: str) -> str:
    [reply] = await world.slash(
        ADMIN, "unmentor-admin programme bind", admin=True, name="data", role=RoleRef(role)
    )
    return reply


async def bound_role(world: DiscordWorld) -> str | None:
    async with world.services().uow as uow:
        data = await uow.programmes.get(COMMUNITY, "data")
    assert data is not None
    return data.role


async def status_in_data(world: DiscordWorld, member: str) -> MemberStatus | None:
    async with world.services().uow as uow:
        found = await uow.members.get(COMMUNITY, member, programme_id="data")
    return found.status if found else None


def dms_to(world: DiscordWorld, member: str) -> list[str]:
    return [m["content"] for m in world.fake.messages.get(f"9{member}", [])]


class TestWithoutTheMembersIntent:
    def test_the_bot_asks_discord_for_no_privileged_intent(self) -> None:
        assert intents().members is False
        assert intents(members=True).members is True

    async def test_binding_a_role_is_refused_in_one_line_and_nothing_changes(
        self, world: DiscordWorld
    ) -> None:
        world.fake.roles.append(ANALYSTS)
        await create_data(world)
        assert await bind(world, ANALYSTS) == INTENT_OFF
        assert await bound_role(world) is None

    async def test_role_changes_are_not_seen_so_they_change_nothing(
        self, world: DiscordWorld
    ) -> None:
        await create_data(world)
        world.guild_with((ALICE, ()))
        await world.roles_change(ALICE, (ANALYSTS,))
        assert await status_in_data(world, ALICE) is None
        assert dms_to(world, ALICE) == []


@MEMBERS_INTENT
class TestWithTheMembersIntent:
    async def test_a_role_the_server_does_not_have_is_refused(self, world: DiscordWorld) -> None:
        await create_data(world)
        assert await bind(world, OTHER_ROLE) == (
            f"There is no role with the id {OTHER_ROLE} in this server."
        )
        assert await bound_role(world) is None

    async def test_everyone_cannot_be_bound(self, world: DiscordWorld) -> None:
        await create_data(world)
        assert (await bind(world, GUILD)).startswith("Everyone holds @everyone")
        assert await bound_role(world) is None

    async def test_gaining_the_role_joins_and_losing_it_leaves_with_a_dm_each_time(
        self, world: DiscordWorld
    ) -> None:
        world.fake.roles += [ANALYSTS, OTHER_ROLE]
        await create_data(world)
        reply = await bind(world, ANALYSTS)
        assert reply.startswith(f"Programme data is bound to <@&{ANALYSTS}>"), reply
        assert await bound_role(world) == ANALYSTS
        world.guild_with((ALICE, ()), (BOB, (OTHER_ROLE,)))

        await world.roles_change(ALICE, (ANALYSTS,))
        assert await status_in_data(world, ALICE) is MemberStatus.ACTIVE
        [joined] = dms_to(world, ALICE)
        assert joined.startswith("Your roles in LocalGov Digital changed, so:\nYou're in the data")

        await world.roles_change(ALICE, ())
        assert await status_in_data(world, ALICE) is MemberStatus.LEFT
        [_, left] = dms_to(world, ALICE)
        assert left.startswith("Your roles in LocalGov Digital changed, so:\n")
        assert "[data] You've left UnMentoring" in left, left

        # a role no programme is bound to: nothing changes, nobody is told
        await world.roles_change(BOB, ())
        assert await status_in_data(world, BOB) is None
        assert dms_to(world, BOB) == []

    async def test_a_bound_programme_still_takes_the_commands(self, world: DiscordWorld) -> None:
        world.fake.roles.append(ANALYSTS)
        await create_data(world)
        await bind(world, ANALYSTS)
        [joined] = await world.slash(BOB, "unmentor join", programme="data")
        assert joined.startswith("You're in the data pot")

    async def test_unbinding_needs_no_intent_check_and_stops_the_role_counting(
        self, world: DiscordWorld
    ) -> None:
        world.fake.roles.append(ANALYSTS)
        await create_data(world)
        await bind(world, ANALYSTS)
        [unbound] = await world.slash(
            ADMIN, "unmentor-admin programme bind", admin=True, name="data", unbind=True
        )
        assert unbound == "Programme data is no longer bound; members join and leave by command."
        world.guild_with((ALICE, ()))
        await world.roles_change(ALICE, (ANALYSTS,))
        assert await status_in_data(world, ALICE) is None
