"""Slack: a member's time zone comes from their Slack profile (``users.info``'s ``tz``) unless they
set one themselves with ``/unmentor timezone``."""

from __future__ import annotations

from datetime import UTC, datetime

from pairing_core.member import Member
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_programmes import DATA, membership, signed_event, two_programmes


async def zone_of(world: SlackWorld, user: str) -> str | None:
    async with world.services().uow as uow:
        (member, *_) = await uow.members.memberships(TEAM, user)
    return member.timezone


class TestTimezoneFromSlack:
    async def test_joining_takes_the_zone_of_the_slack_profile(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        assert await zone_of(world, "U1") == "America/Chicago"
        assert "Time zone: America/Chicago" in await world.command("U1", "status")

    async def test_a_member_from_before_gets_it_on_their_first_command(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice", tz="Asia/Kolkata")
        await world.command("U1", "help")  # creates the community
        joined = datetime(2026, 1, 5, tzinfo=UTC)
        async with world.services().uow as uow:
            await uow.members.add(Member(TEAM, "U1", "alice", joined, programme_id=GENERAL))
            await uow.commit()
        assert await zone_of(world, "U1") is None
        await world.command("U1", "status")
        assert await zone_of(world, "U1") == "Asia/Kolkata"

    async def test_a_zone_set_by_command_wins_over_the_profile(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        reply = await world.command("U1", "timezone Europe/Dublin")
        assert reply == "Your time zone is Europe/Dublin."
        await world.command("U1", "status")
        assert await zone_of(world, "U1") == "Europe/Dublin"

    async def test_joining_a_bound_channel_takes_the_zone_too(self, world: SlackWorld) -> None:
        await two_programmes(world)
        world.slack.channels["CBOUND"] = True
        await world.command("UADMIN", "admin programme bind data <#CBOUND|data-people>")
        world.slack.add_user("U5", "eve", tz="Australia/Sydney")
        await signed_event(world, "member_joined_channel", "U5", "CBOUND")
        assert await membership(world, "U5", DATA) is not None
        assert await zone_of(world, "U5") == "Australia/Sydney"

    async def test_an_invalid_zone_is_refused_with_one_line(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join")
        reply = await world.command("U1", "timezone Mars/Base")
        assert reply.startswith(
            "Unknown timezone 'Mars/Base': use an IANA name such as Europe/Dublin.\nUsage:"
        )
        assert await zone_of(world, "U1") is None


async def synced_at(world: SlackWorld, user: str) -> datetime | None:
    async with world.services().uow as uow:
        (member, *_) = await uow.members.memberships(TEAM, user)
    return member.timezone_synced_at


class TestTimezoneRefreshedFromSlack:
    async def test_first_contact_stores_the_zone_and_when_it_was_taken(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        assert await zone_of(world, "U1") == "America/Chicago"
        assert await synced_at(world, "U1") == world.clock.now()

    async def test_a_change_in_slack_is_taken_after_a_day_but_not_within_it(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        first = world.clock.now()
        world.slack.users["U1"]["tz"] = "Europe/Berlin"

        world.clock.advance(hours=23)  # past the profile cache, within the day
        await world.command("U1", "status")
        assert await zone_of(world, "U1") == "America/Chicago"
        assert await synced_at(world, "U1") == first

        world.clock.advance(hours=1)
        assert "Time zone: Europe/Berlin" in await world.command("U1", "status")
        assert await synced_at(world, "U1") == world.clock.now()

    async def test_a_zone_set_by_command_is_never_overwritten(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        await world.command("U1", "timezone Europe/Dublin")
        assert await synced_at(world, "U1") is None
        world.slack.users["U1"]["tz"] = "Asia/Tokyo"
        for _ in range(3):
            world.clock.advance(days=2)
            await world.command("U1", "status")
        assert await zone_of(world, "U1") == "Europe/Dublin"

    async def test_clearing_the_zone_lets_slack_set_it_again(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice", tz="America/Chicago")
        await world.command("U1", "join")
        await world.command("U1", "timezone Europe/Dublin")
        await world.command("U1", "timezone --clear")
        assert await zone_of(world, "U1") is None
        await world.command("U1", "status")
        assert await zone_of(world, "U1") == "America/Chicago"
        assert await synced_at(world, "U1") == world.clock.now()
