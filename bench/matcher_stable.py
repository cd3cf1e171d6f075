"""What keeping a stable community repeat-free costs: rounds short of their own best grouping.

A stable community (nobody joining or leaving) in pairs can go n-1 rounds without a repeat. The
matcher keeps that promise before shared time and mixing (see the README's matcher section);
this plays n-1 rounds through the real matcher and counts, per set-up, the repeats and the
rounds whose shared or mixed groups fall short of that round's best grouping taken on its own
(the matcher's exact answer for the round, without the promise).

    python bench/matcher_stable.py [--seeds N]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from itertools import combinations

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.criteria import mixes, repeats, shares_time
from pairing_core.matching.matcher import best_of_round
from pairing_core.simulation._people import ZONES, draw_profile, intro_date

SETUPS = (
    (20, 4, 0),
    (20, 0, 4),
    (30, 5, 3),
    (40, 5, 3),
    (64, 6, 3),
    (100, 8, 4),
)


def criteria(groups: Sequence[Sequence[str]], request: MatchRequest) -> tuple[int, int, int]:
    return (
        -sum(repeats(g, request.history) for g in groups),
        sum(shares_time(g, request.working_time) for g in groups),
        sum(mixes(g, request.organisations) for g in groups),
    )


def play(n: int, orgs: int, zones: int, seed: int) -> tuple[int, int, float]:
    """Repeats in n-1 rounds, rounds short of their own best, slowest round in seconds."""
    rng = random.Random(seed)
    members = [f"m{i}" for i in range(n)]
    profiles = {m: draw_profile(rng, orgs, max(zones, 1), zones > 0) for m in members}
    history: dict[frozenset[str], int] = {}
    found_repeats = short = 0
    slowest = 0.0
    for number in range(1, n):
        day = intro_date(number)
        request = MatchRequest(
            members,
            number,
            history=dict(history),
            organisations={m: p.org for m, p in profiles.items()},
            working_time={m: p.window(day) for m, p in profiles.items()},
        )
        started = time.perf_counter()
        result = match(request, random.Random(rng.getrandbits(64)))
        slowest = max(slowest, time.perf_counter() - started)
        got = criteria(result.groups, request)
        best = criteria(best_of_round(request, random.Random(0)).groups, request)
        found_repeats -= got[0]
        short += got < best
        for group in result.groups:
            history.update({frozenset(p): number for p in combinations(group, 2)})
    return found_repeats, short, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(
        "| n | organisations | zones | rounds | repeats (all seeds) | rounds short of their own"
        " best, per seed | slowest round s |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|")
    for n, orgs, zones in SETUPS:
        runs = [play(n, orgs, zones, seed) for seed in range(args.seeds)]
        print(
            f"| {n} | {orgs} | {zones} ({', '.join(z.split('/')[1] for z in ZONES[:zones])}) |"
            f" {n - 1} | {sum(r[0] for r in runs)} | {', '.join(str(r[1]) for r in runs)} |"
            f" {max(r[2] for r in runs):.3f} |"
        )


if __name__ == "__main__":
    main()
