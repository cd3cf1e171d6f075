"""The brute-force optimum the matcher is checked against, checked against plain enumeration."""

from __future__ import annotations

from datetime import date, time
from itertools import combinations

from hypothesis import HealthCheck, given, settings

from pairing_core.matching import MatchRequest
from pairing_core.matching.criteria import working_window
from pairing_core.matching.sizes import group_sizes
from tests.unit.matching.communities import requests
from tests.unit.matching.lexicographic import Score, best_grouping, best_score, score
from tests.unit.matching.optimum import groupings

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def every_legal_grouping(request: MatchRequest) -> list[list[tuple[str, ...]]]:
    """Every subset of members that can be placed, split every way sizes allow, no block inside."""
    members = sorted(request.members)
    found = []
    for placed in range(len(members) + 1):
        sizes = group_sizes(placed, request.group_size)
        if sum(sizes) != placed:
            continue
        for chosen in combinations(members, placed):
            for groups in groupings(list(chosen), sizes):
                if not any(
                    frozenset(pair) in request.blocked
                    for g in groups
                    for pair in combinations(g, 2)
                ):
                    found.append(groups)
    return found


class TestBestScore:
    @SETTINGS
    @given(requests(max_members=8, zones=True))
    def test_equals_the_best_of_every_legal_grouping_enumerated(
        self, request: MatchRequest
    ) -> None:
        everything = every_legal_grouping(request)
        expected = max((score(request, groups) for groups in everything), key=Score.rank)
        best, grouping = best_grouping(request)
        assert best == expected
        # The grouping it offers is itself legal, and reaches that score.
        assert {frozenset(map(frozenset, grouping))} <= {
            frozenset(map(frozenset, groups)) for groups in everything
        }
        assert score(request, grouping) == best

    def test_eight_people_from_four_organisations_mix_without_repeats(self) -> None:
        orgs = {f"{org}{i}": org for org in "abcd" for i in range(2)}
        # Two earlier rounds paired each member across organisations.
        history = {
            frozenset(("a0", "b0")): 1, frozenset(("a1", "b1")): 1,
            frozenset(("c0", "d0")): 1, frozenset(("c1", "d1")): 1,
            frozenset(("a0", "c0")): 2, frozenset(("a1", "c1")): 2,
            frozenset(("b0", "d0")): 2, frozenset(("b1", "d1")): 2,
        }  # fmt: skip
        request = MatchRequest(list(orgs), 3, history=history, organisations=orgs)
        assert best_score(request) == Score(
            placed=8, priority_placed=0, repeats=0, shared=4, mixed=4
        )

    def test_places_the_most_members_then_those_with_priority_when_blocks_bite(self) -> None:
        # No trio without a blocked pair, so one of the three sits out: not "c", who sat out last.
        request = MatchRequest(
            ["a", "b", "c"], 1, blocked=frozenset({frozenset(("a", "c"))}), priority=frozenset("c")
        )
        best, grouping = best_grouping(request)
        assert best.placed == 2 and best.priority_placed == 1
        assert grouping == [("b", "c")]

    def test_makes_a_trio_around_a_block_rather_than_leave_someone_out(self) -> None:
        blocked = frozenset({frozenset(("a", "b")), frozenset(("c", "d"))})
        request = MatchRequest(["a", "b", "c", "d", "e"], 1, blocked=blocked)
        assert best_score(request).placed == 5

    def test_counts_groups_that_share_an_hour_of_work(self) -> None:
        day = date(2027, 1, 4)
        windows = {
            "london": working_window(day, "Europe/London", time(9), time(17)),
            "new-york": working_window(day, "America/New_York", time(9), time(17)),
            "kolkata": working_window(day, "Asia/Kolkata", time(9), time(17)),
            "sydney": working_window(day, "Australia/Sydney", time(9), time(17)),
        }
        request = MatchRequest(list(windows), 1, working_time=windows)
        # London works with New York and with Kolkata; Sydney only with Kolkata.
        best, grouping = best_grouping(request)
        assert best.shared == 2
        assert {frozenset(g) for g in grouping} == {
            frozenset(("london", "new-york")), frozenset(("kolkata", "sydney"))
        }  # fmt: skip

    def test_ignores_organisations_when_mixing_is_not_preferred(self) -> None:
        orgs = {"a": "x", "b": "x", "c": "y", "d": "y"}
        request = MatchRequest(list(orgs), 1, organisations=orgs, prefer_cross_org=False)
        assert best_score(request).mixed == 0
