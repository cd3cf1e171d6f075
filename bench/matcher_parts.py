"""The matchers compared by ``bench/matcher.py``, its synthetic community and its yardsticks."""

from __future__ import annotations

import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.sizes import group_sizes

Pairs = dict[frozenset[str], int]
Groups = list[list[str]]


def unmentor(request: MatchRequest, rng: random.Random) -> Groups:
    return [list(group) for group in match(request, rng).groups]


def shuffle(request: MatchRequest, rng: random.Random) -> Groups:
    """The naive baseline: shuffle and cut into groups, ignoring history and organisations."""
    members = list(request.members)
    rng.shuffle(members)
    groups, start = [], 0
    for size in group_sizes(len(members), request.group_size):
        groups.append(members[start : start + size])
        start += size
    return groups


def exact(request: MatchRequest, rng: random.Random) -> Groups:
    """The exact baseline: networkx's maximum-weight matching with the matcher's priorities.

    Weights rank a new pair above any mix of repeats, an older repeat above a recent one, and
    a cross-organisation pair above a same-organisation one, like unmentor's costs.
    """
    import networkx as nx

    members = list(request.members)
    rng.shuffle(members)  # networkx breaks ties by insertion order
    orgs = request.organisations
    graph = nx.Graph()
    graph.add_nodes_from(members)
    for a, b in combinations(members, 2):
        last = request.history.get(frozenset((a, b)))
        weight = 10**9 if last is None else 1000 * (request.round_number - last)
        weight += orgs.get(a) is None or orgs.get(a) != orgs.get(b)
        graph.add_edge(a, b, weight=weight)
    groups = [list(pair) for pair in nx.max_weight_matching(graph, maxcardinality=True)]
    left = [m for m in members if not any(m in g for g in groups)]
    if left and groups:
        # The odd member out joins the pair it has met least, as a trio.
        best = min(groups, key=lambda g: sum(frozenset((left[0], m)) in request.history for m in g))
        best.append(left[0])
    return groups


MATCHERS: dict[str, Callable[[MatchRequest, random.Random], Groups]] = {
    "unmentor": unmentor,
    "random shuffle": shuffle,
    "networkx exact": exact,
}


class Community:
    """Members who come and go, each in one of ``orgs`` organisations chosen at random."""

    def __init__(self, members: int, orgs: int, rng: random.Random) -> None:
        self.rng, self.org_count = rng, orgs
        self.orgs: dict[str, str | None] = {}
        self.active = [self._join() for _ in range(members)]

    def _join(self) -> str:
        member = f"m{len(self.orgs) + 1}"
        self.orgs[member] = f"org{self.rng.randrange(self.org_count) + 1}"
        return member

    def churn(self, share: float) -> None:
        """Replace a ``share`` of the active members with newcomers."""
        leaving = set(self.rng.sample(self.active, int(share * len(self.active) + 0.5)))
        self.active = [m for m in self.active if m not in leaving]
        self.active += [self._join() for _ in leaving]


def repeats_in(groups: Sequence[Sequence[str]], history: Pairs) -> int:
    return sum(frozenset(p) in history for group in groups for p in combinations(group, 2))


def fewest_repeats(active: Sequence[str], history: Pairs) -> tuple[int | None, str]:
    """The fewest repeats any pairing of ``active`` allows, and how that was established.

    "Dirac": every member can still meet at least half the others, so the never-met graph has
    a Hamiltonian cycle (Dirac's theorem) and, with an even count, a perfect matching: 0.
    "networkx": n/2 minus a maximum matching of the never-met graph. "n/a": neither applies.
    """
    n = len(active)
    if n < 2:
        return 0, "trivial"
    here = set(active)
    met = Counter(m for pair in history if pair <= here for m in pair)
    if n % 2 == 0 and n - 1 - max(met.values(), default=0) >= n / 2:
        return 0, "Dirac"
    if n % 2 or n > 400:
        return None, "n/a"
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(active)
    graph.add_edges_from(p for p in combinations(active, 2) if frozenset(p) not in history)
    return n // 2 - len(nx.max_weight_matching(graph, maxcardinality=True)), "networkx"


