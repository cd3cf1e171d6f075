"""Benchmark the matcher against a random shuffle and networkx's exact maximum-weight matching.

Run ``.venv/bin/python bench/matcher.py`` (a few minutes on 2 cores; the tables are saved to
``bench/results/matcher.md``) or add ``--quick`` for a smaller subset that saves nothing;
``--order`` runs only the tables of the matcher's order (``bench/matcher_order.py``: shortfall
against the exact answer at n = 400 and 1,000, and the 10,000-member targets, three seeds).

Each community runs 26 rounds; before every round after the first, 5% of members leave and as
many join; members belong to one of max(2, n/20) organisations. Each (matcher, n) runs in a
fresh process so its peak memory (peak RSS) is its own.

The per-round optimum (fewest repeats any pairing of that round's members allows) comes from
Dirac's theorem where it applies (every member can still meet at least half the others, so the
never-met graph has a Hamiltonian cycle, hence a perfect matching: 0), otherwise from
networkx's maximum matching on the never-met graph (up to 400 members); the "optimum by"
column names the methods each row needed. Timings are wall-clock on one core and move with
whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.matcher_order import compared_rounds, large_round  # noqa: E402
from bench.matcher_order_report import order_tables  # noqa: E402
from bench.matcher_parts import (  # noqa: E402
    MATCHERS,
    Community,
    Pairs,
    fewest_repeats,
    odd_late_life,
    peak_mb,
    repeats_in,
    target_round,
)
from pairing_core.matching import MatchRequest, MatchResult, match  # noqa: E402

ROUNDS, CHURN = 26, 0.05
RESULTS = Path(__file__).resolve().parent / "results" / "matcher.md"


def run_community(matcher: str, members: int, seed: int) -> dict[str, Any]:
    """Play ``ROUNDS`` rounds of one community with one matcher; the community follows ``seed``."""
    rng = random.Random(seed)
    community = Community(members, max(2, members // 20), rng)
    choose = MATCHERS[matcher]
    history: Pairs = {}
    priority: frozenset[str] = frozenset()
    played = []
    for number in range(1, ROUNDS + 1):
        if number > 1:
            community.churn(CHURN)
        active = community.active
        request = MatchRequest(
            active, number, history=history, organisations=community.orgs, priority=priority
        )
        matcher_rng = random.Random(rng.getrandbits(64))
        started = time.perf_counter()
        groups = choose(request, matcher_rng)
        seconds = time.perf_counter() - started
        grouped = {m for g in groups for m in g}
        priority = frozenset(m for m in active if m not in grouped)
        played.append({"active": list(active), "groups": groups, "seconds": seconds})
        for group in groups:
            history.update({frozenset(p): number for p in combinations(group, 2)})
    return {"orgs": community.orgs, "rounds": played, "peak_mb": peak_mb()}


def in_fresh_process(*args: str) -> dict[str, Any]:
    """Run this script's ``--worker`` mode in a new interpreter and return its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=True
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def score(run: dict[str, Any]) -> dict[str, Any]:
    """Total repeats, repeats over each round's optimum, cross-org share and timings of a run."""
    orgs = run["orgs"]
    history: Pairs = {}
    repeats = over = mixed = groups = 0
    methods: set[str] = set()
    for number, played in enumerate(run["rounds"], start=1):
        got = repeats_in(played["groups"], history)
        best, method = fewest_repeats(played["active"], history)
        methods.add(method)
        repeats += got
        over += got - best if best is not None else 0
        for group in played["groups"]:
            groups += 1
            mixed += not any(
                orgs[a] is not None and orgs[a] == orgs[b] for a, b in combinations(group, 2)
            )
            history.update({frozenset(p): number for p in combinations(group, 2)})
    seconds = [played["seconds"] for played in run["rounds"]]
    return {
        "repeats": repeats,
        "over": over if "n/a" not in methods else None,
        "mixed": mixed / groups if groups else 0.0,
        "mean": statistics.mean(seconds),
        "max": max(seconds),
        "peak_mb": run["peak_mb"],
        "method": "/".join(sorted(methods)),
    }


def ratio(mine: float, theirs: float) -> str:
    return "-" if theirs == 0 else f"{mine / theirs:.2f}x"


def main_table(sizes: Sequence[int]) -> tuple[list[str], dict[int, dict[str, Any]]]:
    lines = [
        f"### {ROUNDS} rounds, {CHURN:.0%} churn, max(2, n/20) organisations",
        "",
        "| n | matcher | repeats | over per-round optimum | cross-org groups "
        "| s/round mean | s/round max | peak MB | optimum by |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    ratios = [
        "",
        "Ratios, unmentor ÷ baseline (repeats and time: lower is better; cross-org: higher is):",
        "",
        "| n | baseline | repeats | s/round mean | cross-org groups |",
        "|---:|---|---:|---:|---:|",
    ]
    mine_by_size = {}
    for n in sizes:
        scores = {}
        for matcher in MATCHERS:
            if matcher == "networkx exact" and n > 400:
                continue
            scores[matcher] = s = score(in_fresh_process(matcher, str(n)))
            over = "n/a" if s["over"] is None else str(s["over"])
            lines.append(
                f"| {n:,} | {matcher} | {s['repeats']} | {over} | {s['mixed']:.1%} "
                f"| {s['mean']:.4f} | {s['max']:.4f} | {s['peak_mb']:.0f} | {s['method']} |"
            )
            print(f"... {lines[-1]}", file=sys.stderr, flush=True)
        mine = mine_by_size[n] = scores["unmentor"]
        for name, theirs in scores.items():
            if name != "unmentor":
                ratios.append(
                    f"| {n:,} | {name} | {ratio(mine['repeats'], theirs['repeats'])} "
                    f"| {ratio(mine['mean'], theirs['mean'])} "
                    f"| {ratio(mine['mixed'], theirs['mixed'])} |"
                )
    return lines + ratios, mine_by_size


