"""The experiment's answer: does meeting at random challenge people's thinking?

What is measured: the rating a group gave with its takeaway, "Did this conversation challenge
your thinking?" (1-5). A group shares at most one takeaway, so each rated group counts once, as
one rating. Only groups of counted rounds count (those that reached *matched*, as in
``pairing_core.outcomes``); a takeaway without a rating counts nowhere.

The comparisons, each "a vs b" with the difference mean(a) - mean(b):

- ``mixed organisations vs same organisation``: the group mixed organisations as
  ``pairing_core.outcomes`` counts ``cross_org`` (recorded when the matcher made the group), or
  it did not.
- ``met vs did not meet``: the group's check-in answer is "met", or it is "booked" or "not this
  time". A rated group that never answered the check-in is in neither side.
- ``pairs vs groups of 3 or more``: the group was introduced with 2 members, or with 3 or 4 (a
  trio's rating counts for the second side). Members who left mid-round still count in the size.
- ``first meetings vs repeats``: no pair of the group's members had shared a group in an earlier
  counted round, or at least one pair had (the pairs ``outcomes`` counts as ``repeats``).

``by_round`` has the mean rating of each counted round, in round order (``round_numbers``).
Every figure's interval and minimum number of answers are those of ``rating_estimates``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from pairing_core.experiment_sentences import comparison_sentence, overall_sentence
from pairing_core.member import Member
from pairing_core.rating_estimates import MINIMUM_ANSWERS, RESAMPLES, SEED, Estimate, difference
from pairing_core.rating_estimates import estimate as estimate_of
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, group_mixes_organisations

__all__ = [
    "COMPARISONS",
    "Comparison",
    "ExperimentAnswer",
    "RatedGroup",
    "experiment_answer",
    "rated_groups",
]


@dataclass(frozen=True)
class RatedGroup:
    """One rated group and what the comparisons ask of it."""

    round_number: int
    rating: int
    mixed: bool
    checkin: CheckInAnswer | None
    size: int
    repeat: bool


@dataclass(frozen=True)
class Comparison:
    """Two kinds of group's mean ratings, the difference mean(a) - mean(b), and what it shows."""

    name: str  # always "<a> vs <b>"
    a: Estimate
    b: Estimate
    difference: Estimate | None
    sentence: str


@dataclass(frozen=True)
class ExperimentAnswer:
    """The mean rating overall, each comparison, what they show, and each counted round's mean."""

    overall: Estimate
    comparisons: tuple[Comparison, ...]
    sentence: str
    by_round: tuple[Estimate, ...]
    round_numbers: tuple[int, ...] = ()  # the round of each ``by_round`` estimate


# name, how to call each side in a sentence, and which side a group is on (None: neither)
Side = Callable[[RatedGroup], bool | None]
COMPARISONS: tuple[tuple[str, str, str, Side], ...] = (
    (
        "mixed organisations vs same organisation",
        "groups that mixed organisations",
        "groups from one organisation",
        lambda g: g.mixed,
    ),
    (
        "met vs did not meet",
        "groups that met",
        "groups that did not meet",
        lambda g: None if g.checkin is None else g.checkin is CheckInAnswer.MET,
    ),
    ("pairs vs groups of 3 or more", "pairs", "groups of 3 or more", lambda g: g.size == 2),
    ("first meetings vs repeats", "first meetings", "repeats", lambda g: not g.repeat),
)


def rated_groups(
    rounds: Sequence[Round], members: Sequence[Member], reflections: Sequence[Reflection]
) -> tuple[list[RatedGroup], int]:
    """Return the rated groups of the counted rounds, and how many groups those rounds had."""
    counted = sorted(
        (r for r in rounds if r.has_reached(RoundState.MATCHED)), key=lambda r: r.number
    )
    organisations = {m.member_id: m.organisation for m in members}
    rating: dict[tuple[int, int], int | None] = {}
    for reflection in reflections:  # the first takeaway stored, as ``outcomes`` counts it
        rating.setdefault((reflection.round_number, reflection.group_index), reflection.rating)
    seen: set[frozenset[str]] = set()
    rated: list[RatedGroup] = []
    groups = 0
    for round_ in counted:
        groups += len(round_.groups)
        for group in round_.groups:
            given = rating.get((round_.number, group.index))
            if given is not None:
                rated.append(_rated(round_.number, given, group, organisations, seen))
        seen.update(frozenset(p) for g in round_.groups for p in combinations(g.members, 2))
    return rated, groups


def _rated(
    number: int,
    rating: int,
    group: Group,
    organisations: dict[str, str | None],
    seen: set[frozenset[str]],
) -> RatedGroup:
    return RatedGroup(
        round_number=number,
        rating=rating,
        mixed=group_mixes_organisations(group, organisations),
        checkin=group.checkin,
        size=len(group.members),
        repeat=any(frozenset(p) in seen for p in combinations(group.members, 2)),
    )


def experiment_answer(
    rounds: Sequence[Round],
    members: Sequence[Member],
    reflections: Sequence[Reflection],
    *,
    seed: int = SEED,
    resamples: int = RESAMPLES,
    minimum: int = MINIMUM_ANSWERS,
) -> ExperimentAnswer:
    """Compute the mean rating overall, per comparison and per round (see the module docstring)."""
    rated, groups = rated_groups(rounds, members, reflections)
    overall = estimate_of([g.rating for g in rated], "overall", seed, resamples, minimum)
    comparisons = []
    for name, a_label, b_label, side in COMPARISONS:
        a = [g.rating for g in rated if side(g) is True]
        b = [g.rating for g in rated if side(g) is False]
        est_a, est_b, diff = difference(a, b, name, seed, resamples, minimum)
        sentence = comparison_sentence(name, a_label, b_label, est_a, est_b, diff, minimum)
        comparisons.append(Comparison(name, est_a, est_b, diff, sentence))
    numbers = sorted(r.number for r in rounds if r.has_reached(RoundState.MATCHED))
    by_round = tuple(
        estimate_of(
            [g.rating for g in rated if g.round_number == n], f"round {n}", seed, resamples, minimum
        )
        for n in numbers
    )
    return ExperimentAnswer(
        overall=overall,
        comparisons=tuple(comparisons),
        sentence=overall_sentence(overall, groups, minimum),
        by_round=by_round,
        round_numbers=tuple(numbers),
    )
