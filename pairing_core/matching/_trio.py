"""The one trio of an odd round: who joins which pair, at the fewest repeats."""

from __future__ import annotations

from collections.abc import Container, Sequence
from itertools import combinations

from pairing_core.matching._best_trio import most_new_trio
from pairing_core.matching._blossom import augment
from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._leftovers import pair_the_rest

__all__ = ["place_trio"]

# With blocks, which may spoil the pairing around the exact trio, up to this many members try
# every possible trio as well; beyond it that costs too much for a round.
_EXHAUSTIVE = 40
_TRIES = 400


def place_trio(c: Conflicts, mate: list[int], most_new: int) -> tuple[int, int, int] | None:
    """Add one unpaired member to a pair, updating ``mate``; return the trio, if any can be made.

    ``most_new`` is the size of a maximum never-met matching, which bounds how few repeats any
    grouping can have, so the search can stop as soon as it reaches that bound.
    """
    line = c.first_in_line()
    free = [v for v in line if mate[v] == -1]
    if not free:
        return None
    pairs = [(x, mate[x]) for x in range(c.size) if mate[x] > x]
    found = _join_a_pair(c, free, pairs)
    floor = max(0, len(pairs) - most_new)
    paired_repeats = sum(1 for x, y in pairs if c.last_met(x, y) is not None)
    best_total = paired_repeats + found[0] if found is not None else None
    if best_total == floor:
        return _apply_join(mate, found) if found is not None else None
    exact = _fewest_repeats(c, mate, most_new)
    if exact is not None and (best_total is None or exact[0] < best_total):
        best_total = exact[0]
        # The exact trio is the best grouping when blocks cost it no repeat: without blocks no
        # grouping has fewer (see ``_best_trio``), and blocks only forbid groupings. The search
        # below groups the paired members and one more, so it can only compete (grouping as
        # many) when one member was left unpaired.
        if not _any_block(c) or exact[0] == exact[3] or len(free) != 1:
            mate[:] = exact[2]
            return exact[1]
    else:
        exact = None
    if (found is not None or exact is not None) and (
        not _any_block(c) or len(pairs) * 2 + 1 > _EXHAUSTIVE
    ):
        return _best_known(mate, found, exact)
    # Blocks may spoil the pairing around the exact trio (or the join's): re-pairing around
    # another trio may save a repeat, or allow a trio at all.
    joiners = free if found is None and exact is None else [found[1] if found else free[0]]
    for joiner in joiners:
        members = [v for v in line if mate[v] != -1 or v == joiner]
        better = _search(c, mate, members, most_new, best_total, floor)
        if better is not None:
            trio, new_mate = better
            mate[:] = new_mate
            return trio
    return _best_known(mate, found, exact)


def _best_known(
    mate: list[int],
    found: tuple[int, int, int, int] | None,
    exact: tuple[int, tuple[int, int, int], list[int], int] | None,
) -> tuple[int, int, int] | None:
    """Apply the exact trio's grouping if it was the better one, else the join, if any."""
    if exact is not None:
        mate[:] = exact[2]
        return exact[1]
    return _apply_join(mate, found) if found is not None else None


def _fewest_repeats(
    c: Conflicts, mate: list[int], most_new: int
) -> tuple[int, tuple[int, int, int], list[int], int] | None:
    """Group everyone around the trio that uses the most never-met pairs; None if blocks forbid.

    Returns the grouping's repeats, the trio, everyone else's partners, and the fewest repeats
    any grouping of everyone could have without blocks. Without blocks the grouping reaches
    that (see ``_best_trio``); blocks may make it re-pair around them at a cost.
    """
    trio, rest = most_new_trio(c, mate, most_new)
    most_new_pairs = sum(1 for v, w in enumerate(rest) if w > v)
    if trio is not None:
        most_new_pairs += 3 - c.repeats(trio)
    alive = [True] * c.size
    if trio is not None:
        if any(trio[j] in c.blocked[trio[i]] for i, j in ((0, 1), (0, 2), (1, 2))):
            return None
        for t in trio:
            alive[t] = False
    line = c.first_in_line()
    roots = [v for v in line if alive[v] and rest[v] == -1]
    pair_the_rest(c, rest, roots, alive)
    left = [v for v in line if alive[v] and rest[v] == -1]
    if trio is None:
        pairs = [(x, rest[x]) for x in range(c.size) if rest[x] > x]
        joined = _join_a_pair(c, left[:1], pairs)
        if len(left) != 1 or joined is None:
            return None
        trio = _apply_join(rest, joined)
    elif left:
        return None
    repeats = c.repeats(trio) + sum(
        1 for x in range(c.size) if rest[x] > x and c.last_met(x, rest[x]) is not None
    )
    grouped_pairs = 3 + sum(1 for x in range(c.size) if rest[x] > x)
    return repeats, trio, rest, grouped_pairs - most_new_pairs


