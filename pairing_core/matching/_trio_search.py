"""The one trio, when a round's count is odd (or blocks leave someone out): which, and around it.

A grouping with a trio is a matching of everyone else plus one member joining one of its pairs,
so its weight is at most the best matching's weight plus what joining can add: two more pairs
that may be new, and nothing more (a trio shares time, or mixes, only if each of its pairs
does). The member the best matching leaves out joins its best pair; when that reaches the bound
the grouping is provably the best. Otherwise, in small rounds, every trio whose bound could beat
the best found is tried, with the others re-paired exactly around it, best bound first; in
large rounds a few trios around the member left out are tried, and the rest is measured in the
bench (``Grouped.proven``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import combinations

from pairing_core.matching._exact import best_matching, matching_weight
from pairing_core.matching._scores import CRITERIA_SHIFT, NEW, Scores

__all__ = ["Grouped", "group_exactly"]

# Up to this many members every trio is a candidate (0.2 s a round at 35); above it, only those around the member
# the best matching left out, and at most ``_LARGE_TRIES`` of them re-paired.
_EVERY_TRIO = 35
_LARGE_TRIES = 2
# What a member joining a pair can add at most, in criteria: two more never-met pairs.
_JOIN_GAIN = 2 * (NEW >> CRITERIA_SHIFT)


@dataclass(frozen=True, slots=True)
class Grouped:
    groups: list[tuple[int, ...]]
    proven: bool  # the grouping is known to be the best in the order


def group_exactly(s: Scores) -> Grouped:
    """Group everyone in pairs, plus one trio where the count or blocks call for it."""
    everyone = list(range(s.size))
    pairs = best_matching(s, everyone)
    left = _left_out(everyone, pairs)
    if not left:
        return Grouped(list(pairs), True)
    if s.size <= _EVERY_TRIO:
        return _every_trio(s, pairs, left)
    if len(left) == 1 and any(s.priority):
        # If one member can join a pair, everyone is placed and who sat out last time no
        # longer matters: without their bonus the best matching may leave out someone easier
        # to place in the trio.
        even = dataclasses.replace(s, priority=[False] * s.size)
        even_pairs = best_matching(even, everyone)
        found = _large(even, even_pairs, _left_out(everyone, even_pairs))
        if sum(map(len, found.groups)) == s.size:
            return found
    return _large(s, pairs, left)


def _large(s: Scores, pairs: list[tuple[int, int]], left: list[int]) -> Grouped:
    base = sum(s.pair_weight(a, b) for a, b in pairs)
    best = _best_join(s, pairs, left, base)
    if best is None:
        return Grouped(list(pairs), False)
    if len(left) == 1 and _crit(best[0]) >= _crit(base) + _JOIN_GAIN:
        return Grouped(best[1], True)
    if len(left) == 1:
        return _around(s, pairs, left[0], base, best)
    return Grouped(best[1], False)


def _left_out(everyone: list[int], pairs: list[tuple[int, int]]) -> list[int]:
    placed = {v for pair in pairs for v in pair}
    return [v for v in everyone if v not in placed]


def _crit(weight: int) -> int:
    return weight >> CRITERIA_SHIFT


def _best_join(
    s: Scores, pairs: list[tuple[int, int]], left: list[int], base: int
) -> tuple[int, list[tuple[int, ...]]] | None:
    """Let one member left out join the pair that suits them best; None if blocks forbid all."""
    best: tuple[int, int, int] | None = None
    best_weight = -1
    for u in left:
        for i, (a, b) in enumerate(pairs):
            if a in s.blocked[u] or b in s.blocked[u]:
                continue
            weight = base - s.pair_weight(a, b) + s.group_weight((u, a, b))
            if weight > best_weight:
                best, best_weight = (u, i, 0), weight
    if best is None:
        return None
    u, i, _ = best
    groups: list[tuple[int, ...]] = [p for j, p in enumerate(pairs) if j != i]
    groups.append((u, *pairs[i]))
    return best_weight, groups


def _every_trio(s: Scores, pairs: list[tuple[int, int]], left: list[int]) -> Grouped:
    """Try every trio a bound cannot rule out, re-pairing the others exactly around each."""
    everyone = list(range(s.size))
    joined = _best_join(s, pairs, left, sum(s.pair_weight(a, b) for a, b in pairs))
    best_key = (2 * len(pairs), sum(s.pair_weight(a, b) for a, b in pairs))
    best_groups: list[tuple[int, ...]] = list(pairs)
    if joined is not None:
        best_key, best_groups = (2 * len(pairs) + 1, joined[0]), joined[1]
    # What the others can weigh at best with each member out of the pairs, for the bounds.
    without = {t: _paired_without(s, everyone, t) for t in everyone}
    candidates = []
    for trio in combinations(everyone, 3):
        if not s.allowed(trio):
            continue
        weight = s.group_weight(trio)
        bound = min(
            without[t][1] + weight - s.pair_weight(*(v for v in trio if v != t)) for t in trio
        )
        placed = min(without[t][0] for t in trio) + 1
        candidates.append(((placed, bound), trio, weight))
    candidates.sort(key=lambda c: c[0], reverse=True)
    for (placed, bound), trio, weight in candidates:
        if (placed, _crit(bound)) <= (best_key[0], _crit(best_key[1])):
            break
        rest = [v for v in everyone if v not in trio]
        others = best_matching(s, rest)
        key = (3 + 2 * len(others), weight + sum(s.pair_weight(a, b) for a, b in others))
        if key > best_key:
            best_key, best_groups = key, [*others, trio]
    return Grouped(best_groups, True)


def _paired_without(s: Scores, everyone: list[int], t: int) -> tuple[int, int]:
    """How many can be paired without ``t``, and the best such pairing's weight."""
    pairs = best_matching(s, [v for v in everyone if v != t])
    return 2 * len(pairs), matching_weight(s, pairs)


def _around(
    s: Scores,
    pairs: list[tuple[int, int]],
    u: int,
    base: int,
    joined: tuple[int, list[tuple[int, ...]]],
) -> Grouped:
    """Try the trios around ``u`` that could beat its best join, re-pairing the others."""
    best_weight, best_groups = joined
    others = [v for v in range(s.size) if v != u]
    candidates: list[tuple[int, tuple[int, int]]] = []
    for a, b in combinations(others, 2):
        if b in s.blocked[a] or a in s.blocked[u] or b in s.blocked[u]:
            continue
        # The others' best matching plus (a, b) is a matching without u: at most ``base``.
        bound = base - s.pair_weight(a, b) + s.group_weight((u, a, b))
        if _crit(bound) > _crit(best_weight):
            candidates.append((bound, (a, b)))
    candidates.sort(reverse=True)
    for _, (a, b) in candidates[:_LARGE_TRIES]:
        rest = [v for v in others if v not in (a, b)]
        found = best_matching(s, rest)
        if 2 * len(found) != len(rest):
            continue
        weight = s.group_weight((u, a, b)) + matching_weight(s, found)
        if weight > best_weight:
            best_weight, best_groups = weight, [*found, (u, a, b)]
    # Trios without ``u`` were not tried, so nothing is proven here.
    return Grouped(best_groups, False)
