"""Outcome figures: exact on a hand-built history and on a community run through the core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pairing_core.member import Member, MemberStatus
from pairing_core.outcomes import OutcomeReport, outcomes
from pairing_core.programme import GENERAL
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, SatOut
from pairing_core.services.outcome_figures import outcome_report
from tests.unit.conftest import COMMUNITY, World
from tests.unit.simulated_community import ROUNDS, SLOTS, TOTAL, figures, latest_groups, play

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def a_round(
    number: int, state: RoundState, groups: list[Group], sat_out: tuple[str, ...] = ()
) -> Round:
    intro = at(14 * (number - 1))
    return Round(
        "C",
        number,
        state,
        intro,
        intro + timedelta(days=7),
        intro + timedelta(days=12),
        intro + timedelta(days=14),
        groups=groups,
        sat_out=[SatOut(m, "no partner") for m in sat_out],
    )


def member(who: str, org: str | None, joined: int, left: int | None = None) -> Member:
    return Member(
        "C",
        who,
        who,
        at(joined),
        MemberStatus.LEFT if left is not None else MemberStatus.ACTIVE,
        organisation=org,
        left_at=at(left) if left is not None else None,
    )


def reflection(number: int, group: int, rating: int | None) -> Reflection:
    return Reflection("C", number, group, "a", ("a", "b"), "takeaway", True, at(0), rating)


def hand_built_report() -> OutcomeReport:
    """Five rounds (one skipped, one still open) whose every figure is worked out by hand."""
    members = [
        member("a", "Devon", -10),
        member("b", "Devon", -9),
        member("c", "Leeds", -8),
        member("d", None, 3, left=20),  # joins before round 2, leaves before round 3
        member("e", "  ", -1),  # a blank organisation counts as none
        member("f", "Leeds", 15),  # joins between round 2 and round 3
    ]
    rounds = [
        a_round(
            1,
            RoundState.CLOSED,
            [
                Group(0, ("a", "b"), CheckInAnswer.MET, "a"),
                Group(1, ("c", "e"), CheckInAnswer.NOT_THIS_TIME, "c"),
            ],
        ),
        a_round(
            2,
            RoundState.CLOSED,
            [
                Group(0, ("a", "c", "d"), CheckInAnswer.MET, "a"),
                Group(1, ("b", "e"), CheckInAnswer.BOOKED, "b"),
            ],
        ),
        a_round(3, RoundState.SKIPPED, []),
        a_round(
            4,
            RoundState.REFLECTING,
            [Group(0, ("a", "b"), CheckInAnswer.MET, "b"), Group(1, ("c", "f"))],
            sat_out=("e",),
        ),
        a_round(5, RoundState.SCHEDULED, []),
    ]
    reflections = [
        reflection(1, 0, 4),
        reflection(2, 0, None),
        reflection(2, 1, 5),
        reflection(4, 0, 2),
        reflection(4, 1, 3),
    ]
    return outcomes("C", "Test", rounds, members, reflections)


class TestOutcomesOfAHandBuiltHistory:
    def report(self) -> OutcomeReport:
        return hand_built_report()

    def test_each_counted_round_has_exact_figures(self) -> None:
        rows = self.report().rounds
        assert [figures(r) for r in rows] == [
            # round active groups met refl rated total x-org repeats joiners leavers
            (1, 4, 2, 1, 1, 1, 4, 0, 0, 4, 0),
            (2, 5, 2, 1, 2, 1, 5, 1, 0, 1, 0),
            (4, 5, 2, 1, 2, 2, 5, 0, 1, 1, 1),
        ]
        assert rows[0].met_rate == 0.5
        assert rows[1].reflection_rate == 1.0
        assert rows[2].mean_rating == 2.5
        assert rows[1].cross_org_share == 0.5

    def test_the_cumulative_row_sums_counts_and_divides_totals(self) -> None:
        total = self.report().cumulative
        assert figures(total) == (None, 6, 6, 3, 5, 4, 14, 1, 1, 6, 1)
        assert total.met_rate == 0.5
        assert total.reflection_rate == 5 / 6
        assert total.mean_rating == 3.5
        assert total.cross_org_share == 1 / 6

    def test_a_recorded_cross_organisation_flag_wins_over_current_organisations(self) -> None:
        members = [member("a", "Devon", -10), member("b", "Devon", -9), member("c", "Leeds", -8)]
        rounds = [
            # b was at Leeds then
            a_round(1, RoundState.CLOSED, [Group(0, ("a", "b"), cross_organisation=True)]),
            # c was at Devon then
            a_round(2, RoundState.CLOSED, [Group(0, ("a", "c"), cross_organisation=False)]),
            # stored before the flag: the current organisations decide
            a_round(3, RoundState.CLOSED, [Group(0, ("b", "c"))]),
        ]
        report = outcomes("C", "Test", rounds, members, [])
        assert [row.cross_org for row in report.rounds] == [1, 0, 1]

    def test_no_rounds_give_zero_counts_and_no_rates(self) -> None:
        report = outcomes("C", "Test", [], [], [])
        assert report.rounds == ()
        assert figures(report.cumulative) == (None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        assert report.cumulative.met_rate is None
        assert report.cumulative.mean_rating is None


class TestOutcomesOfASimulatedCommunity:
    """Four members in two organisations, fortnightly rounds, the matcher seeded by the World."""

    async def test_the_first_three_rounds_use_every_pairing_of_four_once(
        self, world: World
    ) -> None:
        await play(world)
        report = await outcome_report(world.services, COMMUNITY, GENERAL)
        # whatever the seed: of K4's three pairings two mix organisations and none repeats
        assert sum(r.cross_org for r in report.rounds[:3]) == 4
        assert [r.repeats for r in report.rounds[:4]] == [0, 0, 0, 2]

    async def test_every_round_and_the_total_are_exact(self, world: World) -> None:
        await play(world)
        report = await outcome_report(world.services, COMMUNITY, GENERAL)
        assert [figures(r) for r in report.rounds] == ROUNDS
        assert figures(report.cumulative) == TOTAL
        assert report.cumulative.met_rate == 0.6
        assert report.cumulative.mean_rating == 3.0
        slots = [(r.round_number, r.booked_slot, r.met_with_slot) for r in report.rounds]
        assert slots == SLOTS
        assert (report.cumulative.met_rate_slot, report.cumulative.met_rate_no_slot) == (0.5, 0.625)


class TestCrossOrganisationShareOfAPastRound:
    """A round's share is what the matcher made: later moves and erasures leave it alone."""

    async def round_one_share(self, world: World) -> tuple[int, float | None]:
        (row, *_) = (await outcome_report(world.services, COMMUNITY, GENERAL)).rounds
        return row.cross_org, row.cross_org_share

    async def test_it_does_not_change_when_a_member_moves_or_is_erased(self, world: World) -> None:
        for who, org in (("ann", "Devon"), ("bea", "Devon"), ("cal", "Leeds"), ("dan", "Leeds")):
            await world.say(who, f"join {org}")
        await world.tick(days=5)  # round 1: the matcher mixes both pairs
        before = await self.round_one_share(world)
        assert before == (2, 1.0)

        _, groups = await latest_groups(world)
        with_ann = next(g for g in groups if g.has("ann"))
        partner = next(m for m in with_ann.members if m != "ann")
        await world.say(partner, "join Devon")  # ann's partner moves to ann's organisation
        assert await self.round_one_share(world) == before
        await world.say("ann", "forget-me --confirm")
        await world.say("bea", "forget-me --confirm --keep-reflections-anonymised")
        assert await self.round_one_share(world) == before
