"""The trio of an odd round that lets the round use the most never-met pairs, found exactly.

Call the graph of pairs who may meet anew G, a maximum matching of it M, its size v. A round of
pairs and one trio T uses at most v + 2 never-met pairs (drop two of T's pairs and what is left
is a matching of G), and always v (M, the rest paired, anyone joining any pair). Which of v + 2,
v + 1 and v it reaches follows from the members some maximum matching leaves out, D (Gallai and
Edmonds); a vertex x is in D exactly when an alternating tree from a member M leaves out reaches
x as an outer vertex, and releasing x there gives a maximum matching M_x without x.

- v + 2 needs a triangle T of G with a matching of v - 1 on the others. Adding one pair of T to
  it gives a maximum matching without the third, so all of T lies in D. For each triangle x < a
  < b in D, M_x without a and b has v - 2 pairs; one more exists exactly when an augmenting path
  starts at a's or b's old partner (one that avoids both would augment M_x itself).
- v + 1 with two never-met pairs in T, a path x - a - b, needs a matching of v - 1 on the rest:
  with a - b added, a maximum matching without x, who has a neighbour. So it exists exactly when
  some member of D has a neighbour: x joins a and a's partner in M_x.
- v + 1 with a triangle T needs a matching of v - 2 on the rest. Only asked when D has no
  neighbours, so M pairs everyone outside D; a triangle holding a pair of M leaves v - 2 pairs
  at once, any other v - 3 and needs one augmenting path from its members' old partners.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence

from pairing_core.matching._blossom import Search, augment, search
from pairing_core.matching._conflicts import Conflicts

__all__ = ["most_new_trio"]

Trio = tuple[int, int, int]


def most_new_trio(
    c: Conflicts, mate: Sequence[int], most_new: int
) -> tuple[Trio | None, list[int]]:
    """Pick the trio and never-met pairs of the others that use the most never-met pairs.

    ``mate`` may hold any pairs; its never-met ones are kept and completed to a maximum matching
    of ``most_new`` pairs. Returns the trio (None when no trio beats a maximum matching with
    anyone joining any pair) and the never-met pairs of everyone else, by partner (-1 unpaired).
    """
    avoid = c.avoid_new()
    m = [w if w >= 0 and c.may_meet_anew(v, w) else -1 for v, w in enumerate(mate)]
    if sum(1 for v, w in enumerate(m) if w > v) < most_new:
        augment(m, c.first_in_line(), avoid)
    trees = _left_out(m, avoid)
    found = _best_in_left_out(c, m, avoid, trees)
    if found is not None:
        return found
    if any(next(_neighbours(c, x), -1) >= 0 for x in trees):
        return _join_partners(c, m, trees)
    return _triangle_around_matching(c, m, avoid)


def _left_out(m: list[int], avoid: Sequence[Container[int]]) -> dict[int, Search]:
    """Map each member some maximum matching leaves out (D) to a tree that can free them."""
    trees: dict[int, Search] = {}
    for root in range(len(m)):
        if m[root] != -1:
            continue
        tree = search(root, m, avoid)
        for q, outer in enumerate(tree.outer):
            if outer and q not in trees:
                trees[q] = tree
    return trees


def _without(m: list[int], tree: Search, x: int) -> list[int]:
    """A copy of the maximum matching ``m`` re-paired to leave out ``x``, an outer vertex."""
    freed = m[:]
    if x != tree.root:
        tree.release(x, freed)
    return freed


def _neighbours(c: Conflicts, x: int) -> Iterator[int]:
    return (v for v in range(c.size) if v != x and c.may_meet_anew(x, v))


def _best_in_left_out(
    c: Conflicts, m: list[int], avoid: Sequence[Container[int]], trees: dict[int, Search]
) -> tuple[Trio, list[int]] | None:
    """Find a triangle of D with a matching of v - 1 on the others, if there is one."""
    # Cheap first: someone left out next to both members of one of its matching's pairs.
    for x, tree in trees.items():
        freed = _without(m, tree, x)
        near = set(_neighbours(c, x))
        for a in near:
            b = freed[a]
            if b in near:
                freed[a] = freed[b] = -1
                return (x, a, b), freed
    for x in sorted(trees):
        later = [v for v in _neighbours(c, x) if v > x and v in trees]
        if len(later) < 2:
            continue
        freed = _without(m, trees[x], x)
        for i, a in enumerate(later):
            for b in later[i + 1 :]:
                if c.may_meet_anew(a, b):
                    regained = _regain_one(freed, (x, a, b), avoid)
                    if regained is not None:
                        return (x, a, b), regained
    return None


def _join_partners(c: Conflicts, m: list[int], trees: dict[int, Search]) -> tuple[Trio, list[int]]:
    """Let a member of D with a neighbour join that neighbour and its partner."""
    for x, tree in trees.items():
        a = next(_neighbours(c, x), -1)
        if a >= 0:
            freed = _without(m, tree, x)
            b = freed[a]
            freed[a] = freed[b] = -1
            return (x, a, b), freed
    raise AssertionError("no member of D has a neighbour")


def _triangle_around_matching(
    c: Conflicts, m: list[int], avoid: Sequence[Container[int]]
) -> tuple[Trio | None, list[int]]:
    """Find a triangle with a matching of v - 2 on the others, when D has no neighbours."""
    for a, b in enumerate(m):
        if b > a:
            x = next((x for x in _neighbours(c, a) if x != b and c.may_meet_anew(x, b)), -1)
            if x >= 0:
                rest = m[:]
                if rest[x] >= 0:
                    rest[rest[x]] = -1
                rest[x] = rest[a] = rest[b] = -1
                return (x, a, b), rest
    for x in range(c.size):
        if m[x] == -1:
            continue
        later = [v for v in _neighbours(c, x) if v > x]
        for i, a in enumerate(later):
            for b in later[i + 1 :]:
                if c.may_meet_anew(a, b):
                    regained = _regain_one(m, (x, a, b), avoid)
                    if regained is not None:
                        return (x, a, b), regained
    return None, m


def _regain_one(m: list[int], trio: Trio, avoid: Sequence[Container[int]]) -> list[int] | None:
    """Unpair ``trio`` from ``m`` and win one pair back, or None if no augmenting path exists.

    Any augmenting path ends at a partner the trio left behind, since one between two members
    ``m`` already left unpaired would augment ``m`` itself; a search from each finds it.
    """
    rest = m[:]
    alive = [True] * len(m)
    roots = []
    for t in trio:
        alive[t] = False
        partner = rest[t]
        if partner >= 0:
            rest[t] = rest[partner] = -1
            if partner not in trio:
                roots.append(partner)
    for root in roots:
        if rest[root] != -1:
            continue
        found = search(root, rest, avoid, alive)
        if found.end >= 0:
            found.flip(rest)
            return rest
    return None
