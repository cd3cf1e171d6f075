"""Suggested meeting times: 30-minute slots in a round's first week inside everyone's working hours."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pairing_core.working_hours import WORKDAYS

__all__ = ["SLOTS_SUGGESTED", "SLOT_LENGTH", "Availability", "Slot", "suggest_slots"]

SLOT_LENGTH = timedelta(minutes=30)
SLOTS_SUGGESTED = 3
_WEEK = timedelta(days=7)
# Every zone's offset is a whole number of quarter hours, so a quarter-hour grid finds every
# 30-minute overlap of working hours given in quarter hours (Kathmandu's with London's, too).
_STEP = timedelta(minutes=15)


@dataclass(frozen=True)
class Availability:
    """When one person works: local hours on weekdays in an IANA zone."""

    member_id: str
    timezone: str
    work_start: time
    work_end: time

    def fits(self, start: datetime, end: datetime) -> bool:
        """True when ``start``-``end`` lies inside this person's hours on one working day."""
        zone = ZoneInfo(self.timezone)
        first, last = start.astimezone(zone), end.astimezone(zone)
        return (
            first.date() == last.date()
            and first.weekday() in WORKDAYS
            and first.time() >= self.work_start
            and last.time() <= self.work_end
        )

    def minutes_outside(self, start: datetime, end: datetime) -> float:
        """Return how much of ``start``-``end`` falls outside this person's working hours."""
        zone = ZoneInfo(self.timezone)
        inside = timedelta()
        days = {start.astimezone(zone).date(), end.astimezone(zone).date()}
        for day in days:
            if day.weekday() not in WORKDAYS:
                continue
            open_ = datetime.combine(day, self.work_start, zone).astimezone(UTC)
            close = datetime.combine(day, self.work_end, zone).astimezone(UTC)
            overlap = min(end, close) - max(start, open_)
            inside += max(overlap, timedelta())
        return (end - start - inside) / timedelta(minutes=1)


@dataclass(frozen=True)
class Slot:
    """A suggested time, in UTC; ``inside_hours`` is False for a least-bad slot."""

    start: datetime
    end: datetime
    inside_hours: bool = True


def _candidates(intro_at: datetime) -> list[datetime]:
    """Every quarter-hour start (UTC) from the intro up to the last that ends within its week."""
    moment = intro_at.astimezone(UTC)
    first = moment.replace(minute=0, second=0, microsecond=0)
    while first < moment:
        first += _STEP
    starts: list[datetime] = []
    while first + SLOT_LENGTH <= moment + _WEEK:
        starts.append(first)
        first += _STEP
    return starts


def _spread(by_day: dict[date, list[datetime]], count: int, rng: random.Random) -> list[datetime]:
    """Pick up to ``count`` starts on as many different days as there are, not all at one time."""
    days = sorted(by_day)
    chosen_days = sorted(rng.sample(days, min(count, len(days))))
    picks = [rng.choice(by_day[day]) for day in chosen_days]
    if len(picks) > 1 and len({p.time() for p in picks}) == 1:
        # all at the same hour: move the last to another time of its day, if it has one
        other = [s for s in by_day[chosen_days[-1]] if s.time() != picks[0].time()]
        if other:
            picks[-1] = rng.choice(other)
    # fewer days than slots: more slots on the days there are, at other times
    spare = [s for day in days for s in by_day[day] if s not in picks]
    while len(picks) < count and spare:
        taken = {p.time() for p in picks}
        fresh = [s for s in spare if s.time() not in taken] or spare
        pick = rng.choice(fresh)
        picks.append(pick)
        spare.remove(pick)
    return sorted(picks)


def suggest_slots(
    intro_at: datetime,
    people: Sequence[Availability],
    seed: int,
    day_zone: str,
    count: int = SLOTS_SUGGESTED,
) -> list[Slot]:
    """Suggest ``count`` 30-minute slots in the week after ``intro_at`` inside everyone's hours.

    Slots fall on different days (as read in ``day_zone``) where possible and not all at one hour;
    the same inputs give the same slots. When no time suits everyone, return the single slot
    with the least time outside people's hours (earliest of equals), flagged ``inside_hours=False``.
    """
    starts = _candidates(intro_at)
    fitting = [s for s in starts if all(p.fits(s, s + SLOT_LENGTH) for p in people)]
    if fitting:
        zone = ZoneInfo(day_zone)
        by_day: dict[date, list[datetime]] = {}
        for start in fitting:
            by_day.setdefault(start.astimezone(zone).date(), []).append(start)
        for day, starts_of_day in by_day.items():
            # on the hour or half hour where the day has such times: easier to read and remember
            round_ = [s for s in starts_of_day if s.astimezone(zone).minute in (0, 30)]
            by_day[day] = round_ or starts_of_day
        picks = _spread(by_day, count, random.Random(seed))
        return [Slot(s, s + SLOT_LENGTH) for s in picks]
    if not starts:
        return []
    least = min(
        starts, key=lambda s: (sum(p.minutes_outside(s, s + SLOT_LENGTH) for p in people), s)
    )
    return [Slot(least, least + SLOT_LENGTH, inside_hours=False)]
