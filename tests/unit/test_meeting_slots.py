"""Suggested slots: inside everyone's hours, on weekdays, in the round's first week, spread out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pairing_core.meeting_slots import SLOT_LENGTH, Availability, suggest_slots

ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)


@st.composite
def people(draw: st.DrawFn) -> list[Availability]:
    count = draw(st.integers(2, 4))
    found = []
    for n in range(count):
        start = draw(st.integers(0, 22 * 2)) * 30  # minutes, on the half hour
        end = draw(st.integers(start // 30 + 1, 47)) * 30
        found.append(
            Availability(
                f"m{n}",
                draw(st.sampled_from(ZONES)),
                time(start // 60, start % 60),
                time(end // 60, end % 60) if end < 24 * 60 else time(23, 59),
            )
        )
    return found


# 2026: Europe's clocks change on 29 March and 25 October, America's on 8 March and 1 November
intro_times = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis draws naive, made UTC below
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
).map(lambda d: d.replace(tzinfo=UTC))


class TestSuggestSlots:
    @settings(max_examples=150, deadline=None)
    @given(intro_times, people(), st.integers(0, 10**6))
    def test_every_slot_is_inside_everyones_hours_on_a_weekday_in_the_first_week(
        self, intro_at: datetime, group: list[Availability], seed: int
    ) -> None:
        slots = suggest_slots(intro_at, group, seed, "Europe/London")
        assert slots, "a week always has some time to suggest"
        for slot in slots:
            assert intro_at <= slot.start
            assert slot.end <= intro_at + timedelta(days=7)
            assert slot.end - slot.start == SLOT_LENGTH
        if not slots[0].inside_hours:
            assert len(slots) == 1
            return
        for slot in slots:
            for person in group:
                zone = ZoneInfo(person.timezone)
                start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
                assert start.weekday() < 5
                assert start.date() == end.date()
                assert person.work_start <= start.time()
                assert end.time() <= person.work_end

    @settings(max_examples=150, deadline=None)
    @given(intro_times, people(), st.integers(0, 10**6))
    def test_slots_fall_on_different_days_when_there_are_enough_days(
        self, intro_at: datetime, group: list[Availability], seed: int
    ) -> None:
        slots = suggest_slots(intro_at, group, seed, "Europe/London")
        if not slots[0].inside_hours:
            return
        zone = ZoneInfo("Europe/London")
        days_with_a_slot = set()
        start = intro_at.replace(second=0, microsecond=0)
        start += timedelta(minutes=1) if start < intro_at else timedelta()
        while start + SLOT_LENGTH <= intro_at + timedelta(days=7):
            if all(p.fits(start, start + SLOT_LENGTH) for p in group):
                days_with_a_slot.add(start.astimezone(zone).date())
            start += timedelta(minutes=1)
        assert len({s.start.astimezone(zone).date() for s in slots}) == min(
            3, len(days_with_a_slot)
        )

    @settings(max_examples=50, deadline=None)
    @given(intro_times, people(), st.integers(0, 10**6))
    def test_the_same_inputs_give_the_same_slots(
        self, intro_at: datetime, group: list[Availability], seed: int
    ) -> None:
        assert suggest_slots(intro_at, group, seed, "UTC") == suggest_slots(
            intro_at, group, seed, "UTC"
        )

    def test_office_hours_in_one_zone_give_three_weekdays_not_all_at_one_hour(self) -> None:
        group = [Availability(m, "Europe/Dublin", time(9), time(17)) for m in ("a", "b")]
        for seed in range(40):
            slots = suggest_slots(datetime(2026, 12, 7, 9, 30, tzinfo=UTC), group, seed, "UTC")
            assert len(slots) == 3
            assert len({s.start.date() for s in slots}) == 3
            assert len({s.start.time() for s in slots}) > 1

    def test_slots_stay_inside_hours_across_a_clock_change(self) -> None:
        # the week of 23 March 2026: Europe still on winter time, New York already on summer time,
        # then Europe moves on Sunday 29 March
        group = [
            Availability("a", "Europe/London", time(9), time(17)),
            Availability("b", "America/New_York", time(9), time(17)),
        ]
        intro = datetime(2026, 3, 26, 9, 0, tzinfo=UTC)
        for seed in range(20):
            for slot in suggest_slots(intro, group, seed, "Europe/London"):
                assert slot.inside_hours
                for person in group:
                    assert person.fits(slot.start, slot.end)
                london = slot.start.astimezone(ZoneInfo("Europe/London"))
                # 13:00-17:00 London overlaps 09:00-17:00 New York; after the change too
                assert time(13) <= london.time() <= time(16, 30)

    def test_a_half_hour_shared_with_kathmandu_is_found(self) -> None:
        # 09:00-09:30 in Kathmandu (UTC+5:45) is 03:15-03:45 UTC, off the half-hour grid
        group = [
            Availability("a", "Asia/Kathmandu", time(9), time(9, 30)),
            Availability("b", "UTC", time(0), time(12)),
        ]
        slots = suggest_slots(datetime(2026, 12, 7, tzinfo=UTC), group, 5, "UTC")
        assert [s.inside_hours for s in slots] == [True] * 3
        assert {s.start.time() for s in slots} == {time(3, 15)}

    def test_no_overlap_gives_the_least_bad_slot_flagged(self) -> None:
        group = [
            Availability("a", "Europe/London", time(9), time(12)),
            Availability("b", "America/Los_Angeles", time(9), time(12)),
        ]
        intro = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        slots = suggest_slots(intro, group, 1, "UTC")
        assert len(slots) == 1 and not slots[0].inside_hours
        # London closes at 12:00 UTC and Los Angeles opens at 17:00 UTC: 30 minutes outside is
        # the least possible (one of them is always out), first found on Monday
        assert sum(p.minutes_outside(slots[0].start, slots[0].end) for p in group) == 30
        assert slots[0].start == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # London opens

    def test_a_weekend_only_group_is_still_told_a_least_bad_time(self) -> None:
        group = [
            Availability("a", "Pacific/Auckland", time(9), time(10)),
            Availability("b", "Europe/London", time(9), time(10)),
        ]
        slots = suggest_slots(datetime(2026, 6, 1, tzinfo=UTC), group, 3, "UTC")
        assert len(slots) == 1 and not slots[0].inside_hours
