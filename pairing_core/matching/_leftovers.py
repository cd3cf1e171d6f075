"""Pairing the members a never-met matching leaves over: with old acquaintances, around blocks."""

from __future__ import annotations

from collections.abc import Sequence

from pairing_core.matching._blossom import search
from pairing_core.matching._conflicts import Conflicts

__all__ = ["cheapest_release", "pair_the_rest"]

# How far the search for a cheap way round a block may go: longer detours are tried only in
# small rounds, where they are cheap to enumerate and where blocks bite hardest.
_DEPTH_SMALL, _DEPTH_LARGE, _SMALL = 3, 1, 40
_BUDGET = 20_000


def pair_the_rest(
    c: Conflicts, mate: list[int], roots: Sequence[int], alive: Sequence[bool] | None = None
) -> None:
    """Pair the unpaired ``roots`` with people they met longest ago, re-pairing around blocks.

    When blocks leave two members unpairable with each other, some pair must be split to make
    room. The short detour that splits the fewest never-met pairs is preferred; failing that,
    any augmenting path (Edmonds) keeps as many members grouped as blocks allow.
    """
    free = [v for v in roots if mate[v] == -1]
    _pair_directly(c, mate, free)
    free = [v for v in free if mate[v] == -1]
    depth = _DEPTH_SMALL if c.size <= _SMALL else _DEPTH_LARGE
    while sum(1 for v in free if mate[v] == -1) >= 2:
        # The cheapest detour from any of them, not from the first in line: which members end
        # up unpaired decides how many pairs must repeat (first in line still wins a tie).
        best: list[int] | None = None
        best_gain = 0
        for u in (v for v in free if mate[v] == -1):
            detour = _best_detour(c, mate, u, depth, alive)
            if detour is not None and (best is None or detour[1] > best_gain):
                best, best_gain = detour
        if best is not None:
            _apply(mate, best)
            continue
        for u in (v for v in free if mate[v] == -1):
            found = search(u, mate, c.blocked, alive)
            if found.end >= 0:
                found.flip(mate)
                break
        else:
            return


def _pair_directly(c: Conflicts, mate: list[int], free: Sequence[int]) -> None:
    for u in free:
        if mate[u] != -1:
            continue
        best, best_cost = -1, c.unit_blocked
        for w in free:
            if w != u and mate[w] == -1:
                cost = c.cost(u, w)
                if cost < best_cost:
                    best, best_cost = w, cost
        if best >= 0:
            mate[u], mate[best] = best, u


def cheapest_release(c: Conflicts, mate: list[int], root: int, ceiling: int) -> bool:
    """Pair the unpaired ``root`` by freeing a member without priority, at the fewest repeats.

    Any grouping that pairs ``root`` and as many others differs from ``mate`` (around ``root``)
    by an alternating path from ``root`` to the member it frees: ``root`` takes ``y1``, whose
    partner ``z1`` takes ``y2``, ..., and ``zk`` is left out. Pairs stay as many, so the repeats
    change by exactly the never-met pairs the path splits less those it makes. Every such path
    is weighed, not just the first one a search reaches, since which member is freed decides
    how many pairs must repeat. ``ceiling`` is the most the path can
    gain (never-met pairs short of a maximum never-met matching), where the search may stop.
    Paths are weighed up to the same number of splits as detours (every path in rounds of up
    to 8 members); returns False when none is that short.
    """
    depth = _DEPTH_SMALL if c.size <= _SMALL else _DEPTH_LARGE
    detour = _best_detour(c, mate, root, depth, None, release=True, ceiling=ceiling)
    if detour is None:
        return False
    _apply(mate, detour[0])
    return True


def _apply(mate: list[int], path: Sequence[int]) -> None:
    """Pair consecutive members along ``path``; with an odd length, its last member goes free."""
    for i in range(0, len(path) - 1, 2):
        mate[path[i]], mate[path[i + 1]] = path[i + 1], path[i]
    if len(path) % 2:
        mate[path[-1]] = -1


def _best_detour(
    c: Conflicts,
    mate: list[int],
    root: int,
    depth: int,
    alive: Sequence[bool] | None,
    release: bool = False,
    ceiling: int = 0,
) -> tuple[list[int], int] | None:
    """Find the augmenting path from ``root`` of at most ``depth`` splits losing fewest new pairs.

    The path is returned as its vertices in order, so consecutive pairs become the new pairs,
    with its gain: new meetings its pairs make, less those of the pairs it splits. With
    ``release``, the path instead ends by splitting a pair and freeing its member without
    priority (an odd-length path); ``ceiling`` is the gain at which no better path can exist.
    """
    best: list[int] | None = None
    best_gain = -(depth + 1)
    budget = _BUDGET
    ends = [
        v
        for v in range(c.size)
        if not release and mate[v] == -1 and v != root and (alive is None or alive[v])
    ]
    path = [root]
    on_path = {root}

    def extend(gain: int, splits: int) -> None:
        nonlocal best, best_gain, budget
        x = path[-1]
        banned = c.blocked[x]
        for w in ends:
            budget -= 1
            if w not in banned and gain + c.may_meet_anew(x, w) > best_gain:
                best, best_gain = [*path, w], gain + c.may_meet_anew(x, w)
        if splits == depth:
            return
        for y in range(c.size):
            if budget <= 0 or best_gain == ceiling:
                return
            budget -= 1
            z = mate[y]
            if z < 0 or y in on_path or z in on_path or y in banned:
                continue
            if alive is not None and not alive[y]:
                continue
            after = gain + c.may_meet_anew(x, y) - c.may_meet_anew(y, z)
            if release and not c.priority[z] and after > best_gain:
                best, best_gain = [*path, y, z], after
            path.extend((y, z))
            on_path.update((y, z))
            extend(after, splits + 1)
            path.pop()
            path.pop()
            on_path.difference_update((y, z))

    extend(0, 0)
    return None if best is None else (best, best_gain)
