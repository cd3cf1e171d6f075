"""Reference answers the matcher is checked against, computed the slow, sure way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import combinations

import networkx as nx

from pairing_core.matching.sizes import group_sizes

Pair = frozenset[str]


def repeats_in(groups: Iterable[Sequence[str]], history: Mapping[Pair, int]) -> int:
    """Count the pairs inside ``groups`` that met before."""
    return sum(frozenset((a, b)) in history for group in groups for a, b in combinations(group, 2))


def most_new_pairs(members: Sequence[str], avoid: Iterable[Pair]) -> int:
    """Size of a maximum matching on the graph of pairs not in ``avoid``."""
    banned = set(avoid)
    graph = nx.Graph()
    graph.add_nodes_from(members)
    graph.add_edges_from(
        (a, b) for a, b in combinations(members, 2) if frozenset((a, b)) not in banned
    )
    return len(nx.max_weight_matching(graph, maxcardinality=True))


def fewest_repeats(members: Sequence[str], history: Mapping[Pair, int]) -> int:
    """The fewest repeats any pairing of ``members`` (with one trio when odd) can have.

    For an odd count, a trio is priced as its own repeats plus the fewest the others' pairing
    can have (networkx's maximum matching). Anyone joining a maximum matching reaches
    ``groups + 2 - most_new``; a trio with a never-met pair, with a matching of the others,
    makes a matching of everyone, so no trio does better than ``inside + groups - most_new``.
    Only trios with two never-met pairs can beat the first, and they are tried by ``inside``.
    """
    n = len(members)
    if n < 2:
        return 0
    if n % 2 == 0:
        return n // 2 - most_new_pairs(members, history)
    groups = n // 2
    most_new = most_new_pairs(members, history)
    strangers: dict[str, set[str]] = {m: set() for m in members}
    for a, b in combinations(members, 2):
        if frozenset((a, b)) not in history:
            strangers[a].add(b)
            strangers[b].add(a)
    best = groups + 2 - most_new
    trios = sorted(
        (int(frozenset((a, b)) in history), (x, a, b))
        for x in members
        for a, b in combinations(sorted(strangers[x]), 2)
        if frozenset((a, b)) in history or x < a
    )
    for inside, trio in trios:
        if inside + groups - most_new >= best:
            break
        rest = [m for m in members if m not in trio]
        best = min(best, inside + (groups - 1) - most_new_pairs(rest, history))
    return best


def groupings(members: Sequence[str], sizes: Sequence[int]) -> Iterator[list[tuple[str, ...]]]:
    """Every way to split ``members`` into groups of the given sizes."""
    if not members:
        yield []
        return
    first, rest = members[0], members[1:]
    for size in sorted(set(sizes)):
        left = list(sizes)
        left.remove(size)
        for others in combinations(rest, size - 1):
            remaining = [m for m in rest if m not in others]
            for tail in groupings(remaining, left):
                yield [(first, *others), *tail]


def best_outcome(
    members: Sequence[str],
    group_size: int,
    history: Mapping[Pair, int],
    blocked: frozenset[Pair],
    priority: frozenset[str],
) -> tuple[int, int, int]:
    """The best (priority left out, members left out, repeats) over every legal grouping."""
    best: tuple[int, int, int] | None = None
    for k in range(len(members) + 1):
        for chosen in combinations(members, len(members) - k):
            sizes = group_sizes(len(chosen), group_size)
            if sum(sizes) != len(chosen):
                continue
            for groups in groupings(list(chosen), sizes):
                if any(frozenset(p) in blocked for g in groups for p in combinations(g, 2)):
                    continue
                left = set(members) - set(chosen)
                key = (len(left & priority), len(left), repeats_in(groups, history))
                if best is None or key < best:
                    best = key
    assert best is not None
    return best
