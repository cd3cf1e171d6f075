"""Hypothesis strategies for one round's worth of community: members, history, blocks, orgs."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import combinations

from hypothesis import strategies as st

from pairing_core.matching import MatchRequest
from pairing_core.matching.criteria import working_window

# Zones and hours close enough that most groups can share an hour, far enough that some cannot.
ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
STARTS = (time(7), time(9), time(10, 30))
ENDS = (time(14), time(16), time(17, 30), time(19))
DAYS = (date(2027, 1, 4), date(2027, 3, 29), date(2027, 7, 5))  # winter, a DST gap, summer


@st.composite
def windows(draw: st.DrawFn, members: list[str]) -> dict[str, tuple[datetime, datetime]]:
    """Draw each member's working window on one intro date (or none: shares with all)."""
    day = draw(st.sampled_from(DAYS))
    zones = draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True))
    found = {}
    for member in members:
        if draw(st.integers(0, 9)) == 0:
            continue
        zone = draw(st.sampled_from(zones))
        found[member] = working_window(
            day, zone, draw(st.sampled_from(STARTS)), draw(st.sampled_from(ENDS))
        )
    return found


@st.composite
def requests(
    draw: st.DrawFn,
    *,
    max_members: int = 12,
    group_sizes: tuple[int, ...] = (2, 3, 4),
    blocks: bool = True,
    orgs: bool = True,
    zones: bool = False,
    min_members: int = 0,
) -> MatchRequest:
    """Draw a request with any mix of history, blocks, organisations and priority."""
    n = draw(st.integers(min_members, max_members))
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
        working_time=draw(windows(members)) if zones else {},
    )
