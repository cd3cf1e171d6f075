"""The bench's exact answer and bounds for the matcher's order, checked against brute force."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings

from bench.matcher_order import Community
from bench.matcher_reference import exact_pairs, mixed_bound, shared_bound, tally
from pairing_core.matching import MatchRequest
from tests.unit.matching.communities import requests
from tests.unit.matching.lexicographic import best_grouping, score

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EVEN_PAIRS = requests(max_members=12, min_members=2, group_sizes=(2,), zones=True).filter(
    lambda request: len(request.members) % 2 == 0
)


class TestExactPairs:
    @SETTINGS
    @given(EVEN_PAIRS)
    def test_reaches_the_brute_force_optimum_when_everyone_can_be_paired(
        self, request: MatchRequest
    ) -> None:
        best, _ = best_grouping(request)
        # Blocks may leave an odd number placeable, in a trio the reference does not make.
        assume(best.placed == len(request.members))
        groups = exact_pairs(request)
        assert score(request, groups) == best

    def test_refuses_an_odd_count(self) -> None:
        with pytest.raises(ValueError, match="even count"):
            exact_pairs(MatchRequest(["a", "b", "c"], 1))


class TestBounds:
    @SETTINGS
    @given(EVEN_PAIRS)
    def test_no_grouping_shares_time_or_mixes_more_than_the_bounds(
        self, request: MatchRequest
    ) -> None:
        best, _ = best_grouping(replace(request, history={}, blocked=frozenset()))
        assert best.shared <= shared_bound(request)
        mixing_only = replace(request, history={}, blocked=frozenset(), working_time={})
        assert best_grouping(replace(mixing_only, prefer_cross_org=True))[0].mixed <= mixed_bound(
            request
        )

    def test_a_bench_community_counts_its_rounds_from_its_own_request(self) -> None:
        community = Community.build(40, 3, 6, 4, 5, seed=1)
        request = community.request()
        assert request.round_number == 6 and len(request.working_time) == 40
        counts = tally(request, exact_pairs(request))
        assert counts["placed"] == 40 and counts["broken"] == 0
        assert counts["shared"] <= shared_bound(request)
