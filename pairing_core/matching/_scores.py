"""The matcher's order (see ``criteria``) as one integer per group, for exact weighted matching.

Each criterion gets a band of bits wide enough that everything below it, summed over a whole
round, can never outweigh one unit of it; so the grouping with the largest total is the best
grouping in the stated order, with chance deciding only among equals.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from pairing_core.matching.criteria import SHARED_TIME
from pairing_core.matching.request import MatchRequest

__all__ = ["CRITERIA_SHIFT", "MOST_PAIRS", "NEW", "Scores"]

# Widths of the bands, lowest first. A round holds at most MOST_PAIRS pairs of members inside
# groups (a trio holds 3), which 8 bits count.
# Chance is kept narrow: wide random weights make the blossom algorithm ~20 times slower at
# 400 members (every dual adjustment is small). Ties it leaves are broken by the members'
# order, itself shuffled by the round's seed.
_CHANCE_BITS = 5
_AGE_BITS = 10  # how long ago a repeat met, in rounds, capped
_COUNT_BITS = 8
MOST_PAIRS = (1 << _COUNT_BITS) - 1
_AGE = 1 << (_CHANCE_BITS + _COUNT_BITS)
_MIXED = _AGE << (_AGE_BITS + _COUNT_BITS)
_SHARED = _MIXED << _COUNT_BITS
_NEW = _SHARED << _COUNT_BITS
_PRIORITY = _NEW << _COUNT_BITS
_OLDEST = (1 << _AGE_BITS) - 1
_SHARED_MINUTES = int(SHARED_TIME.total_seconds()) // 60
# What one never-met pair adds.
NEW = _NEW
# Dropping this many low bits leaves the criteria without chance (chance never carries into
# them, since it adds up to less than one unit of the lowest).
CRITERIA_SHIFT = _CHANCE_BITS + _COUNT_BITS


@dataclass(slots=True)
class Scores:
    """Members numbered 0..n-1 with what the criteria need, and the weight of any group."""

    ids: list[str]
    blocked: list[set[int]]
    met: list[dict[int, int]]
    newest: int
    start: list[int | None]  # working window, in whole minutes since the epoch
    end: list[int | None]
    org: list[int]  # -1: no named organisation, or mixing is not wanted
    priority: list[bool]
    chance: list[list[int]]
    # Prefer what the order puts last (colleagues, no shared time): used only to find out
    # whether the pairs still unmet can be split into rounds, where the hardest go first.
    hardest_first: bool = False

    @classmethod
    def build(cls, request: MatchRequest, members: Sequence[str], rng: random.Random) -> Scores:
        """Number ``members`` and index what the request says of them."""
        ids = list(members)
        index = {m: i for i, m in enumerate(ids)}
        n = len(ids)
        blocked: list[set[int]] = [set() for _ in ids]
        for pair in request.blocked:
            ends = [index.get(m) for m in pair]
            if len(ends) == 2 and ends[0] is not None and ends[1] is not None:
                blocked[ends[0]].add(ends[1])
                blocked[ends[1]].add(ends[0])
        met: list[dict[int, int]] = [{} for _ in ids]
        for pair, last in request.history.items():
            ends = [index.get(m) for m in pair]
            if len(ends) == 2 and ends[0] is not None and ends[1] is not None:
                met[ends[0]][ends[1]] = met[ends[1]][ends[0]] = last
        start: list[int | None] = [None] * n
        end: list[int | None] = [None] * n
        for m, (opens, closes) in request.working_time.items():
            i = index.get(m)
            if i is not None:
                start[i] = int(opens.timestamp()) // 60
                end[i] = int(closes.timestamp()) // 60
        org = [-1] * n
        if request.prefer_cross_org:
            numbers: dict[str, int] = {}
            for i, m in enumerate(ids):
                name = (request.organisations.get(m) or "").strip()
                if name:
                    org[i] = numbers.setdefault(name, len(numbers))
        bits = rng.getrandbits
        chance = [[0] * n for _ in ids]
        for a in range(n):
            row = chance[a]
            for b in range(a + 1, n):
                row[b] = chance[b][a] = bits(_CHANCE_BITS - 1)
        return cls(
            ids=ids,
            blocked=blocked,
            met=met,
            newest=max(request.history.values(), default=0),
            start=start,
            end=end,
            org=org,
            priority=[m in request.priority for m in ids],
            chance=chance,
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    def allowed(self, group: Sequence[int]) -> bool:
        """Tell whether no two of ``group`` are blocked from each other."""
        return not any(b in self.blocked[a] for a, b in combinations(group, 2))

    def shares_time(self, group: Sequence[int]) -> bool:
        """Tell whether the group's working windows overlap long enough (see ``criteria``)."""
        starts = [s for v in group if (s := self.start[v]) is not None]
        if len(starts) < 2:
            return True
        ends = [e for v in group if (e := self.end[v]) is not None]
        return min(ends) - max(starts) >= _SHARED_MINUTES

    def mixes(self, group: Sequence[int]) -> bool:
        """Tell whether no two of ``group`` are colleagues (when mixing is wanted)."""
        named = [o for v in group if (o := self.org[v]) >= 0]
        return len(named) == len(set(named))

    def pair_weight(self, a: int, b: int) -> int:
        """Weigh a pair (for members not blocked from each other)."""
        return self.weights_from(a, (b,))[0]

    def weights_from(self, a: int, others: Sequence[int]) -> list[int]:
        """Weigh the pairs of ``a`` with each of ``others``: the matcher's innermost loop."""
        met, chance, newest, org = self.met[a], self.chance[a], self.newest, self.org[a]
        start, end, orgs, priority = self.start, self.end, self.org, self.priority
        sa, ea = start[a], end[a]
        base = 1 + _PRIORITY * priority[a]
        # Bonuses for sharing time or mixing, and for not doing so (see ``hardest_first``).
        shared, unshared = (0, _SHARED) if self.hardest_first else (_SHARED, 0)
        mixed, unmixed = (0, _MIXED) if self.hardest_first else (_MIXED, 0)
        weights = []
        for b in others:
            weight = base + chance[b]
            if priority[b]:
                weight += _PRIORITY
            last = met.get(b)
            if last is None:
                weight += _NEW
            else:
                weight += _AGE * min(newest - last, _OLDEST)
            sb = start[b]
            if sa is None or sb is None:
                weight += shared
            else:
                eb = end[b]
                assert ea is not None and eb is not None
                if (ea if ea < eb else eb) - (sa if sa > sb else sb) >= _SHARED_MINUTES:
                    weight += shared
                else:
                    weight += unshared
            weight += mixed if org < 0 or org != orgs[b] else unmixed
            weights.append(weight)
        return weights

    def group_weight(self, group: Sequence[int]) -> int:
        """Weigh any group, on the same scale as ``pair_weight``."""
        if len(group) == 2:
            return self.pair_weight(group[0], group[1])
        weight = 1 + _PRIORITY * sum(self.priority[v] for v in group)
        for a, b in combinations(group, 2):
            weight += self.chance[a][b]
            last = self.met[a].get(b)
            if last is None:
                weight += _NEW
            else:
                weight += _AGE * min(self.newest - last, _OLDEST)
        if self.shares_time(group):
            weight += _SHARED
        if self.mixes(group):
            weight += _MIXED
        return weight
