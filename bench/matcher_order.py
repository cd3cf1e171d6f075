"""The matcher's order measured: against the exact answer at n = 400 and 1,000, and at 10,000.

Communities here are spread over time zones with varied working hours (as
``unmentor simulate --timezones K --hours-spread``), belong to organisations, carry blocks
and start with a history of random earlier rounds. Each round is scored on the order's
criteria (``bench.matcher_reference.tally``) and compared with the exact answer
(``exact_pairs``, rustworkx) where that can be computed, or with bounds at 10,000 members.
Each (n, seed) runs in a fresh process so its peak memory is its own.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from bench.matcher_parts import MATCHERS, peak_mb
from bench.matcher_reference import exact_pairs, mixed_bound, shared_bound, tally
from pairing_core.matching import MatchRequest
from pairing_core.simulation import Profile, draw_profile, intro_date

__all__ = ["COMPARED", "LARGE", "Community", "compared_rounds", "large_round"]

# (history rounds, measured rounds) for the sizes compared with the exact answer.
COMPARED = {400: (26, 3), 1000: (26, 2)}
# The large community: 10,000 members, 52 rounds of history, 100 blocks, 6 zones, 50 orgs.
LARGE = {"members": 10_000, "history": 52, "blocks": 100, "zones": 6, "orgs": 50}
CRITERIA = ("repeats", "shared", "mixed")


@dataclass
class Community:
    """Members with profiles and blocks, and the pairs that met in the rounds played so far."""

    profiles: dict[str, Profile]
    blocked: frozenset[frozenset[str]]
    history: dict[frozenset[str], int]
    played: int

    @classmethod
    def build(
        cls, members: int, orgs: int, zones: int, blocks: int, rounds: int, seed: int
    ) -> Community:
        """Draw the members and play ``rounds`` random rounds of pairs as their history."""
        rng = random.Random(seed)
        profiles = {f"m{i}": draw_profile(rng, orgs, zones, True) for i in range(members)}
        ids = list(profiles)
        blocked: set[frozenset[str]] = set()
        while len(blocked) < blocks:
            blocked.add(frozenset(rng.sample(ids, 2)))
        history: dict[frozenset[str], int] = {}
        for number in range(1, rounds + 1):
            rng.shuffle(ids)
            history.update({frozenset(ids[i : i + 2]): number for i in range(0, len(ids) - 1, 2)})
        return cls(profiles, frozenset(blocked), history, rounds)

    def request(self) -> MatchRequest:
        """The next round's request, with each member's window on its intro date."""
        number = self.played + 1
        day = intro_date(number)
        return MatchRequest(
            list(self.profiles),
            number,
            history=self.history,
            blocked=self.blocked,
            organisations={m: p.org for m, p in self.profiles.items()},
            working_time={m: p.window(day) for m, p in self.profiles.items()},
        )

    def play(self, groups: list[list[str]]) -> None:
        self.played += 1
        for group in groups:
            self.history.update({frozenset(p): self.played for p in combinations(group, 2)})


def compared_rounds(members: int, seed: int) -> dict[str, Any]:
    """Rounds of unmentor and a random shuffle, each scored against the exact answer."""
    history_rounds, measured = COMPARED[members]
    community = Community.build(members, members // 20, 6, members // 10, history_rounds, seed)
    rounds = []
    for _ in range(measured):
        request = community.request()
        started = time.perf_counter()
        best = tally(request, exact_pairs(request))
        row: dict[str, Any] = {"exact": best, "exact_seconds": time.perf_counter() - started}
        played: list[list[str]] = []
        for name in ("unmentor", "random shuffle"):
            rng = random.Random(seed * 1000 + request.round_number)
            started = time.perf_counter()
            groups = MATCHERS[name](request, rng)
            row[name] = {"seconds": time.perf_counter() - started, **tally(request, groups)}
            played = played or groups  # the community lives on with unmentor's rounds
        rounds.append(row)
        community.play(played)
    return {"rounds": rounds, "peak_mb": peak_mb()}


def large_round(seed: int) -> dict[str, Any]:
    """One round of the large community with unmentor, then with a random shuffle."""
    community = Community.build(
        LARGE["members"], LARGE["orgs"], LARGE["zones"], LARGE["blocks"], LARGE["history"], seed
    )
    request = community.request()
    answer: dict[str, Any] = {
        "bound": {"shared": shared_bound(request), "mixed": mixed_bound(request)}
    }
    for name in ("unmentor", "random shuffle"):
        started = time.perf_counter()
        groups = MATCHERS[name](request, random.Random(seed))
        seconds = time.perf_counter() - started
        # The shuffle runs second, so the process's peak so far is unmentor's round.
        answer[name] = {"seconds": seconds, "peak_mb": peak_mb(), **tally(request, groups)}
    return answer
