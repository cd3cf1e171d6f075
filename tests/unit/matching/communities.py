"""Hypothesis strategies for one round's worth of community: members, history, blocks, orgs."""

from __future__ import annotations

from itertools import combinations

from hypothesis import strategies as st

from pairing_core.matching import MatchRequest


@st.composite
def requests(
    draw: st.DrawFn,
    *,
    max_members: int = 12,
    group_sizes: tuple[int, ...] = (2, 3, 4),
    blocks: bool = True,
    orgs: bool = True,
) -> MatchRequest:
    """Draw a request with any mix of history, blocks, organisations and priority."""
    n = draw(st.integers(0, max_members))
    members = [f"m{i}" for i in range(n)]
    pairs = [frozenset(p) for p in combinations(members, 2)]
    met_share = draw(st.sampled_from([0.0, 0.3, 0.6, 0.85, 1.0]))
    met = draw(st.lists(st.floats(0, 1), min_size=len(pairs), max_size=len(pairs)))
    rounds = draw(st.lists(st.integers(1, 9), min_size=len(pairs), max_size=len(pairs)))
    history = {p: r for p, x, r in zip(pairs, met, rounds, strict=True) if x < met_share}
    blocked: frozenset[frozenset[str]] = frozenset()
    if blocks and pairs:
        blocked = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=n)))
    organisations: dict[str, str | None] = {}
    if orgs:
        choices = st.sampled_from([None, "acme", "globex", "initech"])
        organisations = {m: draw(choices) for m in members}
    priority = frozenset(draw(st.lists(st.sampled_from(members), max_size=3))) if n else frozenset()
    return MatchRequest(
        members=members,
        round_number=10,
        group_size=draw(st.sampled_from(group_sizes)),
        history=history,
        blocked=blocked,
        organisations=organisations,
        prefer_cross_org=draw(st.booleans()),
        priority=priority,
    )
