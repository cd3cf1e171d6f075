"""How close the search for groups of 3 or 4 comes to the best grouping in the matcher's order.

Groups larger than pairs have no known polynomial exact algorithm. Rounds of up to 12 members
try every grouping (exact); larger rounds use a search (greedy filling, swap repair, several
fresh starts). This runs that search on small rounds (8 to 12 members, with history,
organisations, time zones and a few blocks), where brute force gives the optimum, and prints, per
group size, how often each criterion reaches the optimum and the mean shortfall.

    python bench/matcher_groups.py [--cases N]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from datetime import date, time
from itertools import combinations

from pairing_core.matching import MatchRequest
from pairing_core.matching._conflicts import Conflicts
from pairing_core.matching._groups import form_groups
from pairing_core.matching._small_groups import best_small_grouping
from pairing_core.matching.criteria import mixes, repeats, shares_time, working_window

ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")


def criteria(request: MatchRequest, groups: Sequence[Sequence[str]]) -> tuple[int, int, int, int]:
    """Members placed, minus repeats, groups sharing time, groups mixing: higher is better."""
    return (
        sum(map(len, groups)),
        -sum(repeats(g, request.history) for g in groups),
        sum(shares_time(g, request.working_time) for g in groups),
        sum(mixes(g, request.organisations) for g in groups),
    )


def best(request: MatchRequest) -> tuple[int, int, int, int]:
    """The optimum: the exact search small rounds use, which tries every grouping (itself held
    to a separate brute-force oracle by tests/unit/matching/test_match_order.py)."""
    c = Conflicts.build(request, sorted(request.members), random.Random(0))
    found, _ = best_small_grouping(c, request.group_size, random.Random(0))
    return criteria(request, [[c.ids[v] for v in group] for group in found])


def case(rng: random.Random, size: int) -> MatchRequest:
    n = rng.randrange(8, 13)
    members = [f"m{i}" for i in range(n)]
    history = {
        frozenset(p): rng.randrange(1, 6) for p in combinations(members, 2) if rng.random() < 0.3
    }
    blocked = frozenset(frozenset(rng.sample(members, 2)) for _ in range(rng.randrange(3)))
    orgs = {m: rng.choice("abc") for m in members}
    day = date(2027, 1, 4)
    windows = {
        m: working_window(day, rng.choice(ZONES), time(rng.choice((7, 9)), 0), time(17, 0))
        for m in members
    }
    return MatchRequest(members, 7, size, history, blocked, orgs, working_time=windows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=150)
    args = parser.parse_args()
    names = ("placed", "repeats", "shared", "mixed")
    print(
        "| group size | cases | whole order optimal | "
        + " | ".join(f"{n}: optimal / mean shortfall" for n in names)
        + " |"
    )
    print("|---:|---:|---:|" + "---:|" * len(names))
    for size in (3, 4):
        rng = random.Random(size)
        hits = [0] * len(names)
        gaps = [0] * len(names)
        whole = 0
        for _ in range(args.cases):
            request = case(rng, size)
            search_rng = random.Random(rng.getrandbits(32))
            c = Conflicts.build(request, sorted(request.members), search_rng)
            found, _ = form_groups(c, size, search_rng)
            got = criteria(request, [[c.ids[v] for v in group] for group in found])
            opt = best(request)
            whole += got >= opt
            # Each criterion compared where every earlier one is equal to the optimum's.
            for i in range(len(names)):
                if got[:i] != opt[:i]:
                    break
                hits[i] += got[i] == opt[i]
                gaps[i] += opt[i] - got[i]
        cells = " | ".join(
            f"{hits[i] / args.cases:.0%} / {gaps[i] / args.cases:.2f}" for i in range(len(names))
        )
        print(f"| {size} | {args.cases} | {whole / args.cases:.0%} | {cells} |")


if __name__ == "__main__":
    main()
