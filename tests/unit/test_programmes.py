"""Several programmes in one community: each its own people, rules, rhythm and history."""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL, MAX_PROGRAMMES
from pairing_core.round import RoundState
from pairing_core.services.bindings import joined_binding, left_binding
from pairing_core.services.context import Actor
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION
from tests.unit.conftest import COMMUNITY, World


async def two_programmes(world: World) -> None:
    world.clock.advance(minutes=1)  # created after "general"
    reply = await world.say("boss", "admin programme create data cadence=weekly size=2")
    assert reply.startswith("Programme *data* is created (weekly, groups of 2)")


class TestOneProgramme:
    async def test_nobody_needs_to_name_the_only_programme(self, world: World) -> None:
        assert (await world.say("alice", "join")).startswith("You're in the pot!")
        assert "Paused until" in await world.say("alice", "pause 2w")
        reply = await world.say("alice", "status")
        assert reply.startswith("Status: *paused*") and "[general]" not in reply


class TestProgrammeAdmin:
    async def test_a_created_programme_is_listed_with_its_rhythm_and_next_round(
        self, world: World
    ) -> None:
        await two_programmes(world)
        await world.say("alice", "join data")
        listing = await world.say("alice", "programmes")
        assert "• *general*: fortnightly, groups of 2, 0 members, next round" in listing
        assert "• ✓ *data*: weekly, groups of 2, 1 member, next round" in listing

    async def test_bad_programme_commands_get_one_line_and_change_nothing(
        self, world: World
    ) -> None:
        await two_programmes(world)
        assert await world.say("boss", "admin programme create DATA") == (
            "There is already a programme called DATA."
        )
        assert await world.say("boss", "admin stats --programme nope") == (
            "There is no programme called nope here. Programmes: general, data."
        )
        assert "is not a programme name" in await world.say("boss", "admin programme create a.b")
        await world.say("boss", "admin programme archive data")
        assert await world.say("boss", "admin programme archive general") == (
            "general is the only programme still running: create another before archiving it."
        )
        assert "archived: it takes no new members" in await world.say("alice", "join data")

    async def test_a_community_holds_at_most_fifty_programmes(self, world: World) -> None:
        for n in range(MAX_PROGRAMMES - 1):
            assert "is created" in await world.say("boss", f"admin programme create p{n}")
        assert await world.say("boss", "admin programme create one-more") == (
            f"A community can have at most {MAX_PROGRAMMES} programmes (archived ones count)."
        )

    async def test_a_renamed_programme_keeps_its_members_and_id(self, world: World) -> None:
        await two_programmes(world)
        await world.say("alice", "join data")
        assert "is now called *analysts*" in await world.say(
            "boss", "admin programme rename data analysts"
        )
        assert "You're already in the pot" in await world.say("alice", "join analysts")
        async with world.uow:
            programme = await world.uow.programmes.named(COMMUNITY, "ANALYSTS")
        assert programme is not None and programme.id == "data"

    async def test_only_admins_manage_programmes(self, world: World) -> None:
        assert "only this community's admins" in await world.say(
            "alice", "admin programme create data"
        )

    async def test_a_programme_admin_runs_their_programme_only(self, world: World) -> None:
        await two_programmes(world)
        await world.say("boss", "admin settings add-admin=<@dana> --programme data")
        assert "[data] Round 1 has started" in await world.say(
            "dana", "admin round now --programme data"
        )
        assert "only this community's admins" in await world.say(
            "dana", "admin round now --programme general"
        )


class TestChoosingAProgramme:
    async def test_with_several_the_reply_asks_which_with_a_button_each(self, world: World) -> None:
        await two_programmes(world)
        reply = await handle_text("join", Actor("alice", "Alice"), COMMUNITY, world.services)
        assert reply.text.startswith("Which programme? There are several here: *general*, *data*")
        assert [(a.action_id, a.label, a.value) for a in reply.actions] == [
            (CHOOSE_PROGRAMME_ACTION, "general", "join general"),
            (CHOOSE_PROGRAMME_ACTION, "data", "join data"),
        ]
        async with world.uow:
            assert await world.uow.members.memberships(COMMUNITY, "alice") == []

    async def test_a_first_word_naming_a_programme_is_not_the_organisation(
        self, world: World
    ) -> None:
        await two_programmes(world)
        reply = await world.say("alice", "join data Devon CC")
        assert reply.startswith("You're in the data pot (organisation: Devon CC)!")

    async def test_leave_needs_no_name_when_the_member_is_in_one(self, world: World) -> None:
        await two_programmes(world)
        await world.say("alice", "join data")
        assert (await world.say("alice", "leave")).startswith("[data] You've left UnMentoring")


