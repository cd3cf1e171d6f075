"""Pairs for one round: as many new meetings as possible, and nobody left out needlessly."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pairing_core.matching._blossom import augment, search
from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._leftovers import cheapest_release, pair_the_rest

__all__ = ["pair_up"]

# Random partners tried before scanning the whole pool; in a dense never-met graph one of the
# first few is almost always free to meet.
_SAMPLES = 24
# Pairs of colleagues worth trying to re-pair across organisations.
_MIXING = 16
# Above this many members an augmenting search that must avoid colleagues can take seconds;
# swap repair, which follows, mixes such rounds as well at a fraction of the cost.
_MIX_UP_TO = 2000


def pair_up(c: Conflicts, rng: random.Random) -> tuple[list[int], int]:
    """Pair the members: each one's partner (-1 for the unpaired), and how many pairs could be new.

    First a maximum matching on the never-met graph (so repeats are fewest), then the unpaired
    are paired with people they met longest ago, then blocks decide who stays unpaired.
    """
    line = c.first_in_line()
    mate = [-1] * c.size
    _greedy(c, mate, line, rng)
    _mix(c, mate, line)
    if sum(1 for v in line if mate[v] == -1) >= 2:
        augment(mate, line, c.avoid_new())
    most_new = sum(1 for v in range(c.size) if mate[v] > v)
    pair_the_rest(c, mate, line)
    _prefer_priority(c, mate, line, most_new)
    return mate, most_new


def _mix(c: Conflicts, mate: list[int], line: Sequence[int]) -> None:
    """Re-pair the few colleagues the greedy pass paired, across organisations where possible.

    Done before the never-met matching is completed, so that matching keeps the mixed pairs
    found here. Only worth it, and only cheap, when few pairs are colleagues; the searches are
    bounded because proving that no mixed re-pairing exists can take long.
    """
    colleagues = [v for v in line if mate[v] > v and c.org[v] >= 0 and c.org[v] == c.org[mate[v]]]
    if not colleagues or len(colleagues) > _MIXING or not c.orgs_matter or c.size > _MIX_UP_TO:
        return
    roots = []
    for v in colleagues:
        roots += [v, mate[v]]
        mate[mate[v]] = mate[v] = -1
    augment(mate, roots, c.avoid_new(colleagues=True), limit=10 * c.size, failures=3)


def _greedy(c: Conflicts, mate: list[int], line: Sequence[int], rng: random.Random) -> None:
    """Give each member in turn a random partner they never met, ideally a good fit."""
    pool = list(range(c.size))
    where = list(range(c.size))

    def take(v: int) -> None:
        i, last = where[v], pool[-1]
        pool[i], where[last] = last, i
        pool.pop()

    for u in line:
        if mate[u] != -1:
            continue
        take(u)
        org = c.org[u]
        # The best of a few random strangers: sharing working time first, then from another
        # organisation (the order of ``criteria``); stop at one who does both.
        chosen, rank = -1, -1
        for _ in range(min(_SAMPLES, len(pool))):
            v = pool[rng.randrange(len(pool))]
            if not c.may_meet_anew(u, v):
                continue
            fit = 2 * c.share_time(u, v) + (org < 0 or c.org[v] != org)
            if fit > rank:
                chosen, rank = v, fit
                if fit == 3:
                    break
        if chosen < 0:
            chosen = next((v for v in pool if c.may_meet_anew(u, v)), -1)
        if chosen >= 0:
            take(chosen)
            mate[u], mate[chosen] = chosen, u


def _prefer_priority(c: Conflicts, mate: list[int], line: Sequence[int], most_new: int) -> None:
    """Pair each unpaired priority member in place of someone without priority, where possible.

    Who is freed for them is the cheapest choice (see ``cheapest_release``), not the first
    member the search happens to reach: that choice decides how many pairs must repeat.
    """
    for p in line:
        if not c.priority[p]:
            return
        if mate[p] != -1:
            continue
        found = search(p, mate, c.blocked)
        if found.end >= 0:
            found.flip(mate)
            continue
        new = sum(1 for v in range(c.size) if mate[v] > v and c.last_met(v, mate[v]) is None)
        if cheapest_release(c, mate, p, most_new - new):
            continue
        swap = next(
            (
                q
                for q in range(c.size)
                if found.outer[q] and q != p and mate[q] != -1 and not c.priority[q]
            ),
            -1,
        )
        if swap >= 0:
            found.release(swap, mate)
