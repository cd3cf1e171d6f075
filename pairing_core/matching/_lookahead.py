"""Stable communities: the best round that still lets everyone meet everyone before any repeat.

Taking the best round every time paints later rounds into a corner: with 20 members in four
organisations, colleagues are left for last and cannot all be paired without repeats. Here a
round is kept only if the pairs not yet met can still be split into repeat-free rounds to the
end, shown by playing those rounds out in one of three fixed ways (the most mixed round left
each time; colleagues first; chance alone), all with a fixed seed and without working hours, so that the next round, recomputing the same continuations from the same pairs, finds the
one shown again. When the best round fails that test, the first continuation that plays out
gives the round: the promise to meet everyone once outranks shared time and mixing, which give
way.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

from pairing_core.matching._exact import best_matching
from pairing_core.matching._scores import Scores
from pairing_core.matching.request import MatchRequest

__all__ = ["LOOKAHEAD_UP_TO", "safe_pairs"]

# Playing out the remaining rounds costs about n matchings of n members: cheap to here.
LOOKAHEAD_UP_TO = 64
_SEED = 0x5EED


def safe_pairs(
    request: MatchRequest, members: Sequence[str], best: list[tuple[str, str]]
) -> list[tuple[str, str]] | None:
    """Return ``best`` if it keeps a repeat-free future, else a round that does, else None.

    Only for a stable community: an even count, in pairs, whose history shows only pairs among
    today's members and no pair meeting twice (every member met the same number of others).
    """
    n = len(members)
    if request.group_size != 2 or n % 2 or not 4 <= n <= LOOKAHEAD_UP_TO:
        return None
    if not _stable(request, members):
        return None
    ids = sorted(members)
    fixed = Scores.build(
        MatchRequest(
            members=ids,
            round_number=request.round_number,
            history=request.history,
            blocked=request.blocked,
            organisations=request.organisations,
            prefer_cross_org=request.prefer_cross_org,
            # Not working hours: they move with each round's date (clock changes), and the
            # continuation shown this round must be found again, unchanged, next round.
        ),
        ids,
        random.Random(_SEED),
    )
    ways = [fixed, dataclasses.replace(fixed, hardest_first=True), _by_chance(fixed)]
    index = {m: i for i, m in enumerate(ids)}
    chosen = [(index[a], index[b]) for a, b in best]
    if any(_plays_out(way, chosen) for way in ways):
        return best
    for way in ways:
        rounds = _play(way)
        if rounds:
            return [(ids[a], ids[b]) for a, b in rounds[0]]
    return None


def _by_chance(s: Scores) -> Scores:
    """The same members with nothing but chance between them (and what they met)."""
    return dataclasses.replace(s, org=[-1] * s.size)


def _stable(request: MatchRequest, members: Sequence[str]) -> bool:
    present = set(members)
    met = dict.fromkeys(members, 0)
    for pair in request.history:
        if not pair <= present:
            return False
        for m in pair:
            met[m] += 1
    counts = set(met.values())
    return len(counts) == 1 and counts != {0}


def _plays_out(s: Scores, chosen: list[tuple[int, int]]) -> bool:
    for a, b in chosen:
        s.met[a][b] = s.met[b][a] = s.newest + 1
    try:
        return _play(s) is not None
    finally:
        for a, b in chosen:
            del s.met[a][b], s.met[b][a]


def _play(s: Scores) -> list[list[tuple[int, int]]] | None:
    """Play the rounds until someone has met everyone they may meet, each the best left and
    without a repeat; None if one of them cannot be."""
    everyone = list(range(s.size))
    left = min(s.size - 1 - len(s.met[v]) - len(s.blocked[v] - s.met[v].keys()) for v in everyone)
    added: list[tuple[int, int]] = []
    rounds: list[list[tuple[int, int]]] = []
    try:
        for _ in range(left):
            pairs = best_matching(s, everyone, new_only=True)
            if 2 * len(pairs) < s.size:
                return None
            rounds.append(pairs)
            for a, b in pairs:
                s.met[a][b] = s.met[b][a] = s.newest + 1
                added.append((a, b))
        return rounds
    finally:
        for a, b in added:
            del s.met[a][b], s.met[b][a]
