"""Rules every round must keep: everyone placed once, legal sizes, no block, seeded randomness."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing_core.matching import MatchRequest, MatchResult, match
from pairing_core.matching.sizes import group_sizes
from tests.unit.matching.communities import requests
from tests.unit.matching.optimum import best_outcome

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pairs_of(result: MatchResult) -> set[frozenset[str]]:
    return {frozenset(p) for group in result.groups for p in combinations(group, 2)}


class TestMatch:
    @SETTINGS
    @given(requests(), st.integers(0, 2**32))
    def test_places_every_member_exactly_once(self, request: MatchRequest, seed: int) -> None:
        result = match(request, random.Random(seed))
        placed = [m for g in result.groups for m in g] + [u.member_id for u in result.unmatched]
        assert Counter(placed) == Counter(set(request.members))

    @SETTINGS
    @given(requests(), st.integers(0, 2**32))
    def test_uses_the_legal_sizes_for_the_members_grouped(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        grouped = sum(len(g) for g in result.groups)
        assert sorted(map(len, result.groups)) == sorted(group_sizes(grouped, request.group_size))

    @SETTINGS
    @given(requests(), st.integers(0, 2**32))
    def test_never_groups_a_blocked_pair(self, request: MatchRequest, seed: int) -> None:
        result = match(request, random.Random(seed))
        assert not pairs_of(result) & request.blocked

    @SETTINGS
    @given(requests(blocks=False), st.integers(0, 2**32))
    def test_sits_nobody_out_without_blocks(self, request: MatchRequest, seed: int) -> None:
        result = match(request, random.Random(seed))
        assert [u.reason for u in result.unmatched] == (
            ["alone"] if len(request.members) == 1 else []
        )

    @SETTINGS
    @given(requests(max_members=8, group_sizes=(2,)), st.integers(0, 2**32))
    def test_groups_as_many_and_priority_first_as_blocks_allow(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        left = {u.member_id for u in result.unmatched}
        best = best_outcome(request.members, 2, request.history, request.blocked, request.priority)
        assert (len(left & request.priority), len(left)) == best[:2]
        assert all(
            u.reason == ("alone" if len(request.members) == 1 else "blocked")
            for u in result.unmatched
        )

    @SETTINGS
    @given(requests(), st.integers(0, 2**32))
    def test_gives_the_same_groups_for_the_same_seed_whatever_the_listing_order(
        self, request: MatchRequest, seed: int
    ) -> None:
        shuffled = list(request.members)
        random.Random(seed).shuffle(shuffled)
        again = replace(request, members=shuffled)
        assert match(request, random.Random(seed)) == match(again, random.Random(seed))

    def test_a_single_member_sits_out_alone(self) -> None:
        result = match(MatchRequest(["ann"], 1), random.Random(1))
        assert result.groups == ()
        assert [(u.member_id, u.reason) for u in result.unmatched] == [("ann", "alone")]

    def test_no_members_make_no_groups(self) -> None:
        assert match(MatchRequest([], 1), random.Random(1)) == MatchResult(())

    def test_two_members_blocked_from_each_other_both_sit_out_blocked(self) -> None:
        request = MatchRequest(["ann", "bob"], 1, blocked=frozenset({frozenset({"ann", "bob"})}))
        result = match(request, random.Random(1))
        assert result.groups == ()
        assert {(u.member_id, u.reason) for u in result.unmatched} == {
            ("ann", "blocked"),
            ("bob", "blocked"),
        }

    def test_a_member_blocked_from_everyone_sits_out_and_the_rest_are_grouped(self) -> None:
        members = [f"m{i}" for i in range(9)]
        blocked = frozenset(frozenset({"m0", m}) for m in members[1:])
        result = match(MatchRequest(members, 1, blocked=blocked), random.Random(3))
        assert [(u.member_id, u.reason) for u in result.unmatched] == [("m0", "blocked")]
        assert sorted(map(len, result.groups)) == [2, 2, 2, 2]


class TestPriority:
    def test_the_member_who_sat_out_last_time_is_grouped_when_someone_must_sit_out(self) -> None:
        for seed in range(20):
            request = MatchRequest(
                ["ann", "bob", "cat"],
                2,
                blocked=frozenset({frozenset({"ann", "cat"})}),
                priority=frozenset({"cat"}),
            )
            result = match(request, random.Random(seed))
            assert result.groups in ((("bob", "cat"),), (("cat", "bob"),))
            assert [u.member_id for u in result.unmatched] == ["ann"]


class TestRandomness:
    def test_two_seeds_share_almost_no_pairs_in_a_large_round(self) -> None:
        members = [f"m{i}" for i in range(200)]
        rng = random.Random(7)
        history: dict[frozenset[str], int] = {}
        for number in range(1, 11):
            result = match(MatchRequest(members, number, history=dict(history)), rng)
            history.update({p: number for p in pairs_of(result)})
        request = MatchRequest(members, 11, history=history)
        first = pairs_of(match(request, random.Random(1)))
        second = pairs_of(match(request, random.Random(2)))
        assert len(first & second) <= 0.02 * len(first)

    def test_successive_rounds_differ(self) -> None:
        members = [f"m{i}" for i in range(30)]
        rng = random.Random(5)
        rounds = [pairs_of(match(MatchRequest(members, n), rng)) for n in range(1, 4)]
        assert rounds[0] != rounds[1] != rounds[2]
