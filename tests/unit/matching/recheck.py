"""Recheck a simulated round from ``unmentor simulate --json``'s output alone."""

from __future__ import annotations

from datetime import date, time
from itertools import combinations
from typing import Any

from pairing_core.matching.criteria import mixes, repeats, shares_time, working_window


def recheck_round(
    run: dict[str, Any], played: dict[str, Any], history: dict[frozenset[str], int]
) -> dict[str, int]:
    """Count a round's repeats, groups sharing time and mixed groups; then add it to ``history``.

    Each member's window is rebuilt from their ``timezone`` and ``hours`` on the round's
    ``date``, as the matcher was given it.
    """
    day = date.fromisoformat(played["date"])
    windows = {}
    for member in played["active"]:
        info = run["members"][member]
        start, end = (time.fromisoformat(t) for t in info["hours"].split("-"))
        windows[member] = working_window(day, info["timezone"], start, end)
    orgs = {member: run["members"][member]["org"] for member in played["active"]}
    groups = played["groups"]
    counts = {
        "repeats": sum(repeats(group, history) for group in groups),
        "shared": sum(shares_time(group, windows) for group in groups),
        "mixed": sum(mixes(group, orgs) for group in groups),
    }
    for group in groups:
        history.update({frozenset(pair): played["number"] for pair in combinations(group, 2)})
    return counts
