"""Who may, and who had better not, share a group: the round's members as numbered vertices."""

from __future__ import annotations

import random
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from pairing_core.matching.criteria import SHARED_TIME
from pairing_core.matching.request import MatchRequest

__all__ = ["Conflicts"]

_SHARED_MINUTES = int(SHARED_TIME.total_seconds()) // 60
# Up to this many members, the whole history is indexed before any search.
_INDEX_UP_TO = 2000


@dataclass(slots=True)
class Conflicts:
    """The members of one round, numbered in a random order, with what sets them apart.

    ``blocked[v]`` holds the members ``v`` must never be grouped with; ``org[v]`` is an
    organisation number, or -1 when it should not count (no organisation, or cross-organisation
    groups are not wanted). Who met whom is looked up in the request's history pair by pair; a
    full index of it (``met``) is only built for small rounds whose searches need every
    member's neighbours, since reading a large history costs more than the rest of a round.
    """

    ids: list[str]
    history: Mapping[frozenset[str], int]
    blocked: list[set[int]]
    org: list[int]
    priority: list[bool]
    oldest: int
    start: list[int | None]  # working window, in minutes since the epoch
    end: list[int | None]
    unit_org: int
    unit_unshared: int
    unit_repeat: int
    unit_blocked: int
    _met: list[dict[int, int]] | None = None

    @classmethod
    def build(cls, request: MatchRequest, members: Sequence[str], rng: random.Random) -> Conflicts:
        """Number ``members`` in a random order and index the request's blocks."""
        ids = list(members)
        rng.shuffle(ids)
        index = {member: i for i, member in enumerate(ids)}
        blocked: list[set[int]] = [set() for _ in ids]
        for pair in request.blocked:
            if len(pair) != 2:
                continue
            a, b = pair
            ia, ib = index.get(a), index.get(b)
            if ia is not None and ib is not None:
                blocked[ia].add(ib)
                blocked[ib].add(ia)
        org = [-1] * len(ids)
        if request.prefer_cross_org:
            numbers: dict[str, int] = {}
            for i, member in enumerate(ids):
                name = request.organisations.get(member)
                if name is not None:
                    org[i] = numbers.setdefault(name, len(numbers))
            if len(numbers) == 1 and min(org, default=0) == 0:
                org = [-1] * len(ids)  # all colleagues: no grouping is more mixed than another
        oldest = min(request.history.values(), default=0)
        newest = max(request.history.values(), default=0)
        # A swap between two groups touches at most `touched` pairs, so each weight outranks
        # every change the weights below it can add up to, in the order of ``criteria``:
        # repeats, then pairs without shared working time, then colleagues, then how recent
        # a repeat is.
        largest = max(request.group_size, 2) + 1
        touched = 2 * largest * largest
        recent = newest - oldest + 2
        unit_org = touched * recent + 1
        unit_unshared = touched * (unit_org + recent) + 1
        unit_repeat = touched * (unit_unshared + unit_org + recent) + 1
        unit_blocked = touched * (unit_repeat + unit_unshared + unit_org + recent) * 2 + 1
        start: list[int | None] = [None] * len(ids)
        end: list[int | None] = [None] * len(ids)
        for member, (opens, closes) in request.working_time.items():
            at = index.get(member)
            if at is not None:
                start[at] = int(opens.timestamp()) // 60
                end[at] = int(closes.timestamp()) // 60
        return cls(
            ids=ids,
            history=request.history,
            blocked=blocked,
            org=org,
            priority=[member in request.priority for member in ids],
            oldest=oldest,
            start=start,
            end=end,
            unit_org=unit_org,
            unit_unshared=unit_unshared,
            unit_repeat=unit_repeat,
            unit_blocked=unit_blocked,
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def met(self) -> list[dict[int, int]]:
        """For each member, the members they met, with the latest round they met in."""
        if self._met is None:
            index = {member: i for i, member in enumerate(self.ids)}
            met: list[dict[int, int]] = [{} for _ in self.ids]
            get = index.get
            for pair, last in self.history.items():
                if len(pair) != 2:
                    continue
                a, b = pair
                ia = get(a)
                if ia is None:
                    continue
                ib = get(b)
                if ib is not None:
                    met[ia][ib] = met[ib][ia] = last
            self._met = met
        return self._met

    def last_met(self, a: int, b: int) -> int | None:
        """The latest round ``a`` and ``b`` met in, or None if they never did."""
        if self._met is not None:
            return self._met[a].get(b)
        return self.history.get(frozenset((self.ids[a], self.ids[b])))

    def cost(self, a: int, b: int) -> int:
        """Price grouping ``a`` with ``b``: blocks, repeats, no shared time, same org, recency."""
        if b in self.blocked[a]:
            return self.unit_blocked
        price = 0
        last = self.last_met(a, b)
        if last is not None:
            price = self.unit_repeat + (last - self.oldest + 1)
        if not self.share_time(a, b):
            price += self.unit_unshared
        org = self.org[a]
        if org >= 0 and org == self.org[b]:
            price += self.unit_org
        return price

    def share_time(self, a: int, b: int) -> bool:
        """Tell whether ``a`` and ``b`` work together long enough (see ``criteria``)."""
        sa, sb = self.start[a], self.start[b]
        if sa is None or sb is None:
            return True
        ea, eb = self.end[a], self.end[b]
        assert ea is not None and eb is not None
        return min(ea, eb) - max(sa, sb) >= _SHARED_MINUTES

    def group_cost(self, group: Sequence[int]) -> int:
        """Price a whole group as the sum over its pairs."""
        return sum(
            self.cost(a, group[j]) for i, a in enumerate(group) for j in range(i + 1, len(group))
        )

    def repeats(self, group: Sequence[int]) -> int:
        """Count the pairs in ``group`` that have met before."""
        return sum(
            self.last_met(a, group[j]) is not None
            for i, a in enumerate(group)
            for j in range(i + 1, len(group))
        )

    def order_key(self, group: Sequence[int]) -> tuple[int, int, int, int, int, int] | None:
        """A group's part of the matcher's order (see ``criteria``), summed over a grouping to
        rank it: members, those with priority, minus repeats, shares time, mixes, minus how
        recent its repeats are. None if the group holds a blocked pair."""
        pairs = [(a, group[j]) for i, a in enumerate(group) for j in range(i + 1, len(group))]
        if any(b in self.blocked[a] for a, b in pairs):
            return None
        met = [last for a, b in pairs if (last := self.last_met(a, b)) is not None]
        named = [self.org[v] for v in group if self.org[v] >= 0]
        return (
            len(group),
            sum(self.priority[v] for v in group),
            -len(met),
            int(all(self.share_time(a, b) for a, b in pairs)),
            int(len(named) == len(set(named))),
            -sum(last - self.oldest + 1 for last in met),
        )

    def may_meet_anew(self, a: int, b: int) -> bool:
        """Tell whether ``a`` and ``b`` may be paired and have never met."""
        return b not in self.blocked[a] and self.last_met(a, b) is None

    def avoid_new(self, colleagues: bool = False) -> list[Container[int]]:
        """For each member, who they may not be paired with to meet someone new.

        With ``colleagues``, members of their own organisation are to be avoided too. Large
        rounds look each pair up as asked instead of indexing the whole history first, since
        their searches are short.
        """
        if self._met is None and self.size > _INDEX_UP_TO:
            return [_Unsuitable(self, v, colleagues) for v in range(self.size)]
        met = self.met
        avoid: list[Container[int]] = [
            met[v] if not self.blocked[v] else set(met[v]) | self.blocked[v]
            for v in range(self.size)
        ]
        if colleagues:
            avoid = [
                _Unsuitable(self, v, colleagues) if self.org[v] >= 0 else avoid[v]
                for v in range(self.size)
            ]
        return avoid

    @property
    def orgs_matter(self) -> bool:
        """Tell whether any two members count as colleagues."""
        return len({org for org in self.org if org >= 0}) < sum(1 for org in self.org if org >= 0)

    def first_in_line(self) -> list[int]:
        """All members, priority ones first, otherwise in their random order."""
        return [v for v in range(self.size) if self.priority[v]] + [
            v for v in range(self.size) if not self.priority[v]
        ]


class _Unsuitable:
    """The members ``v`` should not be paired with: blocked, met, and maybe colleagues."""

    __slots__ = ("c", "v", "colleagues")

    def __init__(self, c: Conflicts, v: int, colleagues: bool) -> None:
        self.c, self.v, self.colleagues = c, v, colleagues

    def __contains__(self, other: object) -> bool:
        if not isinstance(other, int):
            return False
        c, v = self.c, self.v
        if self.colleagues and c.org[v] >= 0 and c.org[other] == c.org[v]:
            return True
        return not c.may_meet_anew(v, other)
