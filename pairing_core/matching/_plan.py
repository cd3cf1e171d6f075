"""A schedule for small stable communities in pairs: everyone meets everyone once in n-1 rounds.

Choosing each round's pairs greedily paints later rounds into a corner: with 20 members,
repeats become unavoidable from about round 14 although 19 rounds without any are possible.
A round-robin schedule (the circle method) avoids that. The core keeps no plan between rounds,
so the schedule is rebuilt each round from the request alone: the pairs of the earliest round
in the history (itself random) fix how members are laid out on the circle, and each later round
is the best of the circle's rounds that nobody has played yet (shared time, then mixing),
chosen at random among equals.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from pairing_core.matching.criteria import mixes, shares_time
from pairing_core.matching.request import MatchRequest

__all__ = ["planned_pairs"]

# Larger communities never run anywhere near n-1 rounds, and keep fully random rounds.
_LARGEST = 198


def planned_pairs(
    request: MatchRequest, members: Sequence[str], rng: random.Random
) -> list[tuple[str, str]] | None:
    """Return a round of the community's round-robin schedule without repeats or blocks, if any."""
    n = len(members)
    if request.group_size != 2 or n % 2 or not 4 <= n <= _LARGEST:
        return None
    current = frozenset(members)
    met = [
        (pair, last) for pair, last in request.history.items() if len(pair) == 2 and pair <= current
    ]
    if not met:
        return None
    first = min(last for _, last in met)
    anchor = [pair for pair, last in met if last == first]
    label = _lay_out(anchor, current)
    if label is None:
        return None
    circle = n - 1
    half = (circle + 1) // 2  # the inverse of 2 modulo the odd circle size

    def round_of(pair: frozenset[str]) -> int:
        a, b = (label[m] for m in pair)
        if a == circle or b == circle:
            return min(a, b)
        return (a + b) * half % circle

    played = {round_of(pair) for pair, _ in met}
    played |= {round_of(pair) for pair in request.blocked if len(pair) == 2 and pair <= current}
    open_rounds = [r for r in range(circle) if r not in played]
    if not open_rounds:
        return None
    seat = [""] * n
    for member, position in label.items():
        seat[position] = member

    def pairs_of(r: int) -> list[tuple[str, str]]:
        return [(seat[circle], seat[r])] + [
            (seat[(r + i) % circle], seat[(r - i) % circle]) for i in range(1, n // 2)
        ]

    rng.shuffle(open_rounds)
    # Among the open rounds, the best by the order's next criteria: shared time, then mixing.
    return max(
        (pairs_of(r) for r in open_rounds),
        key=lambda pairs: (
            sum(shares_time(pair, request.working_time) for pair in pairs),
            sum(mixes(pair, request.organisations) for pair in pairs)
            if request.prefer_cross_org
            else 0,
        ),
    )


def _lay_out(anchor: list[frozenset[str]], current: frozenset[str]) -> dict[str, int] | None:
    """Seat the members on the circle so that the anchor pairs make its round 0."""
    n = len(current)
    covered: set[str] = set()
    for pair in anchor:
        covered |= pair
    if len(anchor) != n // 2 or covered != current:
        return None
    circle = n - 1
    pairs = sorted((sorted(pair, key=_key) for pair in anchor), key=lambda pair: _key(pair[0]))
    label: dict[str, int] = {}
    for j, (a, b) in enumerate(pairs):
        label[a], label[b] = (circle, 0) if j == 0 else (j, circle - j)
    return label


def _key(member: str) -> bytes:
    # A stable shuffle of member ids, so the layout does not follow their alphabetical order.
    return hashlib.blake2b(member.encode(), digest_size=8).digest()
