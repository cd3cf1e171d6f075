"""Cross-organisation groups: chosen whenever they are possible at no cost in repeats."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pairing_core.matching import MatchRequest, MatchResult, match
from tests.unit.matching.optimum import repeats_in

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORGS = st.sampled_from([None, "acme", "globex", "initech", "umbrella"])


def same_org_pairs(result: MatchResult, orgs: dict[str, str | None]) -> int:
    return sum(
        orgs[a] is not None and orgs[a] == orgs[b]
        for group in result.groups
        for a, b in combinations(group, 2)
    )


class TestCrossOrganisation:
    @SETTINGS
    @given(
        st.integers(1, 10).flatmap(
            lambda half: st.lists(ORGS, min_size=2 * half, max_size=2 * half)
        ),
        st.floats(0, 1),
        st.integers(0, 2**32),
    )
    def test_pairs_across_organisations_whenever_history_allows(
        self, labels: list[str | None], met_share: float, seed: int
    ) -> None:
        counts = Counter(label for label in labels if label is not None)
        # A fully mixed pairing exists exactly when no organisation is more than half.
        assume(max(counts.values(), default=0) <= len(labels) // 2)
        orgs = {f"m{i}": label for i, label in enumerate(labels)}
        pick = random.Random(seed)
        # Colleagues may have met before; nobody from different organisations has.
        history = {
            frozenset((a, b)): pick.randint(1, 5)
            for a, b in combinations(orgs, 2)
            if orgs[a] is not None and orgs[a] == orgs[b] and pick.random() < met_share
        }
        result = match(
            MatchRequest(list(orgs), 6, history=history, organisations=orgs),
            random.Random(seed),
        )
        assert same_org_pairs(result, orgs) == 0
        assert repeats_in(result.groups, history) == 0

    @SETTINGS
    @given(st.integers(1, 8), st.integers(0, 2**32))
    def test_groups_of_three_mix_three_equal_organisations(self, per_org: int, seed: int) -> None:
        orgs = {f"{org}{i}": org for org in ("a", "b", "c") for i in range(per_org)}
        result = match(
            MatchRequest(list(orgs), 1, group_size=3, organisations=orgs), random.Random(seed)
        )
        assert same_org_pairs(result, orgs) == 0

    def test_members_without_an_organisation_never_count_as_colleagues(self) -> None:
        orgs: dict[str, str | None] = {"ann": None, "bob": None, "cat": "acme", "dan": "acme"}
        for seed in range(10):
            result = match(MatchRequest(list(orgs), 1, organisations=orgs), random.Random(seed))
            assert same_org_pairs(result, orgs) == 0

    def test_colleagues_may_pair_when_cross_organisation_is_not_preferred(self) -> None:
        orgs = {f"m{i}": "acme" if i < 10 else "globex" for i in range(20)}
        request = MatchRequest(list(orgs), 1, organisations=orgs, prefer_cross_org=False)
        together = sum(
            same_org_pairs(match(request, random.Random(seed)), orgs) for seed in range(10)
        )
        assert together > 0
