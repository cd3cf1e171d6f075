"""Stable communities in pairs: n-1 rounds without a repeat, whatever their organisations and zones.

Nobody joins or leaves, so a round-robin schedule shows n-1 rounds without a repeat exist;
repeats outrank shared working time and mixing, so neither may cost one. Runs go through
``simulate``, the same path as ``unmentor simulate``.
"""

from __future__ import annotations

import random
from datetime import time
from itertools import combinations
from typing import Any

import pytest

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.criteria import working_window
from pairing_core.simulation import FIRST_INTRO, simulate
from tests.unit.matching.recheck import recheck_round

SIZES = [8, 16, 20, 30]
SEEDS = [0, 1, 2]
COMMUNITIES = {
    "no organisations, one zone": {},
    "organisations": {"orgs": 3},
    "time zones and hours": {"timezones": 4, "hours_spread": True},
    "organisations, time zones and hours": {"orgs": 5, "timezones": 6, "hours_spread": True},
}


def stable_run(n: int, community: str, seed: int) -> dict[str, Any]:
    return simulate(members=n, rounds=n - 1, seed=seed, **COMMUNITIES[community])  # type: ignore[arg-type]


class TestStableCommunity:
    @pytest.mark.parametrize("seed", SEEDS)
    @pytest.mark.parametrize("community", list(COMMUNITIES))
    @pytest.mark.parametrize("n", SIZES)
    def test_goes_n_minus_1_rounds_without_a_repeat(
        self, n: int, community: str, seed: int
    ) -> None:
        run = stable_run(n, community, seed)
        per_round = [played["repeats"] for played in run["rounds"]]
        assert per_round == [0] * (n - 1)
        # Everyone has met everyone exactly once.
        met = [
            frozenset(p)
            for played in run["rounds"]
            for g in played["groups"]
            for p in combinations(g, 2)
        ]
        assert len(met) == len(set(met)) == n * (n - 1) // 2

    @pytest.mark.parametrize("community", list(COMMUNITIES))
    @pytest.mark.parametrize("n", SIZES)
    def test_reports_each_rounds_groups_sharing_time_and_mixing(
        self, n: int, community: str
    ) -> None:
        run = stable_run(n, community, seed=0)
        history: dict[frozenset[str], int] = {}
        for played in run["rounds"]:
            counts = recheck_round(run, played, history)
            assert counts == {key: played[key] for key in counts}
            assert 0 <= played["shared"] <= len(played["groups"]) == n // 2
            assert 0 <= played["mixed"] <= len(played["groups"])


class TestChance:
    @pytest.mark.parametrize("community", list(COMMUNITIES))
    def test_two_seeds_share_almost_no_pairs_in_a_first_round_of_100(self, community: str) -> None:
        run = simulate(members=100, rounds=1, seed=4, **COMMUNITIES[community])  # type: ignore[arg-type]
        people = run["members"]
        windows = {}
        for member, info in people.items():
            start, end = (time.fromisoformat(t) for t in info["hours"].split("-"))
            windows[member] = working_window(FIRST_INTRO, info["timezone"], start, end)
        request = MatchRequest(
            list(people),
            1,
            organisations={m: info["org"] for m, info in people.items()},
            working_time=windows,
        )
        one, two = (
            {frozenset(g) for g in match(request, random.Random(seed)).groups} for seed in (1, 2)
        )
        assert len(one) == len(two) == 50
        assert len(one & two) / len(one) < 0.15
