from __future__ import annotations

from collections import Counter

from pairing_core.programme import GENERAL
from pairing_core.round import RoundState
from pairing_core.services import round_steps
from tests.unit.conftest import COMMUNITY, World


async def join_all(world: World, *people: str) -> None:
    for who in people:
        await world.say(who, "join")


def intros(world: World) -> list[tuple[str, ...]]:
    return [s.to for s in world.platform.sent if "say hello" in s.message.text]


class TestRoundOnSchedule:
    async def test_nothing_happens_before_the_first_slot(self, world: World) -> None:
        await join_all(world, "alice", "bob")
        # a day before the slot only the heads-up goes out
        assert await world.tick(days=4) == ["sent the heads-up for round 1"]
        assert intros(world) == []
        assert await world.tick(hours=21) == []

    async def test_five_members_get_one_pair_and_one_trio_each_introduced_once(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b", "c", "d", "e")
        done = await world.tick(days=5)
        assert done == ["matched round 1", "introduced round 1"]
        assert sorted(len(g) for g in intros(world)) == [2, 3]
        assert Counter(m for g in intros(world) for m in g) == Counter("abcde")
        await world.tick(minutes=1)
        await world.deliver()
        assert len(intros(world)) == 2

    async def test_the_intro_names_organisations_contacts_and_the_end_date(
        self, world: World
    ) -> None:
        await world.say("alice", "join Devon CC")
        await world.say("alice", "contact 07700 900123")
        await world.say("bob", "join Leeds CC")
        await world.tick(days=5)
        (intro,) = [s.message.text for s in world.platform.sent if "say hello" in s.message.text]
        assert "<@alice> (Devon CC) — reach me: 07700 900123" in intro
        assert "<@bob> (Leeds CC)" in intro
        assert "before Monday 23 March" in intro

    async def test_the_round_checks_in_half_way_prompts_reflections_then_closes(
        self, world: World
    ) -> None:
        await join_all(world, "alice", "bob")
        await world.tick(days=5)  # Mon 9 March: intro
        assert await world.tick(days=6) == []
        assert await world.tick(days=1) == ["sent check-ins for round 1"]  # Mon 16 March
        checkin = world.platform.sent[-1]
        assert checkin.conversation == world.platform.sent[0].conversation
        assert [a.label for a in checkin.message.actions] == [
            "We've met",
            "It's booked",
            "Not this time",
        ]
        assert await world.tick(days=5) == ["prompted reflections for round 1"]  # Sat 21 March
        assert await world.tick(days=2) == [
            "closed round 1",
            "matched round 2",
            "introduced round 2",
        ]
        states = [r.state for r in await world.rounds()]
        assert states == [RoundState.CLOSED, RoundState.INTRODUCED, RoundState.SCHEDULED]

    async def test_a_restart_long_after_skips_superseded_messages(self, world: World) -> None:
        await join_all(world, "alice", "bob")
        await world.tick(days=5)
        sent_before = len(world.platform.sent)
        # down from before the check-in until after the reflection prompt was due
        await world.tick(days=12, hours=1)
        kinds = [s.message.text.split(":")[0] for s in world.platform.sent[sent_before:]]
        assert kinds == [world.platform.sent[-1].message.text.split(":")[0]]
        assert "takeaway" in world.platform.sent[-1].message.text

    async def test_a_lone_member_is_told_why_and_gets_priority_next_round(
        self, world: World
    ) -> None:
        await join_all(world, "alice")
        await world.tick(days=5)
        (notice,) = world.platform.to("alice")
        assert "only person in the pot" in notice.message.text
        rounds = await world.rounds()
        assert [s.member_id for s in rounds[0].sat_out] == ["alice"]


class TestCrashSafety:
    async def test_a_crash_between_matching_and_intro_resumes_without_regrouping(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b", "c", "d")
        world.clock.advance(days=5)
        matched = await round_steps.match_round(
            world.uow, COMMUNITY, GENERAL, 1, world.services.rng, world.clock.now()
        )
        assert matched is not None
        groups = [g.members for g in matched.groups]
        # the process dies here; on restart the due steps carry on from MATCHED
        assert await world.tick(seconds=1) == ["introduced round 1"]
        assert sorted(intros(world)) == sorted(groups)

    async def test_repeating_a_step_writes_its_messages_once(self, world: World) -> None:
        await join_all(world, "a", "b")
        world.clock.advance(days=5)
        now = world.clock.now()
        await round_steps.match_round(world.uow, COMMUNITY, GENERAL, 1, world.services.rng, now)
        await round_steps.introduce_round(world.uow, COMMUNITY, GENERAL, 1, now)
        await round_steps.introduce_round(world.uow, COMMUNITY, GENERAL, 1, now)
        await round_steps.match_round(world.uow, COMMUNITY, GENERAL, 1, world.services.rng, now)
        await world.deliver()
        await world.deliver()
        assert len(intros(world)) == 1


class TestAdminRoundControl:
    async def test_round_now_starts_at_once_and_the_calendar_continues_from_it(
        self, world: World
    ) -> None:
        await join_all(world, "a", "b", "c", "d")
        reply = await world.say("boss", "admin round now")
        assert reply.startswith("Round 1 has started: 2 groups, 4 people, 0 sitting out.")
        assert len(intros(world)) == 2
        rounds = await world.rounds()
        assert rounds[1].state is RoundState.SCHEDULED
        assert rounds[1].intro_at == rounds[0].close_at

    async def test_round_now_during_a_round_closes_it_first(self, world: World) -> None:
        await join_all(world, "a", "b", "c", "d")
        await world.tick(days=5)
        await world.say("boss", "admin round now")
        states = [r.state for r in await world.rounds()]
        assert states == [RoundState.CLOSED, RoundState.INTRODUCED, RoundState.SCHEDULED]

    async def test_skip_moves_the_next_round_by_one_cadence(self, world: World) -> None:
        await join_all(world, "a", "b")
        reply = await world.say("boss", "admin round skip")
        assert reply == "Round 1 is skipped. The next round starts Monday 23 March."
        assert await world.tick(days=5) == []
        assert (await world.tick(days=14))[:1] == ["matched round 2"]

    async def test_members_cannot_run_admin_commands(self, world: World) -> None:
        await join_all(world, "a", "b")
        assert "only this community's admins" in await world.say("a", "admin round now")
        assert intros(world) == []

    async def test_a_workspace_admin_may_run_admin_commands(self, world: World) -> None:
        await join_all(world, "a", "b")
        assert "has started" in await world.say("owner", "admin round now", admin=True)


class TestWorkingTimeInMatching:
    async def test_colleagues_who_share_working_hours_beat_strangers_on_opposite_sides_of_the_world(
        self, world: World
    ) -> None:
        # Shared working time comes before mixing organisations: a London pair and a Sydney pair
        # from one organisation each, rather than London-Sydney pairs with no hour in common.
        for who, org, zone in (
            ("ann", "Devon CC", "Europe/London"),
            ("ben", "Devon CC", "Europe/London"),
            ("cat", "Perth CC", "Australia/Sydney"),
            ("dan", "Perth CC", "Australia/Sydney"),
        ):
            await world.say(who, f"join {org}")
            await world.say(who, f"timezone {zone}")
        await world.tick(days=5)
        assert sorted(tuple(sorted(g)) for g in intros(world)) == [("ann", "ben"), ("cat", "dan")]

    async def test_without_time_zones_the_same_people_mix_organisations(self, world: World) -> None:
        for who, org in (
            ("ann", "Devon CC"),
            ("ben", "Devon CC"),
            ("cat", "Perth CC"),
            ("dan", "Perth CC"),
        ):
            await world.say(who, f"join {org}")
        await world.tick(days=5)
        for group in intros(world):
            assert {"ann", "ben"} != set(group) != {"cat", "dan"}
