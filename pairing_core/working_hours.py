"""A person's time zone and working hours: reading them as typed, and showing their zone."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pairing_core.errors import InvalidSetting
from pairing_core.typed_input import TIMEZONE, quoted

__all__ = [
    "DEFAULT_WORK_END",
    "DEFAULT_WORK_START",
    "MIN_WORKING_DAY",
    "WORKDAYS",
    "checked_hours",
    "checked_timezone",
    "format_hours",
    "matching_timezones",
    "parse_hours",
    "zone_abbreviation",
]

DEFAULT_WORK_START, DEFAULT_WORK_END = time(9, 0), time(17, 0)
# Monday to Friday (``date.weekday()``); working days are not settable yet.
WORKDAYS = frozenset(range(5))
MIN_WORKING_DAY = timedelta(minutes=30)

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone name the system knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def checked_timezone(typed: str) -> str:
    """Return the IANA name ``typed`` spells (any case), or raise ``InvalidSetting`` saying why."""
    name = typed.strip()
    known = _zones().get(name.lower()) if len(name) <= TIMEZONE.limit else None
    if known is None:
        raise InvalidSetting(
            f"Unknown timezone {quoted(name)}: use an IANA name such as Europe/Dublin."
        )
    try:
        ZoneInfo(known)
    except (ZoneInfoNotFoundError, ValueError):  # listed but unreadable: never stored
        raise InvalidSetting(
            f"Unknown timezone {quoted(name)}: use an IANA name such as Europe/Dublin."
        ) from None
    return known


def matching_timezones(typed: str, limit: int = 25) -> list[str]:
    """Return up to ``limit`` zone names holding ``typed`` (any case; spaces read as ``_``).

    Names starting with it come first, then those with a part starting with it (``lon`` finds
    Europe/London), then the rest that contain it; each alphabetically.
    """
    needle = typed.strip().lower().replace(" ", "_")

    def rank(name: str) -> int:
        lower = name.lower()
        if lower.startswith(needle):
            return 0
        return 1 if any(part.startswith(needle) for part in lower.split("/")) else 2

    found = sorted(
        (n for n in _zones().values() if needle in n.lower()), key=lambda n: (rank(n), n)
    )
    return found[:limit]


def checked_hours(start: time, end: time) -> tuple[time, time]:
    """Return working hours if the end is at least 30 minutes after the start, else refuse."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        raise InvalidSetting(
            f"Your working hours end ({end:%H:%M}) before they start ({start:%H:%M}): "
            "give them like 08:00-16:00."
        )
    if timedelta(minutes=minutes) < MIN_WORKING_DAY:
        raise InvalidSetting("Your working hours must be at least 30 minutes long.")
    return start, end


def parse_hours(typed: str) -> tuple[time, time]:
    """Read ``08:00-16:00`` (local times, 24-hour clock) or raise ``InvalidSetting`` saying why."""
    found = _HOURS.match(typed.strip())
    if found is None:
        raise InvalidSetting(
            f"{quoted(typed.strip())} is not working hours like 08:00-16:00 (HH:MM-HH:MM)."
        )
    h1, m1, h2, m2 = (int(part) for part in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise InvalidSetting(
            f"{quoted(typed.strip())} is not working hours like 08:00-16:00: "
            "hours go from 00 to 23 and minutes from 00 to 59."
        )
    return checked_hours(time(h1, m1), time(h2, m2))


def format_hours(start: time, end: time) -> str:
    """Show working hours as ``09:00-17:00``."""
    return f"{start:%H:%M}-{end:%H:%M}"


def zone_abbreviation(timezone: str, at: datetime) -> str:
    """Return the zone's short name at a moment (``GMT``, ``IST``, ``CET``; some zones ``+03``)."""
    return at.astimezone(ZoneInfo(timezone)).tzname() or timezone
