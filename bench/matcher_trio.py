"""How often the trio of an odd round is proven the best grouping, and what it costs.

With an odd count the matcher's trio is one member joining a pair; the grouping is proven the
best in the order when the member left out by the exact matching joins a pair at no cost (see
``pairing_core/matching/_trio_search.py``), or, up to 30 members, when every trio a bound cannot
rule out has been tried. Otherwise the better of two searches is kept, unproven. This plays odd
rounds of communities spread over six time zones, with organisations, blocks and history (as in
``bench/matcher_order.py``), and prints the share of rounds proven and the time a round takes.

    python bench/matcher_trio.py [--seeds N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.matcher_order import Community  # noqa: E402
from pairing_core.matching._scores import Scores  # noqa: E402
from pairing_core.matching._trio_search import group_exactly  # noqa: E402

SIZES = (11, 29, 35, 41, 47, 101, 201, 399)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print("| n (odd) | rounds | proven best | s/round mean | s/round max |")
    print("|---:|---:|---:|---:|---:|")
    for n in SIZES:
        proven = rounds = 0
        times: list[float] = []
        for seed in range(args.seeds):
            community = Community.build(n, max(1, n // 20), 6, n // 10, 8, seed)
            for _ in range(4):
                request = community.request()
                rng = random.Random(seed * 100 + request.round_number)
                ids = sorted(request.members)
                rng.shuffle(ids)
                started = time.perf_counter()
                grouped = group_exactly(Scores.build(request, ids, rng))
                times.append(time.perf_counter() - started)
                proven += grouped.proven
                rounds += 1
                community.play([[ids[v] for v in g] for g in grouped.groups])
        print(
            f"| {n} | {rounds} | {proven / rounds:.0%} | {sum(times) / len(times):.3f} |"
            f" {max(times):.3f} |"
        )


if __name__ == "__main__":
    main()
