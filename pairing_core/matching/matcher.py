"""Group a round's members at random, never across a block and with as few repeats as possible.

Pairs come from a maximum matching on the graph of members who never met (greedy over a random
order, then Edmonds' augmenting paths), so a round has the fewest repeats any pairing allows;
with an odd count, the trio is chosen so that pairs and trio together have the fewest repeats
any grouping allows. Larger groups are filled greedily. Both then go through swap repair, which
trades recent repeats for older ones and same-organisation groups for mixed ones. Small stable communities in pairs follow a round-robin schedule instead
while it lasts, so nobody meets anyone twice before meeting everyone.
"""

from __future__ import annotations

import random

from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._groups import form_groups
from pairing_core.matching._pairs import pair_up
from pairing_core.matching._plan import planned_pairs
from pairing_core.matching._repair import repair
from pairing_core.matching._trio import place_trio
from pairing_core.matching.request import MatchRequest, MatchResult, Unmatched

__all__ = ["match"]


def match(request: MatchRequest, rng: random.Random) -> MatchResult:
    """Group the request's members for one round."""
    if request.group_size < 2:
        raise ValueError(f"group size must be at least 2, not {request.group_size}")
    # Sorting first makes the result depend on the seed and the set of members only.
    members = sorted(set(request.members))
    if len(members) < 2:
        return MatchResult((), tuple(Unmatched(m, "alone") for m in members))
    planned = planned_pairs(request, members, rng)
    if planned is None:
        return _search(request, members, rng)
    result = MatchResult(tuple(planned))
    same_org = _same_org_groups(request, result)
    if same_org == 0:
        return result
    # Mixing organisations outranks keeping to the schedule, but only at no cost in repeats.
    searched = _search(request, members, rng)
    if (
        _same_org_groups(request, searched) < same_org
        and not searched.unmatched
        and not _has_repeats(request, searched)
    ):
        return searched
    return result


def _search(request: MatchRequest, members: list[str], rng: random.Random) -> MatchResult:
    c = Conflicts.build(request, members, rng)
    if request.group_size == 2:
        mate, most_new = pair_up(c, rng)
        trio = place_trio(c, mate, most_new)
        groups = [[v, mate[v]] for v in range(c.size) if mate[v] > v]
        if trio is not None:
            groups.append(list(trio))
        repair(c, groups, rng)
    else:
        groups, _ = form_groups(c, request.group_size, rng)
    placed = {v for group in groups for v in group}
    return MatchResult(
        tuple(tuple(c.ids[v] for v in group) for group in groups),
        tuple(Unmatched(c.ids[v], "blocked") for v in c.first_in_line() if v not in placed),
    )


def _same_org_groups(request: MatchRequest, result: MatchResult) -> int:
    if not request.prefer_cross_org:
        return 0
    orgs = request.organisations
    return sum(
        1
        for group in result.groups
        if any(
            orgs.get(a) is not None and orgs.get(a) == orgs.get(b)
            for i, a in enumerate(group)
            for b in group[i + 1 :]
        )
    )


def _has_repeats(request: MatchRequest, result: MatchResult) -> bool:
    return any(
        frozenset((a, b)) in request.history
        for group in result.groups
        for i, a in enumerate(group)
        for b in group[i + 1 :]
    )