def targets_table(quick: bool, mine: dict[int, dict[str, Any]]) -> list[str]:
    lines = ["### Targets", "", "| check | result | target | met |", "|---|---|---|---|"]
    at_200 = mine[200]
    fast = at_200["max"] <= 0.05 and at_200["over"] == 0
    lines.append(
        f"| n=200, table above: s/round max / repeats over the per-round optimum "
        f"| {at_200['max']:.4f} / {at_200['over']} | <= 0.05 s / 0 | {'yes' if fast else 'no'} |"
    )
    target = in_fresh_process("target")
    worst = max(target["seconds"])
    lines += [
        f"| 10,000 members, 52 rounds of history, {target['blocks']} blocks: s/round "
        f"(3 seeds, max) | {worst:.3f} | <= 1 s | {'yes' if worst <= 1 else 'no'} |",
        f"| same: peak MB of the whole process | {target['peak_mb']:.0f} | <= 256 "
        f"| {'yes' if target['peak_mb'] <= 256 else 'no'} |",
        f"| same: repeats / broken blocks | {target['repeats']} / {target['broken']} | 0 / 0 "
        f"| {'yes' if target['repeats'] == target['broken'] == 0 else 'no'} |",
    ]
    trials = 20 if quick else 200
    over_rounds, over, slowest = odd_late_life(trials)
    lines.append(
        f"| odd n from 41 to 81, random rounds until 80-97% of pairs met, {trials} seeds: rounds "
        f"/ repeats over the per-round optimum (slowest round {slowest:.4f} s) "
        f"| {over_rounds} / {over} | 0 / 0 | {'yes' if over == 0 else 'no'} |"
    )
    for n in (200,) if quick else (200, 1000):
        shared = two_seed_overlap(n)
        lines.append(
            f"| two seeds on the same state (after 10 rounds), n={n:,}: pairs shared "
            f"| {shared:.2%} | <= 2% | {'yes' if shared <= 0.02 else 'no'} |"
        )
    seeds = 3 if quick else 10
    for n in (20,) if quick else (20, 50):
        planned, alone, hit = no_churn_repeats(n, seeds)
        lines.append(
            f"| n={n}, no churn, first {n - 1} rounds, {seeds} seeds: repeats (per-round search "
            f"alone: {alone}, in {hit} of {seeds} seeds) | {planned} | 0 "
            f"| {'yes' if planned == 0 else 'no'} |"
        )
    return lines


def two_seed_overlap(n: int) -> float:
    run = run_community("unmentor", n, seed=11)
    history: Pairs = {}
    for number, played in enumerate(run["rounds"][:10], start=1):
        for group in played["groups"]:
            history.update({frozenset(p): number for p in combinations(group, 2)})
    request = MatchRequest(run["rounds"][10]["active"], 11, history=history)
    one, two = (
        {frozenset(p) for g in match(request, random.Random(s)).groups for p in combinations(g, 2)}
        for s in (1, 2)
    )
    return len(one & two) / len(one)


def no_churn_repeats(n: int, seeds: int) -> tuple[int, int, int]:
    """Repeats over the first n-1 rounds: with the matcher, and with its per-round search only.

    Returns the matcher's total over all seeds, the search-only total, and in how many seeds
    the search alone had any repeat.
    """
    from pairing_core.matching.matcher import _search  # the matcher without its schedule

    def search_only(request: MatchRequest, rng: random.Random) -> MatchResult:
        return _search(request, sorted(request.members), rng)

    members = [f"m{i}" for i in range(n)]
    planned = alone = hit = 0
    for seed in range(seeds):
        for choose in (match, search_only):
            rng, total = random.Random(seed), 0
            history: Pairs = {}
            for number in range(1, n):
                result = choose(MatchRequest(members, number, history=dict(history)), rng)
                total += repeats_in(result.groups, history)
                for group in result.groups:
                    history.update({frozenset(p): number for p in combinations(group, 2)})
            if choose is match:
                planned += total
            else:
                alone, hit = alone + total, hit + (total > 0)
    return planned, alone, hit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast subset; saves nothing")
    parser.add_argument("--order", action="store_true", help="only the tables of the order")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.worker[0] == "target":
            print(json.dumps(target_round()))
        elif args.worker[0] == "order":
            print(json.dumps(compared_rounds(int(args.worker[1]), int(args.worker[2]))))
        elif args.worker[0] == "large":
            print(json.dumps(large_round(int(args.worker[1]))))
        else:
            n = int(args.worker[1])
            print(json.dumps(run_community(args.worker[0], n, seed=n)))
        return
    sections = ["## Matcher benchmark", ""]
    if not args.order:
        sizes = (20, 200) if args.quick else (20, 200, 1000, 10_000)
        table, mine = main_table(sizes)
        sections += [*table, "", *targets_table(args.quick, mine), ""]
    sections += order_tables(in_fresh_process, args.quick)
    text = "\n".join(sections)
    print(text)
    if not args.quick and not args.order:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
