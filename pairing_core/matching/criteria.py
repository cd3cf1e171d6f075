"""What makes one grouping better than another, group by group, in the matcher's order.

Among all legal groupings (never a blocked pair together, group sizes as ``group_sizes`` sets
them), the matcher prefers, in this order:

0. the most members placed, then the most members placed who sat out the last round;
1. the fewest repeats: pairs inside a group who shared a group in an earlier round (a trio
   holds 3 pairs);
2. the most groups whose members share working time on the round's intro date: every member's
   working window (their hours on that date in their own time zone) overlaps all the others' by
   at least ``SHARED_TIME``;
3. the most groups mixing organisations, when the community prefers it: no two members of the
   group from the same (named) organisation;
4. among repeats, the ones longest ago;
5. chance.

Each criterion is defined here once, so the matcher and the checks against it agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

__all__ = [
    "SHARED_TIME",
    "Window",
    "mixes",
    "repeats",
    "shares_time",
    "working_window",
]

SHARED_TIME = timedelta(minutes=60)

Window = tuple[datetime, datetime]


def working_window(day: date, timezone: str, start: time, end: time) -> Window:
    """Return a member's working hours on ``day`` in their own zone, as UTC instants."""
    zone = ZoneInfo(timezone)
    return (
        datetime.combine(day, start, zone).astimezone(UTC),
        datetime.combine(day, end, zone).astimezone(UTC),
    )


def shares_time(group: Sequence[str], windows: Mapping[str, Window]) -> bool:
    """Tell whether all of ``group`` work together for at least ``SHARED_TIME``.

    Members without a window constrain nobody. Intervals on a line overlap in common as much as
    their tightest pair does, so checking every pair is the same as checking the whole group.
    """
    known = [windows[m] for m in group if m in windows]
    if len(known) < 2:
        return True
    return min(end for _, end in known) - max(start for start, _ in known) >= SHARED_TIME


def mixes(group: Sequence[str], organisations: Mapping[str, str | None]) -> bool:
    """Tell whether no two members of ``group`` come from the same named organisation."""
    named = [o for m in group if (o := (organisations.get(m) or "").strip())]
    return len(named) == len(set(named))


def repeats(group: Sequence[str], history: Mapping[frozenset[str], int]) -> int:
    """Count the pairs inside ``group`` that shared a group before."""
    return sum(frozenset(pair) in history for pair in combinations(group, 2))
