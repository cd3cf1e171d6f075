"""Groups of 3 or 4 in a small round: every grouping tried, the best in the matcher's order kept.

No polynomial algorithm is known for the best grouping into groups larger than pairs, but a
round of up to ``EVERY_GROUPING_UP_TO`` members has at most some thousands of groupings, which
are cheap to try. Those who cannot all be placed (blocks) are handled by trying every set of
members to leave out, fewest first.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from itertools import combinations

from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching.sizes import group_sizes

__all__ = ["EVERY_GROUPING_UP_TO", "best_small_grouping"]

EVERY_GROUPING_UP_TO = 12

Key = tuple[int, int, int, int, int, int]


def best_small_grouping(
    c: Conflicts, group_size: int, rng: random.Random
) -> tuple[list[list[int]], list[int]]:
    """Return the best grouping of everyone who can be placed, and who sits out."""
    everyone = list(range(c.size))
    scored: dict[tuple[int, ...], Key | None] = {}

    def group_key(group: tuple[int, ...]) -> Key | None:
        if group not in scored:
            scored[group] = c.order_key(group)
        return scored[group]

    for placed in range(c.size, 1, -1):
        sizes = group_sizes(placed, group_size)
        best: list[tuple[int, ...]] | None = None
        best_key: Key | None = None
        ties = 0
        for chosen in combinations(everyone, placed):
            for grouping in _groupings(list(chosen), sizes, group_key):
                key = _total(group_key(g) for g in grouping)
                if best_key is None or key > best_key:
                    best, best_key, ties = grouping, key, 1
                elif key == best_key:
                    # Chance among equals, each of them equally likely (reservoir sampling).
                    ties += 1
                    if rng.randrange(ties) == 0:
                        best = grouping
        if best is not None:
            placed_set = {v for g in best for v in g}
            return [list(g) for g in best], [v for v in c.first_in_line() if v not in placed_set]
    return [], c.first_in_line()


def _groupings(
    members: list[int], sizes: Sequence[int], group_key: Callable[[tuple[int, ...]], Key | None]
) -> Iterator[list[tuple[int, ...]]]:
    """Every split of ``members`` into groups of ``sizes`` with no blocked pair inside a group."""
    if not members:
        yield []
        return
    first, rest = members[0], members[1:]
    for size in sorted(set(sizes)):
        left = list(sizes)
        left.remove(size)
        for others in combinations(rest, size - 1):
            group = (first, *others)
            if group_key(group) is None:
                continue
            remaining = [m for m in rest if m not in others]
            for tail in _groupings(remaining, left, group_key):
                yield [group, *tail]


def _total(keys: Iterator[Key | None]) -> Key:
    total = [0] * 6
    for key in keys:
        assert key is not None
        for i, part in enumerate(key):
            total[i] += part
    return (total[0], total[1], total[2], total[3], total[4], total[5])