class TestTwoProgrammesRunningAtOnce:
    async def test_a_person_in_both_is_grouped_in_each_and_answers_each(self, world: World) -> None:
        await two_programmes(world)
        for who in ("alice", "bob"):
            await world.say(who, "join general")
        for who in ("alice", "carol"):
            await world.say(who, "join data")
        status = await world.say("alice", "status")
        assert "[general] Status: *active*" in status and "[data] Status: *active*" in status
        assert "[general] Round 1 has started" in await world.say(
            "boss", "admin round now --programme general"
        )
        assert "[data] Round 1 has started" in await world.say(
            "boss", "admin round now --programme data"
        )
        intros = [s for s in world.platform.sent if "UnMentoring round 1" in s.message.text]
        assert sorted(tuple(sorted(s.to)) for s in intros) == [("alice", "bob"), ("alice", "carol")]
        # each intro says which programme it is from
        assert sorted(s.message.text.split(" ", 1)[0] for s in intros) == ["[data]", "[general]"]
        async with world.uow:
            general = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
            data = await world.uow.rounds.get(COMMUNITY, "data", 1)
            outbox = {i.key for i in await world.uow.outbox.list(COMMUNITY)}
        assert general is not None and data is not None
        assert general.state is data.state is RoundState.INTRODUCED
        assert {"round:1:group:0:intro", "programme:data:round:1:group:0:intro"} <= outbox
        # a check-in button carries its programme, so the same round number is no clash
        data_checkin = c.RecordCheckIn(1, 0, c.CheckInAnswer.MET, programme_id="data")
        reply = await handle(data_checkin, Actor("carol", "Carol"), COMMUNITY, world.services)
        assert reply.text == "Thanks, noted."
        async with world.uow:
            general = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
            data = await world.uow.rounds.get(COMMUNITY, "data", 1)
        assert general is not None and data is not None
        assert general.groups[0].checkin is None and data.groups[0].checkin is not None

    async def test_history_may_be_shared_across_programmes(self, world: World) -> None:
        await two_programmes(world)
        await world.say("boss", "admin settings shared-history=yes")
        for who in ("alice", "bob", "carol", "dan"):
            await world.say(who, "join general")
        await world.say("boss", "admin round now --programme general")
        async with world.uow:
            first = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
        assert first is not None
        met = [set(g.members) for g in first.groups]
        for who in ("alice", "bob", "carol", "dan"):
            await world.say(who, "join data")
        await world.say("boss", "admin round now --programme data")
        async with world.uow:
            data = await world.uow.rounds.get(COMMUNITY, "data", 1)
        assert data is not None
        assert not any(set(g.members) in met for g in data.groups)


class TestErasureAcrossProgrammes:
    async def test_forget_me_erases_every_membership(self, world: World) -> None:
        await two_programmes(world)
        await world.say("alice", "join general")
        await world.say("alice", "join data")
        await world.say("alice", "forget-me --confirm")
        async with world.uow:
            left = await world.uow.members.memberships(COMMUNITY, "alice")
            every = await world.uow.members.list(COMMUNITY, programme_id=None)
        assert left == []
        assert sorted(m.programme_id for m in every if m.status is MemberStatus.ERASED) == [
            "data",
            GENERAL,
        ]


class TestArchiving:
    async def test_a_running_round_finishes_and_no_other_is_scheduled(self, world: World) -> None:
        await two_programmes(world)
        for who in ("alice", "bob"):
            await world.say(who, "join data")
        await world.say("boss", "admin round now --programme data")
        assert "is archived: no more rounds" in await world.say(
            "boss", "admin programme archive data"
        )
        await world.tick(days=30)
        async with world.uow:
            rounds = await world.uow.rounds.list(COMMUNITY, "data")
        assert [(r.number, r.state) for r in rounds] == [
            (1, RoundState.CLOSED),
            (2, RoundState.SKIPPED),
        ]
        reply = await world.say("boss", "admin stats --programme data")
        assert "last 1 of 1 rounds" in reply
        assert "archived: it runs no rounds" in await world.say(
            "boss", "admin round now --programme data"
        )


class TestBindings:
    async def test_joining_a_bound_channel_joins_every_programme_bound_to_it_but_an_opted_out_one(
        self, world: World
    ) -> None:
        await two_programmes(world)
        await world.say("boss", "admin programme bind general <#C1>")
        await world.say("boss", "admin programme bind data <#C1>")
        await world.say("alice", "join general")
        await world.say("boss", "admin optout <@alice> --programme general")
        replies = await joined_binding(
            world.services, COMMUNITY, Actor("alice", "Alice"), channel="C1"
        )
        assert [r.text.split(" ", 2)[:2] for r in replies] == [
            ["[general]", "An"],
            ["You're", "in"],
        ]
        async with world.uow:
            statuses = {
                m.programme_id: m.status
                for m in await world.uow.members.memberships(COMMUNITY, "alice")
            }
        assert statuses == {GENERAL: MemberStatus.OPTED_OUT, "data": MemberStatus.ACTIVE}
        replies = await left_binding(
            world.services, COMMUNITY, Actor("alice", "Alice"), channel="C1"
        )
        async with world.uow:
            data = await world.uow.members.get(COMMUNITY, "alice", programme_id="data")
        assert data is not None and data.status is MemberStatus.LEFT
