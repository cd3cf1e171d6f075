from __future__ import annotations

from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from tests.unit.conftest import COMMUNITY, World


async def status_of(world: World, who: str) -> MemberStatus | None:
    async with world.uow:
        member = await world.uow.members.get(COMMUNITY, who, programme_id=GENERAL)
    return member.status if member else None


class TestJoinPool:
    async def test_joining_puts_the_member_in_the_pot_with_their_organisation(
        self, world: World
    ) -> None:
        reply = await world.say("alice", 'join --org "Devon CC"')
        assert "You're in the pot (organisation: Devon CC)" in reply
        assert "Monday 9 March" in reply
        assert await status_of(world, "alice") is MemberStatus.ACTIVE

    async def test_joining_twice_says_so_and_keeps_one_member(self, world: World) -> None:
        await world.say("alice", "join")
        assert "already in the pot" in await world.say("alice", "join")
        async with world.uow:
            assert len(await world.uow.members.list(COMMUNITY, programme_id=GENERAL)) == 1

    async def test_a_member_who_left_can_rejoin(self, world: World) -> None:
        await world.say("alice", "join")
        assert "You've left" in await world.say("alice", "leave")
        assert await status_of(world, "alice") is MemberStatus.LEFT
        assert "You're in the pot" in await world.say("alice", "join")

    async def test_leaving_twice_says_you_already_left(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "leave")
        assert await world.say("alice", "leave") == (
            "You've already left UnMentoring; `/unmentor join` any time to come back."
        )
        assert await world.say("alice", "pause 2w") == (
            "You've left UnMentoring — join again with `/unmentor join`."
        )

    async def test_leaving_before_joining_says_there_is_nothing_to_leave(
        self, world: World
    ) -> None:
        assert await world.say("alice", "leave") == (
            "You're not in the pot, so there is nothing to leave."
        )

    async def test_a_member_opted_out_by_an_admin_cannot_rejoin_alone(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("boss", "admin optout <@alice>")
        assert "ask them to opt you back in" in await world.say("alice", "join")
        assert await status_of(world, "alice") is MemberStatus.OPTED_OUT


class TestPauseAndResume:
    async def test_pausing_for_two_weeks_keeps_the_member_out_until_then(
        self, world: World
    ) -> None:
        for who in ("alice", "bob", "carol"):
            await world.say(who, "join")
        assert "Paused until Wednesday 18 March 2026" in await world.say("carol", "pause 2w")
        await world.tick(days=5)  # round 1 on Monday 9 March
        rounds = await world.rounds()
        assert [g.members for g in rounds[0].groups] in ([("alice", "bob")], [("bob", "alice")])

    async def test_a_pause_ends_by_itself_for_the_first_round_after_it(self, world: World) -> None:
        for who in ("alice", "bob", "carol", "dave"):
            await world.say(who, "join")
        await world.say("dave", "pause until 2026-03-20")
        await world.tick(days=5)
        await world.tick(days=14)  # round 2 on Monday 23 March
        rounds = await world.rounds()
        assert sum(len(g.members) for g in rounds[1].groups) == 4
        assert await status_of(world, "dave") is MemberStatus.ACTIVE

    async def test_resume_brings_a_paused_member_back(self, world: World) -> None:
        await world.say("alice", "join")
        await world.say("alice", "pause 3w")
        assert "Welcome back" in await world.say("alice", "resume")
        assert await status_of(world, "alice") is MemberStatus.ACTIVE

    async def test_a_pause_date_in_the_past_is_refused(self, world: World) -> None:
        await world.say("alice", "join")
        assert "not in the future" in await world.say("alice", "pause until 2020-01-01")
        assert await status_of(world, "alice") is MemberStatus.ACTIVE


class TestStatusAndContact:
    async def test_status_shows_details_private_blocks_and_next_round(self, world: World) -> None:
        await world.say("alice", "join Devon CC")
        await world.say("alice", "contact https://meet.example/alice")
        await world.say("U999", "join")
        await world.say("alice", "never <@U999|mallory>")
        reply = await world.say("alice", "status")
        assert "Status: *active*" in reply
        assert "Organisation: Devon CC" in reply
        assert "https://meet.example/alice" in reply
        assert "Never paired with (private): <@U999>" in reply
        assert "next round starts Monday 9 March" in reply

    async def test_commands_for_members_need_joining_first(self, world: World) -> None:
        assert "join with `/unmentor join`" in await world.say("alice", "pause 2w")


class TestNeverPair:
    async def test_a_private_block_keeps_two_people_apart_every_round(self, world: World) -> None:
        for who in ("alice", "bob", "carol", "dave"):
            await world.say(who, "join")
        await world.say("alice", "never <@bob>")
        for _ in range(4):
            await world.tick(days=14) if (await world.rounds())[0].groups else await world.tick(
                days=5
            )
        for round_ in await world.rounds():
            for group in round_.groups:
                assert not {"alice", "bob"} <= set(group.members)

    async def test_blocking_yourself_is_refused(self, world: World) -> None:
        await world.say("alice", "join")
        assert "never be paired with yourself" in await world.say("alice", "never <@alice>")
