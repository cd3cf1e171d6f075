"""Local repair: swap members between groups while that lowers the round's total cost."""

from __future__ import annotations

import random

from pairing_core.matching._conflicts import Conflicts

__all__ = ["repair"]

# Small rounds scan every other group for one costly group; large rounds scan this many, at
# random: plenty of willing partners turn up in such a sample if there are any to find.
_SCAN = 128
# In large rounds, this many costly groups in a row without a fix means the rest are most
# likely beyond fixing (say, an organisation with most of the members): stop looking.
_HOPELESS = 64


def repair(c: Conflicts, groups: list[list[int]], rng: random.Random) -> None:
    """Swap pairs of members between groups, in place, while each swap lowers the total cost.

    Group sizes never change, and since a repeat outweighs everything below it, no swap ever
    adds a repeat or a block. Only groups that cost something start a scan, so a round that is
    already clean costs one pass over the groups. Small rounds scan every pair of groups until
    no swap helps; large ones scan a random sample and do not retry groups that found no help.
    """
    count = len(groups)
    if count < 2:
        return
    large = count > 2 * _SCAN
    scan = _SCAN if large else count
    costs = [c.group_cost(group) for group in groups]
    # Counted in pair prices looked up, so rounds of any group size get about the same time.
    budget = 200_000 + 20 * c.size
    given_up: set[int] = set()
    improved = True
    while improved and budget > 0:
        improved = False
        queue = [gi for gi in range(count) if costs[gi] > 0 and gi not in given_up]
        rng.shuffle(queue)
        misses = 0
        for gi in queue:
            if costs[gi] == 0:
                continue
            start = rng.randrange(count)
            fixed = False
            for step in range(scan):
                gj = (start + step) % count
                if gj == gi:
                    continue
                size_a, size_b = len(groups[gi]), len(groups[gj])
                budget -= size_a * size_b * (size_a + size_b) + size_a**2 + size_b**2
                if _best_swap(c, groups, costs, gi, gj):
                    improved = fixed = True
                    break
            if budget <= 0:
                return
            if fixed:
                misses = 0
            elif large:
                given_up.add(gi)
                misses += 1
                if misses >= _HOPELESS:
                    break


def _best_swap(c: Conflicts, groups: list[list[int]], costs: list[int], gi: int, gj: int) -> bool:
    """Make the swap between groups ``gi`` and ``gj`` that lowers the cost most, if any does."""
    a_group, b_group = groups[gi], groups[gj]
    # What each member costs its own group now, so only the new pairs need pricing.
    a_share = [sum(c.cost(a, x) for x in a_group if x != a) for a in a_group]
    b_share = [sum(c.cost(b, y) for y in b_group if y != b) for b in b_group]
    best, best_i, best_j = 0, -1, -1
    for i, a in enumerate(a_group):
        for j, b in enumerate(b_group):
            delta = -a_share[i] - b_share[j]
            for k, x in enumerate(a_group):
                if k != i:
                    delta += c.cost(b, x)
            for k, y in enumerate(b_group):
                if k != j:
                    delta += c.cost(a, y)
            if delta < best:
                best, best_i, best_j = delta, i, j
    if best_i < 0:
        return False
    a_group[best_i], b_group[best_j] = b_group[best_j], a_group[best_i]
    costs[gi] = c.group_cost(a_group)
    costs[gj] = c.group_cost(b_group)
    return True
