"""Run a synthetic community through the real matcher, round after round."""

from __future__ import annotations

import random
import time
from itertools import combinations, count
from typing import Any

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.criteria import mixes, repeats, shares_time
from pairing_core.simulation._people import ZONES, Profile, draw_profile, intro_date

__all__ = ["simulate"]


def simulate(
    members: int,
    rounds: int,
    churn: float = 0.0,
    orgs: int = 0,
    blocks: int = 0,
    seed: int | None = None,
    group_size: int = 2,
    timezones: int = 0,
    hours_spread: bool = False,
) -> dict[str, Any]:
    """Run ``rounds`` rounds of a community of ``members`` and return what each round made.

    Before every round after the first, a ``churn`` share of the active members leaves and as
    many newcomers join. Members get one of ``orgs`` organisations at random (none when 0), one
    of the first ``timezones`` of ``ZONES`` (the community's zone, London, when 0 or 1) and,
    with ``hours_spread``, varied working hours (09:00-17:00 otherwise); ``blocks`` random pairs
    of the starting members are blocked. Rounds fall fortnightly from ``FIRST_INTRO``; the
    matcher gets each member's working window on the round's intro date. Members who sat out a
    round have priority in the next, as in the bot. Everything but the timings follows from
    ``seed``.
    """
    _check(members, rounds, churn, orgs, blocks, group_size, timezones)
    rng = random.Random(seed)
    numbers = count(1)
    people: dict[str, Profile] = {}

    def join() -> str:
        member = f"m{next(numbers)}"
        people[member] = draw_profile(rng, orgs, timezones, hours_spread)
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
        day = intro_date(number)
        request = MatchRequest(
            members=list(active),
            round_number=number,
            group_size=group_size,
            history=history,
            blocked=blocked,
            organisations={m: people[m].org for m in active},
            priority=priority & frozenset(active),
            working_time={m: people[m].window(day) for m in active},
        )
        matcher_rng = random.Random(rng.getrandbits(64))
        started = time.perf_counter()
        result = match(request, matcher_rng)
        seconds = time.perf_counter() - started
        played.append(
            {
                "number": number,
                "date": day.isoformat(),
                "active": list(active),
                "groups": [list(group) for group in result.groups],
                "sat_out": [u.member_id for u in result.unmatched],
                "repeats": sum(repeats(group, history) for group in result.groups),
                "shared": sum(shares_time(g, request.working_time) for g in result.groups),
                "mixed": sum(mixes(group, request.organisations) for group in result.groups),
                "seconds": round(seconds, 6),
            }
        )
        for group in result.groups:
            history.update({frozenset(pair): number for pair in combinations(group, 2)})
        priority = frozenset(u.member_id for u in result.unmatched)
    return {
        "members": {member: profile.as_json() for member, profile in people.items()},
        "blocked_pairs": sorted(sorted(pair) for pair in blocked),
        "rounds": played,
    }


def _check(
    members: int, rounds: int, churn: float, orgs: int, blocks: int, size: int, zones: int
) -> None:
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
    if not 0 <= zones <= len(ZONES):
        raise ValueError(f"timezones must be between 0 and {len(ZONES)}")


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
