"""Every small round the matcher groups is the best in the stated order, checked by brute force.

The order (``pairing_core.matching.criteria``): most members placed, then most of those who
sat out last round, then fewest repeats, then most groups sharing working time, then most
groups mixing organisations when the community prefers it. ``lexicographic.best_score``
enumerates every legal grouping of up to 12 members.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.sizes import group_sizes
from tests.unit.matching.communities import requests
from tests.unit.matching.lexicographic import best_grouping, score

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_legal(
    request: MatchRequest, groups: tuple[tuple[str, ...], ...], left: list[str]
) -> None:
    """Everyone once, sizes as set for those placed, no blocked pair together."""
    assert Counter([m for g in groups for m in g] + left) == Counter(set(request.members))
    placed = sum(map(len, groups))
    assert sorted(map(len, groups)) == sorted(group_sizes(placed, request.group_size))
    assert not any(frozenset(p) in request.blocked for g in groups for p in combinations(g, 2))


class TestMatchOrder:
    @SETTINGS
    @given(
        requests(max_members=12, min_members=2, group_sizes=(2,), zones=True),
        st.integers(0, 2**32),
    )
    def test_pairs_are_the_best_grouping_in_the_stated_order(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        assert_legal(request, result.groups, [u.member_id for u in result.unmatched])
        best, example = best_grouping(request)
        assert score(request, result.groups) == best, f"a better grouping: {example}"

    @SETTINGS
    @given(
        requests(max_members=12, min_members=2, group_sizes=(3, 4), zones=True),
        st.integers(0, 2**32),
    )
    def test_groups_of_three_and_four_are_the_best_grouping_in_the_stated_order(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        assert_legal(request, result.groups, [u.member_id for u in result.unmatched])
        best, example = best_grouping(request)
        assert score(request, result.groups) == best, f"a better grouping: {example}"
