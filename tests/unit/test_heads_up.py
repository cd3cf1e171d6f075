"""The heads-up before a round, skipping a round, opting in per round, and the skipped figure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.programme import GENERAL, ProgrammeSettings, RoundMode
from pairing_core.round import Round, RoundChoice, RoundState
from pairing_core.services.data_rights import member_data
from pairing_core.services.heads_up import announce_round, heads_up_at
from pairing_core.services.outcome_figures import outcome_report
from pairing_core.services.round_calendar import next_due_at, run_due_steps
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import Sent

# Round 1 is matched Monday 9 March 09:30 London (GMT); its heads-up goes Sunday 8 March 09:30.
HEADS_UP = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
MATCHING = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
SAT_OUT = "No conversation for you"


async def join(world: World, *people: str) -> None:
    for who in people:
        await world.say(who, "join")


def heads_ups(world: World, who: str) -> list[Sent]:
    return [s for s in world.platform.to(who) if "starts tomorrow" in s.message.text]


async def press(world: World, who: str, label: str) -> str:
    """Press the button ``label`` on the member's latest heads-up (it runs its command text)."""
    button = next(a for a in heads_ups(world, who)[-1].message.actions if a.label == label)
    assert button.action_id == CHOOSE_PROGRAMME_ACTION
    return await world.say(who, button.value)


async def matched(world: World, number: int = 1) -> Round:
    return (await world.rounds())[number - 1]  # type: ignore[no-any-return]


async def opt_in_world() -> World:
    world = World()
    await world.setup(mode=RoundMode.OPT_IN)
    return world


class TestHeadsUp:
    async def test_each_active_member_hears_once_a_day_before_matching(self, world: World) -> None:
        await join(world, "alice", "bob", "carol")
        await world.say("carol", "pause 4w")
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == HEADS_UP
        assert await world.tick(days=4) == ["sent the heads-up for round 1"]
        (alice,) = heads_ups(world, "alice")
        assert alice.message.text.startswith("Round 1 starts tomorrow: you're in.")
        assert [(a.label, a.value) for a in alice.message.actions] == [
            ("Skip this round", "skip general --round 1"),
            ("Pause 2 weeks", "pause general 2w"),
        ]
        assert len(heads_ups(world, "bob")) == 1
        assert heads_ups(world, "carol") == []  # paused: not in this round anyway
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == MATCHING
        assert await world.tick(hours=1) == []
        # the step run again, even on a round that lost its mark, sends nobody a second one
        await announce_round(world.uow, COMMUNITY, GENERAL, 1, world.clock.now())
        async with world.uow:
            round_1 = await world.uow.rounds.get(COMMUNITY, GENERAL, 1)
            assert round_1 is not None and round_1.announced_at is not None
            round_1.announced_at = None
            await world.uow.rounds.save(round_1)
            await world.uow.commit()
        await announce_round(world.uow, COMMUNITY, GENERAL, 1, world.clock.now())
        await world.deliver()
        assert [len(heads_ups(world, w)) for w in ("alice", "bob")] == [1, 1]

    async def test_pause_two_weeks_from_the_heads_up_pauses(self, world: World) -> None:
        await join(world, "alice", "bob")
        await world.tick(days=4)
        assert "Paused until" in await press(world, "alice", "Pause 2 weeks")
        await world.tick(days=1)
        assert (await matched(world)).groups == []

    async def test_it_keeps_local_time_across_the_clock_change(self) -> None:
        settings = ProgrammeSettings(heads_up_days=2)  # Europe/London: BST from 29 March 2026
        round_ = Round(
            COMMUNITY,
            1,
            RoundState.SCHEDULED,
            intro_at=datetime(2026, 3, 30, 8, 30, tzinfo=UTC),  # 09:30 BST
            checkin_at=datetime(2026, 4, 6, 8, 30, tzinfo=UTC),
            reflection_at=datetime(2026, 4, 11, 8, 30, tzinfo=UTC),
            close_at=datetime(2026, 4, 13, 8, 30, tzinfo=UTC),
        )
        # 09:30 GMT two days before: not 48 hours before
        assert heads_up_at(settings, round_) == datetime(2026, 3, 28, 9, 30, tzinfo=UTC)

    async def test_off_sends_none(self) -> None:
        world = World()
        await world.setup(heads_up_days=None)
        await join(world, "alice", "bob")
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == MATCHING
        assert await world.tick(days=4) == []
        assert heads_ups(world, "alice") == []

    async def test_one_missed_beyond_the_grace_is_not_sent_late(self, world: World) -> None:
        await join(world, "alice", "bob")
        world.clock.advance(days=4, hours=8)  # 8 hours after it fell due
        done = await run_due_steps(world.services, COMMUNITY, GENERAL, grace=timedelta(hours=6))
        await world.deliver()
        assert done == ["skipped the heads-up of round 1"]
        assert heads_ups(world, "alice") == []
        assert await next_due_at(world.uow, COMMUNITY, GENERAL) == MATCHING

    async def test_a_round_started_at_once_has_no_heads_up(self, world: World) -> None:
        await join(world, "alice", "bob")
        await world.say("boss", "admin round now", admin=True)
        await world.tick(days=4)
        assert heads_ups(world, "alice") == []
        assert (await matched(world)).state is RoundState.INTRODUCED


