"""Augmenting paths in a general graph, by Edmonds' blossom search.

The graphs here are dense (most members have met only a few others), so a graph is given by
what each vertex must *avoid*: ``avoid[v]`` holds the vertices ``v`` has no edge to. A search
from a vertex scans the others in a fixed order and stops at the first free vertex it can reach,
which in a dense graph is almost always among the root's own neighbours.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

__all__ = ["Search", "augment", "search"]


@dataclass(slots=True)
class Search:
    """The alternating forest grown from one root: where it ended and how to walk back."""

    root: int
    end: int
    parent: list[int]
    outer: list[bool]

    def flip(self, mate: list[int]) -> None:
        """Augment ``mate`` along the path found, matching the root and the free end."""
        _walk_back(self.end, self.parent, mate)

    def release(self, vertex: int, mate: list[int]) -> None:
        """Match the root instead of ``vertex``, an outer vertex, which becomes free."""
        # As if a free vertex hung off ``vertex``: augment to it, then drop it again.
        partner = mate[vertex]
        mate[vertex] = -1
        _walk_back(partner, self.parent, mate)


def _walk_back(v: int, parent: list[int], mate: list[int]) -> None:
    while v != -1:
        pv = parent[v]
        next_v = mate[pv]
        mate[v] = pv
        mate[pv] = v
        v = next_v


def _common_base(a: int, b: int, base: list[int], parent: list[int], mate: list[int]) -> int:
    seen: set[int] = set()
    while True:
        a = base[a]
        seen.add(a)
        if mate[a] == -1:
            break
        a = parent[mate[a]]
    while True:
        b = base[b]
        if b in seen:
            return b
        b = parent[mate[b]]


def _mark_path(
    v: int,
    stem: int,
    child: int,
    base: list[int],
    parent: list[int],
    mate: list[int],
    blossom: list[bool],
) -> None:
    while base[v] != stem:
        blossom[base[v]] = blossom[base[mate[v]]] = True
        parent[v] = child
        child = mate[v]
        v = parent[mate[v]]


def search(
    root: int,
    mate: list[int],
    avoid: Sequence[Container[int]],
    alive: Sequence[bool] | None = None,
    limit: int | None = None,
) -> Search:
    """Grow an alternating forest from the free vertex ``root`` until it meets another free one.

    With a ``limit``, give up (as if no path existed) after about that many vertex visits.
    """
    n = len(mate)
    outer = [False] * n
    parent = [-1] * n
    base = list(range(n))
    outer[root] = True
    queue = [root]
    head = 0
    work = 0
    # Free vertices are few; trying them first from each outer vertex finds the short
    # augmenting paths of a dense graph before any blossom has to be shrunk.
    ends = [v for v in range(n) if mate[v] == -1 and v != root and (alive is None or alive[v])]
    while head < len(queue):
        v = queue[head]
        head += 1
        banned = avoid[v]
        for end in ends:
            if end not in banned:
                parent[end] = v
                return Search(root, end, parent, outer)
        work += n + len(ends)
        for to in range(n):
            if to == v or to in banned or (alive is not None and not alive[to]):
                continue
            if base[v] == base[to] or mate[v] == to:
                continue
            if to == root or (mate[to] != -1 and parent[mate[to]] != -1):
                work += n
                stem = _common_base(v, to, base, parent, mate)
                blossom = [False] * n
                _mark_path(v, stem, to, base, parent, mate, blossom)
                _mark_path(to, stem, v, base, parent, mate, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = stem
                        if not outer[i]:
                            outer[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if mate[to] == -1:
                    return Search(root, to, parent, outer)
                outer[mate[to]] = True
                queue.append(mate[to])
        if limit is not None and work > limit:
            break
    return Search(root, -1, parent, outer)


def augment(
    mate: list[int],
    roots: Sequence[int],
    avoid: Sequence[Container[int]],
    alive: Sequence[bool] | None = None,
    limit: int | None = None,
    failures: int | None = None,
) -> None:
    """Augment ``mate`` from each free root in turn until no more augmenting paths exist.

    ``limit`` bounds each search (see ``search``) and ``failures`` how many may fail before
    giving up, for when a maximum matching is welcome but not required.
    """
    free = sum(1 for v in range(len(mate)) if mate[v] == -1 and (alive is None or alive[v]))
    for root in roots:
        if free < 2:
            return
        if mate[root] != -1:
            continue
        found = search(root, mate, avoid, alive, limit)
        if found.end >= 0:
            found.flip(mate)
            free -= 2
        elif failures is not None:
            failures -= 1
            if failures < 0:
                return
