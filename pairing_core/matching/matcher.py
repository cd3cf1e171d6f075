"""Randomised greedy grouping that avoids blocks and past partners."""

from __future__ import annotations

import random

from pairing_core.matching.request import MatchRequest, MatchResult, Unmatched
from pairing_core.matching.sizes import group_sizes

__all__ = ["match"]


def match(request: MatchRequest, rng: random.Random) -> MatchResult:
    """Group the request's members for one round."""
    members = list(dict.fromkeys(request.members))
    rng.shuffle(members)
    members.sort(key=lambda m: m not in request.priority)
    sizes = group_sizes(len(members), request.group_size)
    groups: list[list[str]] = []
    pool = members[:]
    unmatched: list[Unmatched] = []
    for size in sizes:
        if not pool:
            break
        group = [pool.pop(0)]
        while len(group) < size and pool:
            def cost(candidate: str, group: list[str] = group) -> tuple[int, int]:
                blocked = sum(frozenset((candidate, m)) in request.blocked for m in group)
                met = sum(frozenset((candidate, m)) in request.history for m in group)
                return blocked, met

            best = min(pool, key=cost)
            if cost(best)[0]:
                break
            pool.remove(best)
            group.append(best)
        groups.append(group)
    leftovers = [m for g in groups if len(g) < 2 for m in g] + pool
    groups = [g for g in groups if len(g) >= 2]
    for member in leftovers:
        unmatched.append(Unmatched(member, "blocked" if len(members) > 1 else "alone"))
    return MatchResult(tuple(tuple(g) for g in groups), tuple(unmatched))
