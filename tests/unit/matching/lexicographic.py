"""The matcher's order of preference, scored and optimised by brute force on small rounds.

``score`` rates any grouping by the criteria of ``pairing_core.matching.criteria``;
``best_score`` finds the best rating over every legal grouping of a request (up to about a
dozen members). Legal: no blocked pair together, and the placed members split into groups of
``group_sizes(placed, group_size)``; when blocks allow no grouping of everyone, fewer members
are placed and the rest sit out.

The score of a grouping is the sum of its groups' scores, and the lexicographic order is kept
by adding the same vector to both sides, so the best grouping of a set of members is the best
first group (the one holding the lowest member, or that member sitting out) plus the best
grouping of the rest: a dynamic programme over subsets, memoised on (members left, group
sizes left), visits each subset once per way of splitting the sizes instead of every grouping.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import combinations
from typing import NamedTuple

from pairing_core.matching import MatchRequest
from pairing_core.matching.criteria import mixes, repeats, shares_time
from pairing_core.matching.sizes import group_sizes

__all__ = ["Score", "best_grouping", "best_score", "score"]


class Score(NamedTuple):
    """A grouping's standing on each criterion, in the matcher's order."""

    placed: int
    priority_placed: int
    repeats: int
    shared: int
    mixed: int  # 0 when the community does not prefer mixing organisations

    def rank(self) -> tuple[int, int, int, int, int]:
        """Return a key where larger is better on every criterion."""
        return (self.placed, self.priority_placed, -self.repeats, self.shared, self.mixed)


ZERO = Score(0, 0, 0, 0, 0)


def group_score(request: MatchRequest, group: Sequence[str]) -> Score:
    """Score one group on its own."""
    return Score(
        len(group),
        sum(m in request.priority for m in group),
        repeats(group, request.history),
        int(shares_time(group, request.working_time)),
        int(request.prefer_cross_org and mixes(group, request.organisations)),
    )


def score(request: MatchRequest, groups: Sequence[Sequence[str]]) -> Score:
    """Score a whole grouping: the sum of its groups' scores."""
    return _add(*(group_score(request, group) for group in groups))


def best_score(request: MatchRequest) -> Score:
    """Return the best score any legal grouping of ``request`` reaches."""
    return best_grouping(request)[0]


def best_grouping(request: MatchRequest) -> tuple[Score, list[tuple[str, ...]]]:
    """Return the best score any legal grouping reaches, and one grouping reaching it."""
    members = sorted(set(request.members))
    n = len(members)
    blocked = [
        [frozenset((a, b)) in request.blocked for b in members] for a in members
    ]  # by index, to keep the inner loop cheap

    @cache
    def group_value(indices: tuple[int, ...]) -> Score | None:
        if any(blocked[a][b] for a, b in combinations(indices, 2)):
            return None
        return group_score(request, [members[i] for i in indices])

    @cache
    def best(
        left: frozenset[int], sizes: tuple[int, ...]
    ) -> tuple[Score, tuple[tuple[int, ...], ...]] | None:
        if not sizes:
            return ZERO, ()
        if len(left) < sum(sizes):
            return None
        first = min(left)
        rest = left - {first}
        found: tuple[Score, tuple[tuple[int, ...], ...]] | None = None
        if len(left) > sum(sizes):  # someone may sit out; let it be ``first``
            found = best(rest, sizes)
        for size in sorted(set(sizes)):
            fewer = list(sizes)
            fewer.remove(size)
            for others in combinations(sorted(rest), size - 1):
                group = (first, *others)
                value = group_value(group)
                if value is None:
                    continue
                tail = best(rest - set(others), tuple(fewer))
                if tail is None:
                    continue
                total = _add(value, tail[0])
                if found is None or total.rank() > found[0].rank():
                    found = total, (group, *tail[1])
        return found

    everyone = frozenset(range(n))
    for placed in range(n, -1, -1):
        sizes = group_sizes(placed, request.group_size)
        if sum(sizes) != placed:
            continue
        answer = best(everyone, tuple(sorted(sizes)))
        if answer is not None:
            return answer[0], [tuple(members[i] for i in group) for group in answer[1]]
    return ZERO, []  # pragma: no cover - placing nobody is always legal


def _add(*scores: Score) -> Score:
    return Score(*(sum(column) for column in zip(ZERO, *scores, strict=True)))
