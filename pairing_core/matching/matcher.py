"""Group a round's members: the best grouping in the order ``criteria`` states, never across a block.

Pairs of up to ``EXACT_UP_TO`` members are chosen exactly: a maximum-weight matching whose
weights encode the order (``_scores``, ``_exact``), with the trio of an odd count chosen by
``_trio_search``. Small stable communities in pairs follow a round-robin schedule while it
lasts (``_plan``), so nobody meets anyone twice before meeting everyone: there, keeping that
promise outranks shared time and mixing, which are then the best the schedule's open rounds
offer. Larger rounds, and groups of three or more, are searched heuristically (greedy, Edmonds'
augmenting paths, swap repair); the bench measures how far that falls short of the exact answer.
"""

from __future__ import annotations

import random

from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._exact import matching_weight
from pairing_core.matching._groups import form_groups
from pairing_core.matching._lookahead import safe_pairs
from pairing_core.matching._pairs import pair_up
from pairing_core.matching._plan import planned_pairs
from pairing_core.matching._repair import repair
from pairing_core.matching._scores import CRITERIA_SHIFT, Scores
from pairing_core.matching._small_groups import EVERY_GROUPING_UP_TO, best_small_grouping
from pairing_core.matching._trio import place_trio
from pairing_core.matching._trio_search import group_exactly
from pairing_core.matching.request import MatchRequest, MatchResult, Unmatched

__all__ = ["EXACT_UP_TO", "best_of_round", "match"]

# The exact matching costs O(n^3): about 0.15 s a round at 400 members on one core.
EXACT_UP_TO = 400


def match(request: MatchRequest, rng: random.Random) -> MatchResult:
    """Group the request's members for one round."""
    if request.group_size < 2:
        raise ValueError(f"group size must be at least 2, not {request.group_size}")
    # Sorting first makes the result depend on the seed and the set of members only.
    members = sorted(set(request.members))
    if len(members) < 2:
        return MatchResult((), tuple(Unmatched(m, "alone") for m in members))
    if request.group_size == 2:
        best = _exact(request, members, rng) if len(members) <= EXACT_UP_TO else None
        if best is not None and not best.unmatched:
            pairs = [(g[0], g[1]) for g in best.groups if len(g) == 2]
            if len(pairs) == len(best.groups):
                safe = safe_pairs(request, members, pairs)
                if safe is not None:
                    return MatchResult(tuple(safe))
        planned = planned_pairs(request, members, rng)
        if planned is not None:
            return MatchResult(tuple(planned))
        if best is not None:
            return best
    return _search(request, members, rng)


def best_of_round(request: MatchRequest, rng: random.Random) -> MatchResult:
    """Group one round on its own terms, with no promise to a stable community's later rounds."""
    members = sorted(set(request.members))
    if len(members) < 2:
        return MatchResult((), tuple(Unmatched(m, "alone") for m in members))
    if request.group_size == 2 and len(members) <= EXACT_UP_TO:
        return _exact(request, members, rng)
    return _search(request, members, rng)


def _exact(request: MatchRequest, members: list[str], rng: random.Random) -> MatchResult:
    ids = list(members)
    rng.shuffle(ids)
    s = Scores.build(request, ids, rng)
    grouped = group_exactly(s)
    groups = grouped.groups
    if not grouped.proven:
        # The repeat-first search below is exact on repeats for one trio; where the trio
        # search could not prove its grouping best, the better of the two is taken.
        index = {m: i for i, m in enumerate(ids)}
        searched = [tuple(index[m] for m in g) for g in _search(request, members, rng).groups]
        if _key(s, searched) > _key(s, groups):
            groups = searched
    placed = {v for group in groups for v in group}
    # Those who sat out last time were placed first; among the rest, the order is random.
    left = sorted((v for v in range(s.size) if v not in placed), key=lambda v: not s.priority[v])
    return MatchResult(
        tuple(tuple(ids[v] for v in group) for group in groups),
        tuple(Unmatched(ids[v], "blocked") for v in left),
    )


def _key(s: Scores, groups: list[tuple[int, ...]]) -> tuple[int, int]:
    """Rank a grouping: members placed, then its weight without chance."""
    return sum(map(len, groups)), matching_weight(s, groups) >> CRITERIA_SHIFT


def _search(request: MatchRequest, members: list[str], rng: random.Random) -> MatchResult:
    c = Conflicts.build(request, members, rng)
    if request.group_size == 2:
        mate, most_new = pair_up(c, rng)
        trio = place_trio(c, mate, most_new)
        groups = [[v, mate[v]] for v in range(c.size) if mate[v] > v]
        if trio is not None:
            groups.append(list(trio))
        repair(c, groups, rng)
    elif c.size <= EVERY_GROUPING_UP_TO:
        groups, _ = best_small_grouping(c, request.group_size, rng)
    else:
        groups, _ = form_groups(c, request.group_size, rng)
    placed = {v for group in groups for v in group}
    return MatchResult(
        tuple(tuple(c.ids[v] for v in group) for group in groups),
        tuple(Unmatched(c.ids[v], "blocked") for v in c.first_in_line() if v not in placed),
    )
