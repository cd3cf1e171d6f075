"""Yardsticks for the matcher's order: each criterion counted, the exact answer, and bounds.

The exact answer for pairs is rustworkx's maximum-weight matching (Edmonds' blossom, in Rust)
on weights that encode the order: with ``M = n/2 + 1``, a pair is worth ``M**3`` for each of its
members with priority, ``M**2`` if its members never met, ``M`` if they share working time and
1 if it mixes organisations. A pairing has at most n/2 pairs, so each step outweighs every step
below it summed over all pairs (``(M-1)(M**2 + M + 1) < M**3``), and the heaviest matching of
the largest size is the lexicographic optimum. It lives here, not in the core, as a reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import rustworkx as rx

from pairing_core.matching import MatchRequest
from pairing_core.matching.criteria import Window, mixes, repeats, shares_time

__all__ = ["exact_pairs", "mixed_bound", "shared_bound", "tally"]


def tally(request: MatchRequest, groups: Sequence[Sequence[str]]) -> dict[str, int]:
    """Count a grouping's members placed, repeats, groups sharing time, mixed groups, blocks."""
    return {
        "placed": sum(map(len, groups)),
        "repeats": sum(repeats(group, request.history) for group in groups),
        "shared": sum(shares_time(group, request.working_time) for group in groups),
        "mixed": sum(mixes(group, request.organisations) for group in groups)
        if request.prefer_cross_org
        else 0,
        "broken": sum(
            frozenset(pair) in request.blocked
            for group in groups
            for pair in combinations(group, 2)
        ),
    }


def exact_pairs(request: MatchRequest) -> list[list[str]]:
    """Return the lexicographically best pairing of an even count of members."""
    members = sorted(set(request.members))
    if len(members) % 2:
        raise ValueError("the exact reference pairs an even count of members only")
    m = len(members) // 2 + 1
    graph = rx.PyGraph()
    graph.add_nodes_from(members)
    priority = [member in request.priority for member in members]
    edges = []
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            b = members[j]
            pair = (a, b)
            if frozenset(pair) in request.blocked:
                continue
            weight = (priority[i] + priority[j]) * m**3
            weight += m**2 * (not repeats(pair, request.history))
            weight += m * shares_time(pair, request.working_time)
            weight += request.prefer_cross_org and mixes(pair, request.organisations)
            edges.append((i, j, weight))
    graph.add_edges_from(edges)
    chosen = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return [[members[i], members[j]] for i, j in chosen]


def shared_bound(request: MatchRequest) -> int:
    """Bound the groups of two or more that can share working time, ignoring history and blocks.

    A group sharing time lies within one connected part of the graph of members who share an
    hour, so no more than half of each part (rounded down) can be paired within it. Members
    with equal windows are taken together, so the graph has one node per distinct window.
    """
    windows = request.working_time
    members = sorted(set(request.members))
    loose = [m for m in members if m not in windows]  # shares with everyone: joins every part
    by_window: dict[Window, int] = {}
    for m in members:
        if m in windows:
            by_window[windows[m]] = by_window.get(windows[m], 0) + 1
    kinds = list(by_window)
    parent = list(range(len(kinds)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in combinations(range(len(kinds)), 2):
        if shares_time(("a", "b"), {"a": kinds[i], "b": kinds[j]}):
            parent[root(i)] = root(j)
    sizes: dict[int, int] = {}
    for i, kind in enumerate(kinds):
        sizes[root(i)] = sizes.get(root(i), 0) + by_window[kind]
    if loose or len(sizes) <= 1:
        return len(members) // 2
    return sum(size // 2 for size in sizes.values())


def mixed_bound(request: MatchRequest) -> int:
    """Bound the pairs mixing organisations: each needs a member outside the largest one."""
    members = set(request.members)
    counts: dict[str, int] = {}
    for m in members:
        org = (request.organisations.get(m) or "").strip()
        if org:
            counts[org] = counts.get(org, 0) + 1
    largest = max(counts.values(), default=0)
    return min(len(members) // 2, len(members) - largest)
