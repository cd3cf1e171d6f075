"""The experiment's answer: exact on seeded communities, one with a planted effect of mixing."""

from __future__ import annotations

from dataclasses import replace

from pairing_core.experiment import ExperimentAnswer, experiment_answer
from pairing_core.programme import GENERAL
from pairing_core.rating_estimates import Estimate, estimate
from pairing_core.round import CheckInAnswer, Group, RoundState
from pairing_core.services.outcome_figures import experiment_figures
from tests.unit.conftest import COMMUNITY, World
from tests.unit.simulated_community import play
from tests.unit.simulated_ratings import PLANTED_EFFECT, rated_history
from tests.unit.test_outcomes import a_round, member, reflection

MIXED = "mixed organisations vs same organisation"
Figures = tuple[float | None, float | None, float | None, int] | None


def six(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def rounded(e: Estimate | None) -> Figures:
    """Return the estimate's figures to 6 decimal places, and its n."""
    return None if e is None else (six(e.mean), six(e.low), six(e.high), e.n)


def comparison(answer: ExperimentAnswer, name: str) -> tuple[Figures, Figures, Figures, str]:
    found = next(c for c in answer.comparisons if c.name == name)
    return rounded(found.a), rounded(found.b), rounded(found.difference), found.sentence


class TestAPlantedEffect:
    """Groups that mix organisations rate +1.5 higher, by construction."""

    def answer(self) -> ExperimentAnswer:
        return experiment_answer(*rated_history(seed=7, planted=True))

    def test_the_overall_figure_is_exact(self) -> None:
        answer = self.answer()
        assert rounded(answer.overall) == (3.051724, 2.706897, 3.37931, 58)
        assert answer.sentence.startswith(
            "Asked whether their conversation challenged their thinking (1-5), groups answered "
            "3.05 on average (95% interval 2.71 to 3.38; 58 ratings from 80 groups). Only groups "
            "that chose to share a takeaway rated it"
        )

    def test_the_difference_is_found_and_its_interval_holds_the_planted_effect(self) -> None:
        a, b, difference, sentence = comparison(self.answer(), MIXED)
        assert (a, b, difference) == (
            (3.710526, 3.394737, 4.0, 38),
            (1.8, 1.4, 2.2, 20),
            (1.910526, 1.402566, 2.423684, 58),
        )
        assert difference is not None
        low, high = difference[1], difference[2]
        assert low is not None and high is not None
        assert 0 < low <= PLANTED_EFFECT <= high
        assert sentence == (
            "mixed organisations vs same organisation: groups that mixed organisations rated "
            "1.91 points higher than groups from one organisation (95% interval +1.40 to +2.42; "
            "38 and 20 ratings)."
        )

    def test_the_same_history_gives_the_same_figures_every_time(self) -> None:
        assert self.answer() == self.answer()

    def test_another_seed_moves_the_interval_but_not_the_mean(self) -> None:
        history = rated_history(seed=7, planted=True)
        first, second = experiment_answer(*history), experiment_answer(*history, seed=1)
        assert first.overall.mean == second.overall.mean
        assert (first.overall.low, first.overall.high) != (second.overall.low, second.overall.high)


class TestNoEffect:
    def test_the_interval_of_the_difference_holds_zero(self) -> None:
        answer = experiment_answer(*rated_history(seed=7, planted=False))
        a, b, difference, sentence = comparison(answer, MIXED)
        assert difference == (0.232119, -0.236167, 0.703104, 58)
        assert sentence.startswith(f"{MIXED}: no clear difference;")
        assert "which includes 0" in sentence

    def test_every_comparison_and_round_is_there_in_order(self) -> None:
        answer = experiment_answer(*rated_history(seed=7, planted=False))
        assert [c.name for c in answer.comparisons] == [
            MIXED,
            "met vs did not meet",
            "pairs vs groups of 3 or more",
            "first meetings vs repeats",
        ]
        assert answer.round_numbers == (1, 2, 3, 4, 5, 6, 7, 8)
        assert [e.n for e in answer.by_round] == [8, 8, 9, 7, 5, 8, 7, 6]
        assert rounded(answer.by_round[-1]) == (1.333333, 1.0, 1.666667, 6)


class TestTooFewAnswers:
    def test_a_handful_of_ratings_gives_no_number(self) -> None:
        rounds, members, reflections = rated_history(seed=7, planted=True)
        answer = experiment_answer(rounds, members, reflections[:4])
        assert answer.overall == Estimate(None, None, None, 4)
        assert answer.sentence == (
            "Not enough answers yet: 4 of 80 groups rated how much their conversation "
            "challenged their thinking, and a figure needs at least 5."
        )
        for found in answer.comparisons:
            assert found.difference is None
            assert "not enough answers yet" in found.sentence
        assert all(e.mean is None for e in answer.by_round)

    def test_one_side_short_of_five_is_not_compared(self) -> None:
        answer = experiment_answer(*rated_history(seed=7, planted=True, rounds=3))
        pairs = next(c for c in answer.comparisons if c.name.startswith("pairs"))
        assert (pairs.b.n, pairs.b.mean, pairs.difference) == (3, None, None)
        assert pairs.sentence == (
            "pairs vs groups of 3 or more: not enough answers yet (19 and 3 ratings; "
            "a comparison needs at least 5 on each side)."
        )


class TestWhatCountsWhere:
    """Each rated group once, on the side its definition puts it (minimum lowered to 1)."""

    def answer(self) -> ExperimentAnswer:
        members = [member(m, org, -10) for m, org in zip("abcd", ["X", "X", "Y", "Y"], strict=True)]
        met, booked = CheckInAnswer.MET, CheckInAnswer.BOOKED
        rounds = [
            a_round(1, RoundState.CLOSED, [Group(0, ("a", "b"), met), Group(1, ("c", "d"))]),
            a_round(
                2,
                RoundState.CLOSED,
                # a mixed trio whose a+b met before; its flag says mixed whatever orgs say now
                [Group(0, ("a", "b", "c"), booked, cross_organisation=True)],
            ),
            a_round(3, RoundState.SCHEDULED, []),
        ]
        reflections = [reflection(1, 0, 2), reflection(1, 1, 4), reflection(2, 0, 5)]
        reflections.append(replace(reflection(1, 0, 1), author="b"))  # a second takeaway: ignored
        return experiment_answer(rounds, members, reflections, minimum=1, resamples=50)

    def test_each_comparison_puts_each_group_on_its_side(self) -> None:
        means = {c.name: (c.a.mean, c.a.n, c.b.mean, c.b.n) for c in self.answer().comparisons}
        assert means == {
            MIXED: (5.0, 1, 3.0, 2),
            "met vs did not meet": (2.0, 1, 5.0, 1),  # the unanswered group is on neither side
            "pairs vs groups of 3 or more": (3.0, 2, 5.0, 1),
            "first meetings vs repeats": (3.0, 2, 5.0, 1),
        }

    def test_rounds_are_the_counted_ones(self) -> None:
        answer = self.answer()
        assert answer.round_numbers == (1, 2)
        assert [(e.mean, e.n) for e in answer.by_round] == [(3.0, 2), (5.0, 1)]
        assert (answer.overall.mean, answer.overall.n) == (11 / 3, 3)

    def test_ratings_all_alike_have_an_interval_of_one_point(self) -> None:
        assert estimate([4] * 6, "same") == Estimate(4.0, 4.0, 4.0, 6)


class TestFromStorage:
    async def test_the_played_community_has_a_mean_but_nothing_to_compare(
        self, world: World
    ) -> None:
        await play(world)
        answer = await experiment_figures(world.services, COMMUNITY, GENERAL)
        assert (answer.overall.mean, answer.overall.n) == (3.0, 5)
        mixed = answer.comparisons[0]
        assert (mixed.a.n, mixed.b.n, mixed.difference) == (5, 0, None)
        assert answer.round_numbers == (1, 2, 3, 4, 5)
        assert [e.n for e in answer.by_round] == [1, 2, 0, 1, 1]