def _any_block(c: Conflicts) -> bool:
    return any(c.blocked)


def _join_a_pair(
    c: Conflicts, free: list[int], pairs: list[tuple[int, int]]
) -> tuple[int, int, int, int] | None:
    """Find the unpaired member (priority first) and the pair it joins at the lowest cost."""
    best: tuple[int, int, int, int] | None = None
    best_key: tuple[int, int] | None = None
    for v in free:
        if best is not None and c.priority[v] != c.priority[best[1]]:
            break
        banned = c.blocked[v]
        for x, y in pairs:
            if x in banned or y in banned:
                continue
            met = (c.last_met(v, x) is not None) + (c.last_met(v, y) is not None)
            key = (met, c.cost(v, x) + c.cost(v, y))
            if best_key is None or key < best_key:
                best_key, best = key, (key[0], v, x, y)
                if key == (0, 0):
                    return best
    return best


def _apply_join(mate: list[int], found: tuple[int, int, int, int]) -> tuple[int, int, int]:
    _, v, x, y = found
    mate[x] = mate[y] = -1
    return (v, x, y)


def _search(
    c: Conflicts,
    mate: list[int],
    members: list[int],
    most_new: int,
    best_total: int | None,
    floor: int,
) -> tuple[tuple[int, int, int], list[int]] | None:
    """Try every trio of ``members``, fewest repeats inside it first, re-pairing the rest."""
    groups = (len(members) - 1) // 2
    slack = (groups - 1) - min(groups - 1, most_new)
    trios = sorted(
        (c.repeats(trio), trio)
        for trio in combinations(members, 3)
        if not any(trio[j] in c.blocked[trio[i]] for i, j in ((0, 1), (0, 2), (1, 2)))
    )
    new = c.avoid_new()
    best: tuple[tuple[int, int, int], list[int]] | None = None
    for tries, (inside, trio) in enumerate(trios):
        if tries >= _TRIES or (best_total is not None and inside + slack >= best_total):
            break
        rest = _pair_rest(c, mate, members, trio, new)
        if rest is None:
            continue
        total = inside + sum(
            1 for x in range(c.size) if rest[x] > x and c.last_met(x, rest[x]) is not None
        )
        if best_total is None or total < best_total:
            best_total, best = total, (trio, rest)
            if total == floor:
                break
    return best


def _pair_rest(
    c: Conflicts,
    mate: list[int],
    members: list[int],
    trio: tuple[int, int, int],
    new: Sequence[Container[int]],
) -> list[int] | None:
    """Pair every member outside ``trio`` with the fewest repeats, or None if blocks forbid it.

    Only ``mate``'s never-met pairs are kept to start from: augmenting paths (Berge) grow a
    matching of the never-met graph into a maximum one, but a pair that met before is no edge
    of it and would hold both its members away from anyone they could meet anew. Once the trio
    is out, a member the first pairing had to give an old acquaintance may have a new partner.
    """
    alive = [False] * c.size
    for v in members:
        alive[v] = True
    rest = mate[:]
    for t in trio:
        alive[t] = False
        partner = rest[t]
        rest[t] = -1
        if partner >= 0:
            rest[partner] = -1
    for v in members:
        w = rest[v]
        if w > v and not c.may_meet_anew(v, w):
            rest[v] = rest[w] = -1
    roots = [v for v in members if alive[v] and rest[v] == -1]
    augment(rest, roots, new, alive)
    pair_the_rest(c, rest, roots, alive)
    if any(alive[v] and rest[v] == -1 for v in members):
        return None
    return rest