def fewest_repeats_odd(active: Sequence[str], history: Pairs) -> int:
    """The fewest repeats of pairs plus one trio for an odd count, by networkx over trios.

    Anyone joining a maximum never-met matching reaches ``groups + 2 - most_new``, and a trio
    with a never-met pair can do no better than ``inside + groups - most_new``, so only trios
    with two never-met pairs are tried, fewest repeats inside first.
    """
    import networkx as nx

    def most_new(members: Sequence[str]) -> int:
        graph = nx.Graph()
        graph.add_nodes_from(members)
        graph.add_edges_from(p for p in combinations(members, 2) if frozenset(p) not in history)
        return len(nx.max_weight_matching(graph, maxcardinality=True))

    groups, top = len(active) // 2, most_new(active)
    strangers: dict[str, set[str]] = {m: set() for m in active}
    for a, b in combinations(active, 2):
        if frozenset((a, b)) not in history:
            strangers[a].add(b)
            strangers[b].add(a)
    best = groups + 2 - top
    trios = sorted(
        (int(frozenset((a, b)) in history), (x, a, b))
        for x in active
        for a, b in combinations(sorted(strangers[x]), 2)
        if frozenset((a, b)) in history or x < a
    )
    for inside, trio in trios:
        if inside + groups - top >= best:
            break
        best = min(best, inside + groups - 1 - most_new([m for m in active if m not in trio]))
    return best


def odd_late_life(trials: int) -> tuple[int, int, float]:
    """Odd communities of 41-81 after random rounds until 80-97% of pairs met.

    Returns the rounds over the per-round optimum, the repeats over it, and the slowest round.
    """
    over_rounds = over = 0
    slowest = 0.0
    for trial in range(trials):
        rng = random.Random(trial)
        members = [f"m{i}" for i in range(rng.randrange(41, 82, 2))]
        target = rng.choice([0.8, 0.85, 0.9, 0.95, 0.97]) * len(members) * (len(members) - 1) / 2
        history: Pairs = {}
        number = 0
        while len(history) < target:
            number += 1
            order = members[:]
            rng.shuffle(order)
            history.update(
                {frozenset(order[i : i + 2]): number for i in range(0, len(order) - 1, 2)}
            )
        started = time.perf_counter()
        result = match(MatchRequest(members, number + 1, history=history), random.Random(trial))
        slowest = max(slowest, time.perf_counter() - started)
        extra = repeats_in(result.groups, history) - fewest_repeats_odd(members, history)
        over_rounds += extra > 0
        over += extra
    return over_rounds, over, slowest


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    On Linux, ``getrusage``'s ``ru_maxrss`` survives ``fork`` and ``exec``, so a worker started
    by a large parent would report the parent's peak; the kernel's own high-water mark of this
    address space (``VmHWM``) does not, and is read first.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def target_round() -> dict[str, Any]:
    """Time rounds of 10,000 members after 52 rounds of history, in a fresh process."""
    n, blocks = 10_000, 100
    rng = random.Random(52)
    members = [f"member-{i}" for i in range(n)]
    orgs: dict[str, str | None] = {m: f"org{rng.randrange(n // 20)}" for m in members}
    history: Pairs = {}
    for number in range(1, 53):
        shuffled = members[:]
        rng.shuffle(shuffled)
        history.update({frozenset(shuffled[i : i + 2]): number for i in range(0, n, 2)})
    blocked = frozenset(frozenset(rng.sample(members, 2)) for _ in range(blocks))
    request = MatchRequest(members, 53, history=history, blocked=blocked, organisations=orgs)
    seconds, repeats, broken = [], 0, 0
    for seed in (1, 2, 3):
        started = time.perf_counter()
        result = match(request, random.Random(seed))
        seconds.append(time.perf_counter() - started)
        pairs = [frozenset(p) for g in result.groups for p in combinations(g, 2)]
        repeats = max(repeats, sum(p in history for p in pairs))
        broken = max(broken, sum(p in blocked for p in pairs))
    return {
        "seconds": seconds,
        "repeats": repeats,
        "broken": broken,
        "blocks": len(blocked),
        "peak_mb": peak_mb(),
    }
