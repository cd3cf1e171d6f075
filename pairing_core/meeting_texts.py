"""The suggested times of an intro and of a booking: slots in each person's time, with invites."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.calendar_invite import (
    google_link,
    ics_filename,
    ics_invite,
    outlook_link,
    slot_uid,
)
from pairing_core.meeting_slots import Availability, Slot, suggest_slots
from pairing_core.member import Member
from pairing_core.message import Action, Attachment, escape_markup
from pairing_core.programme import Programme
from pairing_core.round import Group, Round

__all__ = [
    "NO_OVERLAP",
    "book_actions",
    "group_slots",
    "read_slot_stamp",
    "slot_attachment",
    "slot_line",
    "slot_stamp",
    "slots_section",
]

NO_OVERLAP = "No time falls inside everyone's working hours this week"
ICS_MEDIA_TYPE = "text/calendar"


def _people(group: Group, members: Mapping[str, Member]) -> list[Member]:
    return [members[m] for m in group.members if m in members and group.keeps(m)]


def group_slots(
    programme: Programme, round_: Round, group: Group, members: Mapping[str, Member]
) -> list[Slot]:
    """Suggest the group's slots: the same ones every time they are worked out for the group."""
    people = [
        Availability(
            m.member_id, m.timezone or programme.settings.timezone, m.work_start, m.work_end
        )
        for m in _people(group, members)
    ]
    seed = (round_.seed or 0) * 1009 + group.index
    return suggest_slots(round_.intro_at, people, seed, programme.settings.timezone)


def slot_line(slot: Slot, people: Sequence[Member], programme: Programme) -> str:
    """Say a slot in each person's own time: ``Tue 9 Dec 10:00 for <@a>, 15:00 for <@b>``."""
    parts: list[str] = []
    first_day = None
    for person in people:
        local = slot.start.astimezone(ZoneInfo(person.timezone or programme.settings.timezone))
        day = f"{local:%a} {local.day} {local:%b}"
        shown = f"{local:%H:%M}" if day == first_day else f"{day} {local:%H:%M}"
        first_day = first_day or day
        parts.append(f"{shown} for <@{person.member_id}>")
    return ", ".join(parts)


def slot_attachment(
    programme: Programme,
    round_: Round,
    group: Group,
    members: Mapping[str, Member],
    number: int,
    slot: Slot,
) -> Attachment:
    """Return the ``.ics`` invite for the group's slot ``number`` (from 1)."""
    uid = slot_uid(round_.community_id, round_.programme_id, round_.number, group.index, number)
    names = [m.display_name for m in _people(group, members)]
    content = ics_invite(slot, uid, names, round_.intro_at)
    return Attachment(ics_filename(round_.number, number), content, ICS_MEDIA_TYPE)


def slots_section(
    programme: Programme, round_: Round, group: Group, members: Mapping[str, Member]
) -> tuple[str, list[Slot], tuple[Attachment, ...]]:
    """Write the intro's suggested times; return them too, with an invite file per slot."""
    slots = group_slots(programme, round_, group, members)
    if not slots:
        return "", [], ()
    people = _people(group, members)
    if slots[0].inside_hours:
        head = "Suggested times (30 minutes, inside everyone's working hours)"
    else:
        head = f"{NO_OVERLAP}; the least awkward time"
    head += ", to add to your calendar with a link or the attached .ics file:"
    lines = [head]
    for number, slot in enumerate(slots, start=1):
        outlook = escape_markup(outlook_link(slot))
        google = escape_markup(google_link(slot))
        lines.append(
            f"{number}. {slot_line(slot, people, programme)} — "
            f"<{outlook}|Outlook> · <{google}|Google>"
        )
    lines.append("Picked one? Press its Book button (or type `book 1`) to tell the others.")
    files = tuple(
        slot_attachment(programme, round_, group, members, n, s)
        for n, s in enumerate(slots, start=1)
    )
    return "\n".join(lines), slots if files else [], files


def book_actions(slots: Sequence[Slot]) -> tuple[Action, ...]:
    """Return a Book button per slot; a press runs ``book N <start>`` as if the member typed it.

    The start it carries is the time the intro showed, kept even if someone's hours change later.
    """
    return tuple(
        Action(CHOOSE_PROGRAMME_ACTION, f"Book slot {n}", f"book {n} {slot_stamp(slot.start)}")
        for n, slot in enumerate(slots, start=1)
    )


def slot_stamp(moment: datetime) -> str:
    """Write a slot's start as a ``book`` button carries it: ``20261209T1000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def read_slot_stamp(text: str) -> datetime | None:
    """Read ``20261209T1000Z`` back (None if it is not one)."""
    try:
        return datetime.strptime(text, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