class TestSkip:
    async def test_a_skip_holds_for_that_round_only(self, world: World) -> None:
        await join(world, "alice", "bob", "carol")
        await world.tick(days=4)
        reply = await press(world, "alice", "Skip this round")
        assert reply.startswith("You'll skip round 1, which starts Monday 9 March")
        assert "You've already skipped round 1" in await press(world, "alice", "Skip this round")
        assert "You're skipping round 1" in await world.say("alice", "status")
        await world.tick(days=1)
        round_1 = await matched(world)
        assert [set(g.members) for g in round_1.groups] == [{"bob", "carol"}]
        assert round_1.sat_out == []
        assert not [s for s in world.platform.to("alice") if SAT_OUT in s.message.text]
        assert "skipping" not in await world.say("alice", "status")
        await world.tick(days=14)  # round 2 matched: alice is back
        assert any(g.has("alice") for g in (await matched(world, 2)).groups)

    async def test_in_undoes_a_skip(self, world: World) -> None:
        await join(world, "alice", "bob")
        await world.say("alice", "skip")
        assert (await world.say("alice", "in")).startswith("You're in round 1")
        assert "You're already in round 1" in await world.say("alice", "in")
        await world.tick(days=5)
        assert [set(g.members) for g in (await matched(world)).groups] == [{"alice", "bob"}]

    async def test_pressing_skip_after_matching_says_so_and_skips_nothing(
        self, world: World
    ) -> None:
        await join(world, "alice", "bob")
        await world.tick(days=4)
        await world.tick(days=1)  # round 1 matched; round 2 scheduled
        reply = await press(world, "alice", "Skip this round")
        assert reply == "Round 1 was already matched; skip the next one with `/unmentor skip`."
        async with world.uow:
            assert await world.uow.rounds.choices(COMMUNITY, GENERAL, 2) == {}

    async def test_someone_not_in_the_programme_is_told_to_join(self, world: World) -> None:
        await join(world, "alice", "bob")
        assert "join" in await world.say("zed", "skip")
        assert "No round is coming" not in await world.say("alice", "skip")

    async def test_the_round_flag_must_be_a_number(self, world: World) -> None:
        assert "--round takes a round number" in await world.say("alice", "skip --round soon")


class TestOptIn:
    async def test_only_those_who_say_they_are_in_are_matched_and_nobody_sits_out(self) -> None:
        world = await opt_in_world()
        await join(world, "alice", "bob", "carol", "dave")
        await world.tick(days=4)
        (heads_up,) = heads_ups(world, "dave")
        assert heads_up.message.text.startswith("Round 1 starts tomorrow. Want in?")
        assert [(a.label, a.value) for a in heads_up.message.actions] == [
            ("I'm in", "in general --round 1"),
            ("Skip this round", "skip general --round 1"),
        ]
        for who in ("alice", "bob"):
            assert (await press(world, who, "I'm in")).startswith("You're in round 1")
        assert "You're already in round 1" in await press(world, "alice", "I'm in")
        await press(world, "carol", "Skip this round")
        assert "You're in for round 1" in await world.say("alice", "status")
        assert "Round 1 is opt-in: `/unmentor in`" in await world.say("dave", "status")
        await world.tick(days=1)
        round_1 = await matched(world)
        assert [set(g.members) for g in round_1.groups] == [{"alice", "bob"}]
        assert round_1.sat_out == []
        for who in ("carol", "dave"):
            assert not [s for s in world.platform.to(who) if SAT_OUT in s.message.text]

    async def test_the_only_one_in_sits_out_and_is_told_why(self) -> None:
        world = await opt_in_world()
        await join(world, "alice", "bob", "carol")
        await world.say("alice", "in")
        await world.tick(days=5)
        round_1 = await matched(world)
        assert round_1.groups == [] and [s.member_id for s in round_1.sat_out] == ["alice"]
        (notice,) = [s for s in world.platform.to("alice") if SAT_OUT in s.message.text]
        assert "the only person in the pot" in notice.message.text
        for who in ("bob", "carol"):
            assert not [s for s in world.platform.to(who) if SAT_OUT in s.message.text]


