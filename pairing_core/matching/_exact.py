"""The best pairing of a round, exactly: a maximum-weight matching whose weights encode the order.

rustworkx's blossom algorithm (Galil's O(n^3) formulation, in Rust) finds, among the matchings
that pair as many members as blocks allow, one of greatest total weight (see ``_scores``). An
odd count, or blocks leaving someone out, asks for one trio; ``_trio_search`` finds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import rustworkx as rx

from pairing_core.matching._scores import Scores

__all__ = ["Grouping", "best_matching", "matching_weight"]

Grouping = list[tuple[int, ...]]


def best_matching(
    s: Scores, members: Sequence[int], new_only: bool = False
) -> list[tuple[int, int]]:
    """Pair as many of ``members`` as blocks allow, with the greatest total weight.

    With ``new_only``, only members who never met may be paired.
    """
    graph: rx.PyGraph[int, int] = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(members)
    edges: list[tuple[int, int, int]] = []
    for i, a in enumerate(members):
        banned = s.blocked[a]
        met: dict[int, int] = s.met[a] if new_only else {}
        later = [
            j
            for j in range(i + 1, len(members))
            if members[j] not in banned and members[j] not in met
        ]
        weights = s.weights_from(a, [members[j] for j in later])
        edges.extend(zip([i] * len(later), later, weights, strict=True))
    graph.add_edges_from(edges)
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=_same)
    # Sorted: the library returns a set, whose order is no part of the answer.
    return sorted((members[min(i, j)], members[max(i, j)]) for i, j in found)


def matching_weight(s: Scores, groups: Iterable[Sequence[int]]) -> int:
    """Total the weight of ``groups``."""
    return sum(s.group_weight(g) for g in groups)


def _same(weight: int) -> int:
    return weight
