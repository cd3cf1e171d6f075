"""A synthetic community run through the real matcher, round after round."""

from __future__ import annotations

import random
import time
from itertools import count
from typing import Any

from pairing_core.matching import MatchRequest, match

__all__ = ["simulate"]


def simulate(
    members: int,
    rounds: int,
    churn: float = 0.0,
    orgs: int = 0,
    blocks: int = 0,
    seed: int | None = None,
    group_size: int = 2,
) -> dict[str, Any]:
    """Run ``rounds`` rounds of a community of ``members`` and return what each round made.

    Before every round after the first, a ``churn`` share of the active members leaves and as
    many newcomers join. Members get one of ``orgs`` organisations at random (none when 0), and
    ``blocks`` random pairs of the starting members are blocked. Members who sat out a round
    have priority in the next, as in the bot. Everything but the timings follows from ``seed``.
    """
    _check(members, rounds, churn, orgs, blocks, group_size)
    rng = random.Random(seed)
    numbers = count(1)
    people: dict[str, dict[str, str | None]] = {}

    def join() -> str:
        member = f"m{next(numbers)}"
        people[member] = {"org": f"org{rng.randrange(orgs) + 1}" if orgs else None}
        return member

    active = [join() for _ in range(members)]
    blocked = _random_pairs(active, blocks, rng)
    history: dict[frozenset[str], int] = {}
    priority: frozenset[str] = frozenset()
    played: list[dict[str, Any]] = []
    for number in range(1, rounds + 1):
        if number > 1 and churn:
            leaving = set(rng.sample(active, int(churn * len(active) + 0.5)))
            active = [m for m in active if m not in leaving]
            active += [join() for _ in leaving]
        request = MatchRequest(
            members=list(active),
            round_number=number,
            group_size=group_size,
            history=history,
            blocked=blocked,
            organisations={m: people[m]["org"] for m in active},
            priority=priority & frozenset(active),
        )
        matcher_rng = random.Random(rng.getrandbits(64))
        started = time.perf_counter()
        result = match(request, matcher_rng)
        seconds = time.perf_counter() - started
        for group in result.groups:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    history[frozenset((a, b))] = number
        priority = frozenset(u.member_id for u in result.unmatched)
        played.append(
            {
                "number": number,
                "active": list(active),
                "groups": [list(group) for group in result.groups],
                "sat_out": [u.member_id for u in result.unmatched],
                "seconds": round(seconds, 6),
            }
        )
    return {
        "members": people,
        "blocked_pairs": sorted(sorted(pair) for pair in blocked),
        "rounds": played,
    }


def _check(members: int, rounds: int, churn: float, orgs: int, blocks: int, size: int) -> None:
    if members < 0:
        raise ValueError("members must be 0 or more")
    if rounds < 1:
        raise ValueError("rounds must be 1 or more")
    if not 0 <= churn < 1:
        raise ValueError("churn must be at least 0 and below 1")
    if orgs < 0:
        raise ValueError("orgs must be 0 or more")
    if not 0 <= blocks <= members * (members - 1) // 2:
        raise ValueError(f"blocks must be between 0 and {members * (members - 1) // 2}")
    if size < 2:
        raise ValueError("group size must be 2 or more")


def _random_pairs(members: list[str], wanted: int, rng: random.Random) -> frozenset[frozenset[str]]:
    """Draw ``wanted`` distinct pairs of ``members`` at random."""
    possible = len(members) * (len(members) - 1) // 2
    if wanted * 2 > possible:
        # Dense: drawing from every pair beats rejecting duplicates.
        every = [frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :]]
        return frozenset(rng.sample(every, wanted))
    pairs: set[frozenset[str]] = set()
    while len(pairs) < wanted:
        a, b = rng.sample(members, 2)
        pairs.add(frozenset((a, b)))
    return frozenset(pairs)
