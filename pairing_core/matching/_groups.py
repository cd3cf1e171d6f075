"""Groups of three or more: randomised greedy filling, then swap repair, then sit-outs for blocks."""

from __future__ import annotations

import random

from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._repair import repair
from pairing_core.matching.sizes import group_sizes

__all__ = ["form_groups"]

# Candidates scanned per open seat: all of them in small pools, a random sample in large ones.
_FULL_SCAN = 64
_SAMPLES = 24
# Fresh starts of the whole search, within about this many members placed in all.
_RESTARTS = 16
_RESTART_BUDGET = 4000


def form_groups(
    c: Conflicts, group_size: int, rng: random.Random
) -> tuple[list[list[int]], list[int]]:
    """Split the members into groups of about ``group_size``; return the groups and the sat out.

    The search is run several times from different random starts where that is cheap, keeping
    the best result in the matcher's order (see ``criteria``): swap repair prices pairs, so a
    fresh start often finds a grouping its swaps cannot reach.
    """
    best: tuple[list[list[int]], list[int]] | None = None
    best_key: tuple[int, ...] = ()
    for attempt in range(max(1, min(_RESTARTS, _RESTART_BUDGET // c.size))):
        found = _attempt(c, group_size, rng, shuffle=attempt > 0)
        key = _rank(c, found[0])
        if best is None or key > best_key:
            best, best_key = found, key
    assert best is not None
    return best


def _attempt(
    c: Conflicts, group_size: int, rng: random.Random, shuffle: bool
) -> tuple[list[list[int]], list[int]]:
    line = c.first_in_line()
    if shuffle:
        first = [v for v in line if c.priority[v]]
        rest = [v for v in line if not c.priority[v]]
        rng.shuffle(rest)
        line = first + rest
    sat_out: list[int] = []
    while True:
        groups = _fill(c, line, group_size, rng)
        repair(c, groups, rng)
        leaver = _worst_blocked(c, groups)
        if leaver < 0:
            # Blocks may leave too few to form any group at all.
            placed = {v for group in groups for v in group}
            return groups, sat_out + [v for v in line if v not in placed]
        sat_out.append(leaver)
        line = [v for v in line if v != leaver]


def _rank(c: Conflicts, groups: list[list[int]]) -> tuple[int, ...]:
    """Rank a grouping in the matcher's order (higher is better), then by its swap cost."""
    totals = [0] * 5
    for group in groups:
        key = c.order_key(group)
        assert key is not None  # sit-outs leave no blocked pair in a group
        for i in range(5):
            totals[i] += key[i]
    return (*totals, -sum(c.group_cost(group) for group in groups))


def _fill(c: Conflicts, line: list[int], group_size: int, rng: random.Random) -> list[list[int]]:
    """Seed each group with the next member in line and fill it with the cheapest candidates."""
    pool = list(line)
    where = {v: i for i, v in enumerate(pool)}

    def take(v: int) -> None:
        i, last = where.pop(v), pool[-1]
        if last != v:
            pool[i], where[last] = last, i
        pool.pop()

    groups: list[list[int]] = []
    waiting = iter(line)
    for size in group_sizes(len(line), group_size):
        seed = next(v for v in waiting if v in where)
        take(seed)
        group = [seed]
        while len(group) < size:
            chosen = _cheapest(c, group, pool, rng)
            take(chosen)
            group.append(chosen)
        groups.append(group)
    return groups


def _cheapest(c: Conflicts, group: list[int], pool: list[int], rng: random.Random) -> int:
    """Pick the candidate who adds least to ``group``'s cost, stopping at one who adds nothing."""
    full = len(pool) <= _FULL_SCAN
    best, best_cost = -1, -1
    for k in range(len(pool) if full else _SAMPLES):
        v = pool[k] if full else pool[rng.randrange(len(pool))]
        cost = sum(c.cost(v, x) for x in group)
        if best_cost < 0 or cost < best_cost:
            best, best_cost = v, cost
            if cost == 0:
                break
    return best


def _worst_blocked(c: Conflicts, groups: list[list[int]]) -> int:
    """Pick who sits out for a block still left: the most-blocked, without priority if possible."""
    involved = {v for group in groups for v in group if any(w in c.blocked[v] for w in group)}
    if not involved:
        return -1
    return min(involved, key=lambda v: (c.priority[v], -len(c.blocked[v]), v))
