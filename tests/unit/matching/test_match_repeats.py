"""Repeats: as few as the best grouping of the round allows, and the oldest ones first."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing_core.matching import MatchRequest, match
from tests.unit.matching.communities import requests
from tests.unit.matching.optimum import best_outcome, fewest_repeats, repeats_in

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def play(members: list[str], rounds: int, seed: int) -> list[int]:
    """Run ``rounds`` rounds in a row and return how many repeats each one had."""
    rng = random.Random(seed)
    history: dict[frozenset[str], int] = {}
    repeats = []
    for number in range(1, rounds + 1):
        result = match(MatchRequest(members, number, history=dict(history)), rng)
        repeats.append(repeats_in(result.groups, history))
        for group in result.groups:
            history.update({frozenset((a, b)): number for a in group for b in group if a < b})
    return repeats


class TestFewestRepeats:
    @SETTINGS
    @given(requests(max_members=16, group_sizes=(2,), blocks=False), st.integers(0, 2**32))
    def test_pairs_repeat_no_more_than_the_best_pairing_of_the_round(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        assert repeats_in(result.groups, request.history) == fewest_repeats(
            request.members, request.history
        )

    @SETTINGS
    @given(requests(max_members=8, group_sizes=(2,)), st.integers(0, 2**32))
    def test_blocks_cost_no_more_repeats_than_they_must(
        self, request: MatchRequest, seed: int
    ) -> None:
        result = match(request, random.Random(seed))
        best = best_outcome(request.members, 2, request.history, request.blocked, request.priority)
        assert repeats_in(result.groups, request.history) == best[2]

    @SETTINGS
    @given(st.integers(2, 40), st.integers(0, 2**32))
    def test_a_first_round_has_no_repeats_in_groups_of_any_size(
        self, members: int, seed: int
    ) -> None:
        names = [f"m{i}" for i in range(members)]
        for size in (2, 3, 4):
            result = match(MatchRequest(names, 1, group_size=size), random.Random(seed))
            assert repeats_in(result.groups, {}) == 0

    @pytest.mark.parametrize("seed", range(20))
    def test_blocks_leave_out_whoever_costs_fewest_repeats(self, seed: int) -> None:
        # m1 can only be paired with m3, the one pair (with m4) that would be new; leaving m1
        # out rather than m4 lets m3 and m4 meet anew: 1 repeat instead of 2.
        members = [f"m{i}" for i in range(5)]
        new = {frozenset({"m2", "m3"}), frozenset({"m3", "m4"})}
        history = {frozenset({a, b}): 1 for a in members for b in members if a < b}
        history = {pair: n for pair, n in history.items() if pair not in new}
        blocked = frozenset(
            frozenset(pair) for pair in (("m0", "m1"), ("m1", "m2"), ("m0", "m4"), ("m1", "m4"))
        )
        request = MatchRequest(members, 10, history=history, blocked=blocked)
        result = match(request, random.Random(seed))
        assert repeats_in(result.groups, history) == 1
        assert [u.member_id for u in result.unmatched] == ["m1"]

    @pytest.mark.parametrize("seed", range(20))
    def test_a_priority_member_displaces_whoever_costs_fewest_repeats(self, seed: int) -> None:
        # m4 sat out last time and may only be paired with m2. Whoever m2's partner was must
        # make way: freeing m3 lets m0 and m1 meet anew (1 repeat); freeing m1 leaves m0 with
        # m3, whom they met (2 repeats).
        members = [f"m{i}" for i in range(5)]
        never_met = (("m0", "m1"), ("m0", "m2"), ("m0", "m4"), ("m1", "m2"), ("m1", "m3"))
        new = {frozenset(pair) for pair in (*never_met, ("m3", "m4"))}
        history = {frozenset({a, b}): 1 for a in members for b in members if a < b}
        history = {pair: n for pair, n in history.items() if pair not in new}
        banned = ("m0", "m4"), ("m1", "m3"), ("m1", "m4"), ("m2", "m3"), ("m3", "m4")
        blocked = frozenset(frozenset(pair) for pair in banned)
        request = MatchRequest(
            members, 10, history=history, blocked=blocked, priority=frozenset({"m4"})
        )
        result = match(request, random.Random(seed))
        assert repeats_in(result.groups, history) == 1
        assert [u.member_id for u in result.unmatched] == ["m3"]

    @pytest.mark.parametrize("seed", range(20))
    def test_an_odd_round_with_blocks_takes_the_trio_that_saves_a_repeat(self, seed: int) -> None:
        # Only m1-m5, m1-m6, m2-m3 and m2-m5 never met, and m3-m5 is blocked. The trio m1, m5,
        # m6 holds two new pairs and frees m2 to meet m3 anew: 2 repeats. A trio made from the
        # round's first pairing, such as m0, m2, m5 beside m1-m6 and m3-m4, costs 3.
        members = [f"m{i}" for i in range(7)]
        new = {frozenset(p) for p in (("m1", "m5"), ("m1", "m6"), ("m2", "m3"), ("m2", "m5"))}
        history = {frozenset({a, b}): 1 for a in members for b in members if a < b}
        history = {pair: n for pair, n in history.items() if pair not in new}
        blocked = frozenset({frozenset({"m3", "m5"})})
        request = MatchRequest(members, 10, history=history, blocked=blocked)
        result = match(request, random.Random(seed))
        assert repeats_in(result.groups, history) == 2
        assert not result.unmatched

    @pytest.mark.parametrize("seed", range(20))
    def test_an_odd_round_with_blocks_weighs_the_trio_of_most_new_pairs(self, seed: int) -> None:
        # Only m0-m2, m1-m2, m3-m6 and m5-m6 may meet anew. m4, blocked from m2, m3 and m5,
        # may be left out of the first pairing (m1 gets m5, met longest ago) and join none of
        # its pairs. The trio with most new pairs, m0, m1, m2, leaves m4 only m6, and m3 only
        # m5: 3 repeats. The trio m3, m5, m6 beside m0-m2 and m1-m4 costs 2.
        members = [f"m{i}" for i in range(7)]
        never_met = (
            ("m0", "m2"),
            ("m0", "m3"),
            ("m0", "m5"),
            ("m1", "m2"),
            ("m3", "m6"),
            ("m5", "m6"),
        )
        new = {frozenset(pair) for pair in never_met}
        history = {frozenset({a, b}): 1 for a in members for b in members if a < b}
        history = {pair: n for pair, n in history.items() if pair not in new}
        history[frozenset({"m1", "m4"})] = 2
        banned = ("m0", "m3"), ("m0", "m5"), ("m1", "m3"), ("m2", "m4"), ("m3", "m4"), ("m4", "m5")
        blocked = frozenset(frozenset(pair) for pair in banned)
        request = MatchRequest(members, 10, history=history, blocked=blocked)
        result = match(request, random.Random(seed))
        assert repeats_in(result.groups, history) == 2
        assert not result.unmatched

    def test_repeats_the_pairs_that_met_longest_ago(self) -> None:
        # Everyone has met everyone; the pairs from round 1 met longest ago.
        history = {
            frozenset({"ann", "bob"}): 1,
            frozenset({"cat", "dan"}): 1,
            frozenset({"ann", "cat"}): 2,
            frozenset({"bob", "dan"}): 2,
            frozenset({"ann", "dan"}): 3,
            frozenset({"bob", "cat"}): 3,
        }
        for seed in range(10):
            result = match(
                MatchRequest(["ann", "bob", "cat", "dan"], 4, history=history),
                random.Random(seed),
            )
            assert {frozenset(g) for g in result.groups} == {
                frozenset({"ann", "bob"}),
                frozenset({"cat", "dan"}),
            }

    def test_groups_of_three_avoid_repeats_while_strangers_remain(self) -> None:
        names = [f"m{i}" for i in range(60)]
        rng = random.Random(4)
        history: dict[frozenset[str], int] = {}
        for number in range(1, 6):
            result = match(MatchRequest(names, number, 3, history=dict(history)), rng)
            assert repeats_in(result.groups, history) == 0
            for group in result.groups:
                history.update({frozenset((a, b)): number for a in group for b in group if a < b})


class TestSchedule:
    @pytest.mark.parametrize("members", [20, 50])
    def test_a_stable_community_meets_everyone_before_anyone_twice(self, members: int) -> None:
        names = [f"m{i}" for i in range(members)]
        assert sum(play(names, members - 1, seed=members)) == 0
