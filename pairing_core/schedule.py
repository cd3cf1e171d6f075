"""When rounds happen: slots in the community's own timezone, correct across daylight saving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pairing_core.programme import ProgrammeSettings

__all__ = ["Timetable", "next_slot", "timetable_from"]

# An early round ("round now") ends at the slot closest to a normal round's length, never sooner
# than this much before it would have.
_EARLIEST_END_SLACK = timedelta(days=3)


@dataclass(frozen=True)
class Timetable:
    intro_at: datetime
    checkin_at: datetime
    reflection_at: datetime
    close_at: datetime


def _at_local(settings: ProgrammeSettings, day: date) -> datetime:
    """Return the community's local time of day on ``day``, as an aware UTC datetime."""
    local = datetime.combine(day, settings.local_time, tzinfo=settings.zone)
    # A wall time that does not exist (spring forward) is normalised by the UTC round trip.
    return local.astimezone(UTC)


def next_slot(settings: ProgrammeSettings, not_before: datetime) -> datetime:
    """Return the first configured weekday and time at or after ``not_before``."""
    local_day = not_before.astimezone(settings.zone).date()
    day = local_day + timedelta(days=(settings.weekday - local_day.weekday()) % 7)
    slot = _at_local(settings, day)
    while slot < not_before:
        day += timedelta(days=7)
        slot = _at_local(settings, day)
    return slot


def timetable_from(settings: ProgrammeSettings, intro_at: datetime) -> Timetable:
    """Lay out a round starting at ``intro_at``: check-in half-way, reflection prompt near the end."""
    days = settings.cadence.days
    close_at = next_slot(settings, intro_at + timedelta(days=days) - _EARLIEST_END_SLACK)
    if close_at <= intro_at:
        close_at = next_slot(settings, intro_at + timedelta(days=days))
    local_intro = intro_at.astimezone(settings.zone)
    local_close = close_at.astimezone(settings.zone).date()
    span = (local_close - local_intro.date()).days
    checkin_day = local_intro.date() + timedelta(days=span // 2)
    # a day's notice per week of round, so a fortnight gets two days to write a takeaway
    reflect_day = local_close - timedelta(days=max(1, span // 7))
    checkin_at = max(_at_local(settings, checkin_day), intro_at)
    reflection_at = max(_at_local(settings, reflect_day), checkin_at)
    return Timetable(intro_at, checkin_at, reflection_at, close_at)
