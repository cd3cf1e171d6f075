"""Who the synthetic members are: organisation, time zone and working hours."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from pairing_core.matching.criteria import Window, working_window

__all__ = ["COMMUNITY_ZONE", "FIRST_INTRO", "ZONES", "Profile", "draw_profile", "intro_date"]

# Spread from the UK to the US, India and Australia first, so a few zones already leave some
# members no working hour in common; the order is fixed so ``--timezones K`` means the same
# K zones in every run.
ZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Singapore",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Asia/Tokyo",
    "America/Chicago",
    "Pacific/Auckland",
)
COMMUNITY_ZONE = ZONES[0]
# A Monday; rounds follow fortnightly, each on its own intro date.
FIRST_INTRO = date(2027, 1, 4)
_OFFICE_HOURS = (time(9), time(17))
# With a spread, days start from 07:00 to 10:00 and last 7 to 9 hours, in 30-minute steps.
_STARTS = tuple(time(7 + half // 2, 30 * (half % 2)) for half in range(7))
_LENGTHS = tuple(timedelta(hours=7, minutes=30 * step) for step in range(5))


@dataclass(frozen=True)
class Profile:
    """One synthetic member: organisation (or none), IANA time zone and working hours."""

    org: str | None
    timezone: str = COMMUNITY_ZONE
    start: time = _OFFICE_HOURS[0]
    end: time = _OFFICE_HOURS[1]

    @property
    def hours(self) -> str:
        """Working hours as ``"HH:MM-HH:MM"``."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def window(self, day: date) -> Window:
        """Return this member's working hours on ``day``, in UTC."""
        return working_window(day, self.timezone, self.start, self.end)

    def as_json(self) -> dict[str, str | None]:
        return {"org": self.org, "timezone": self.timezone, "hours": self.hours}


def draw_profile(rng: random.Random, orgs: int, zones: int, hours_spread: bool) -> Profile:
    """Draw a member; the generator is used only for what is asked, so old seeds keep their runs."""
    org = f"org{rng.randrange(orgs) + 1}" if orgs else None
    zone = ZONES[rng.randrange(zones)] if zones > 1 else COMMUNITY_ZONE
    if not hours_spread:
        return Profile(org, zone)
    start = rng.choice(_STARTS)
    length = rng.choice(_LENGTHS)
    end = (timedelta(hours=start.hour, minutes=start.minute) + length).seconds
    return Profile(org, zone, start, time(end // 3600, end % 3600 // 60))


def intro_date(number: int) -> date:
    """Return round ``number``'s intro date: fortnightly from ``FIRST_INTRO``."""
    return FIRST_INTRO + timedelta(weeks=2 * (number - 1))