class TestSettings:
    async def test_heads_up_and_mode_are_saved_and_shown(self, world: World) -> None:
        reply = await world.say("boss", "admin settings heads-up=2d mode=opt-in", admin=True)
        assert "heads-up (tell members a round is coming): 2d before it" in reply
        assert "mode (who is matched): opt-in" in reply
        reply = await world.say("boss", "admin settings heads-up=off mode=always", admin=True)
        assert "heads-up (tell members a round is coming): off" in reply
        assert "mode (who is matched): always" in reply

    async def test_bad_values_are_refused_with_a_reason(self, world: World) -> None:
        reply = await world.say("boss", "admin settings heads-up=soon", admin=True)
        assert "heads-up is a number of days such as 1d, or off" in reply
        reply = await world.say("boss", "admin settings heads-up=9d", admin=True)
        assert "heads-up is a number of days from 1 to 6, or off" in reply
        reply = await world.say("boss", "admin settings mode=sometimes", admin=True)
        assert "mode is always or opt-in" in reply


class TestFiguresAndData:
    async def test_skips_are_counted_per_round_and_in_total(self, world: World) -> None:
        await join(world, "alice", "bob", "carol", "dave")
        for who in ("alice", "bob"):
            await world.say(who, "skip")
        await world.say("bob", "in")  # taken back: not a skip
        await world.say("carol", "skip")
        await world.tick(days=5)
        await world.say("dave", "skip")  # round 2
        await world.tick(days=14)
        report = await outcome_report(world.services, COMMUNITY, GENERAL)
        assert [r.skipped for r in report.rounds] == [2, 1]
        assert report.cumulative.skipped == 3
        stats = await world.say("boss", "admin stats", admin=True)
        assert "paused skipped" in stats and "skipped = members who skipped" in stats

    async def test_export_holds_the_choices_and_erasure_removes_them(self, world: World) -> None:
        await join(world, "alice", "bob")
        await world.say("alice", "skip")
        data = await member_data(world.services, COMMUNITY, "alice")
        assert data is not None
        assert json.loads(data)["round_choices"] == [
            {"programme": GENERAL, "round": 1, "choice": RoundChoice.SKIP.value}
        ]
        await world.say("alice", "forget-me --confirm")
        async with world.uow:
            assert await world.uow.rounds.member_choices(COMMUNITY, "alice") == []
            assert await world.uow.rounds.choices(COMMUNITY, GENERAL, 1) == {}


class TestSeveralProgrammes:
    async def test_a_skip_in_one_programme_leaves_the_other_alone(self, world: World) -> None:
        await world.say("boss", "admin programme create data", admin=True)
        for who in ("alice", "bob"):
            await world.say(who, "join general")
            await world.say(who, "join data")
        await world.tick(days=4)
        texts = [s.message.text for s in heads_ups(world, "alice")]
        assert sorted(t.split(" Round")[0] for t in texts) == ["[data]", "[general]"]
        assert all("`/unmentor skip data`" in t for t in texts if t.startswith("[data]"))
        data = next(s for s in heads_ups(world, "alice") if s.message.text.startswith("[data]"))
        skip = next(a for a in data.message.actions if a.label == "Skip this round")
        assert skip.value == "skip data --round 1"
        assert "You'll skip round 1" in await world.say("alice", skip.value)
        await world.tick(days=1)
        async with world.uow:
            in_data = await world.uow.rounds.get(COMMUNITY, "data", 1)
        assert in_data is not None and in_data.groups == []
        assert [set(g.members) for g in (await matched(world)).groups] == [{"alice", "bob"}]

    async def test_an_archived_programme_announces_no_further_round(self, world: World) -> None:
        await world.say("boss", "admin programme create data", admin=True)
        for who in ("alice", "bob"):
            await world.say(who, "join data")
        await world.tick(days=4)
        await world.tick(days=1)  # data's round 1 introduced, its round 2 laid out
        await world.say("boss", "admin programme archive data", admin=True)
        done = await world.tick(days=13)  # round 2's heads-up would have been due
        assert "skipped the heads-up of round 2" in done
        assert [s.message.text[:14] for s in heads_ups(world, "alice")] == ["[data] Round 1"]
