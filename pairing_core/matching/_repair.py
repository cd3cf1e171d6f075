"""Local repair: swap members between groups while that lowers the round's total cost."""

from __future__ import annotations

import random

from pairing_core.matching._conflicts import Conflicts

__all__ = ["repair"]

# Other groups scanned for one costly group before giving up on it for this pass; large rounds
# have plenty of willing partners near the start of a random scan.
_SCAN = 512


def repair(c: Conflicts, groups: list[list[int]], rng: random.Random) -> None:
    """Swap pairs of members between groups, in place, while each swap lowers the total cost.

    Group sizes never change, and since a repeat outweighs everything below it, no swap ever
    adds a repeat or a block. Only groups that cost something start a scan, so a round that is
    already clean costs one pass over the groups.
    """
    count = len(groups)
    if count < 2:
        return
    costs = [c.group_cost(group) for group in groups]
    budget = 60_000 + 8 * c.size
    improved = True
    while improved and budget > 0:
        improved = False
        queue = [gi for gi in range(count) if costs[gi] > 0]
        rng.shuffle(queue)
        for gi in queue:
            if costs[gi] == 0:
                continue
            start = rng.randrange(count)
            for step in range(min(count, _SCAN)):
                gj = (start + step) % count
                if gj == gi:
                    continue
                budget -= 1
                if _best_swap(c, groups, costs, gi, gj):
                    improved = True
                    break
            if budget <= 0:
                return


def _best_swap(c: Conflicts, groups: list[list[int]], costs: list[int], gi: int, gj: int) -> bool:
    """Make the swap between groups ``gi`` and ``gj`` that lowers the cost most, if any does."""
    a_group, b_group = groups[gi], groups[gj]
    best, best_i, best_j = 0, -1, -1
    for i, a in enumerate(a_group):
        for j, b in enumerate(b_group):
            delta = 0
            for k, x in enumerate(a_group):
                if k != i:
                    delta += c.cost(b, x) - c.cost(a, x)
            for k, y in enumerate(b_group):
                if k != j:
                    delta += c.cost(a, y) - c.cost(b, y)
            if delta < best:
                best, best_i, best_j = delta, i, j
    if best_i < 0:
        return False
    a_group[best_i], b_group[best_j] = b_group[best_j], a_group[best_i]
    costs[gi] = c.group_cost(a_group)
    costs[gj] = c.group_cost(b_group)
    return True
